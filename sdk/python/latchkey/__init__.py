"""Latchkey client for Python: key verification, a few management calls, webhook checks.

Standard library only (urllib, json, hmac, hashlib, base64), so it installs nowhere and
runs on any Python 3.8+.
"""

from .client import LatchkeyClient, LatchkeyError
from .webhooks import WebhookVerificationError, verify_webhook

__all__ = ["LatchkeyClient", "LatchkeyError", "WebhookVerificationError", "verify_webhook"]
__version__ = "0.1.0"
