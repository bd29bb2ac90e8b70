"""Standard Webhooks v1 signature checks (what Latchkey signs its deliveries with)."""

import base64
import hashlib
import hmac
import json
import time


class WebhookVerificationError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def verify_webhook(headers, body, secret, tolerance_seconds=300, now=None):
    """Returns the parsed body of a delivery whose signature and timestamp check out.

    ``secret`` is the endpoint's ``whsec_…`` secret, or a list of them during a rotation;
    any one valid ``v1`` signature among the space-separated ones is enough. Signatures
    are compared with ``hmac.compare_digest``; ``body`` must be the raw bytes received.
    """
    h = {k.lower(): v for k, v in dict(headers).items()}
    msg_id, ts, sigs = h.get("webhook-id"), h.get("webhook-timestamp"), h.get("webhook-signature")
    if not msg_id or not ts or not sigs:
        raise WebhookVerificationError("WEBHOOK_MISSING_HEADERS", "missing webhook-id, webhook-timestamp or webhook-signature")
    if not ts.isdigit():
        raise WebhookVerificationError("WEBHOOK_BAD_TIMESTAMP", "webhook-timestamp is not a number")
    current = int(now if now is not None else time.time())
    if int(ts) < current - tolerance_seconds:
        raise WebhookVerificationError("WEBHOOK_TOO_OLD", "webhook timestamp too old")
    if int(ts) > current + tolerance_seconds:
        raise WebhookVerificationError("WEBHOOK_TOO_NEW", "webhook timestamp in the future")
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    signed = ("%s.%s." % (msg_id, ts)).encode("utf-8") + raw
    secrets = [secret] if isinstance(secret, str) else list(secret)
    expected = [hmac.new(_secret_bytes(s), signed, hashlib.sha256).digest() for s in secrets]
    ok = False
    for entry in sigs.split(" "):
        version, _, value = entry.partition(",")
        if version != "v1" or not value:
            continue
        try:
            given = base64.b64decode(value)
        except ValueError:
            continue
        for e in expected:
            ok = hmac.compare_digest(given, e) or ok
    if not ok:
        raise WebhookVerificationError("WEBHOOK_BAD_SIGNATURE", "no signature matches the secret")
    return json.loads(raw.decode("utf-8"))


def _secret_bytes(secret):
    if secret.startswith("whsec_"):
        secret = secret[len("whsec_"):]
    return base64.b64decode(secret)
