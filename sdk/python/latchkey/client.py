"""HTTP and GraphQL calls to a Latchkey server."""

import json
import random
import socket
import time
import urllib.error
import urllib.request

_TRANSIENT_STATUS = (502, 503, 504)


class LatchkeyError(Exception):
    """A refused or failed call; ``code`` is the server's code (or UNAVAILABLE / TIMEOUT)."""

    def __init__(self, code, message, status=None, details=None):
        super().__init__(message)
        self.code = code
        self.status = status
        self.details = details


class LatchkeyClient:
    """``LatchkeyClient(api_key=..., base_url=..., environment=...)``.

    ``verify`` answers like ``POST /v1/keys/verify``; when Latchkey cannot be reached it
    answers ``{"valid": False, "code": "UNAVAILABLE"}`` (fail closed) unless
    ``fail_open=True``. Only transient failures (network, timeout, 502/503/504) are
    retried, with exponential backoff and jitter, all within ``timeout`` seconds.
    """

    def __init__(self, api_key, base_url="http://127.0.0.1:4000", environment=None, timeout=5.0, retries=2, fail_open=False):
        if not api_key:
            raise ValueError("api_key is required")
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.environment = environment
        self.timeout = timeout
        self.retries = retries
        self.fail_open = fail_open
        self.keys = _Keys(self)
        self.users = _Users(self)

    def verify(self, key, resource=None, action=None, resource_id=None, ip=None, referrer=None, environment=None, cost=None, costs=None, bytes_in=None, bytes_out=None):
        body = {"key": key}
        optional = {
            "resource": resource,
            "action": action,
            "resourceId": resource_id,
            "ip": ip,
            "referrer": referrer,
            "environment": environment or self.environment,
            "cost": cost,
            "costs": costs,
            "bytesIn": bytes_in,
            "bytesOut": bytes_out,
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        try:
            status, answer = self._post("/v1/keys/verify", body, retries=self.retries)
        except LatchkeyError as e:
            if e.code in ("UNAVAILABLE", "TIMEOUT"):
                return {"valid": self.fail_open, "code": "UNAVAILABLE", "reason": str(e), "failedOpen": self.fail_open}
            raise
        if status != 200:
            err = answer.get("error", {}) if isinstance(answer, dict) else {}
            raise LatchkeyError(err.get("code", "BAD_RESPONSE"), err.get("message", "verify refused"), status, answer)
        return answer

    def graphql(self, query, variables=None):
        """Runs one GraphQL operation; raises LatchkeyError with ``extensions.code``."""
        is_mutation = query.lstrip().startswith("mutation")
        status, answer = self._post("/graphql", {"query": query, "variables": variables or {}}, retries=0 if is_mutation else self.retries)
        errors = answer.get("errors") if isinstance(answer, dict) else None
        if errors:
            first = errors[0]
            raise LatchkeyError((first.get("extensions") or {}).get("code", "GRAPHQL_ERROR"), first.get("message", "GraphQL error"), status, errors)
        if not isinstance(answer, dict) or answer.get("data") is None:
            raise LatchkeyError("BAD_RESPONSE", "GraphQL answer without data", status, answer)
        return answer["data"]

    def _post(self, path, payload, retries):
        deadline = time.monotonic() + self.timeout
        data = json.dumps(payload).encode("utf-8")
        last = None
        for attempt in range(retries + 1):
            if attempt > 0:
                wait = random.uniform(0, min(2.0, 0.05 * (2 ** attempt)))
                if time.monotonic() + wait >= deadline:
                    break
                time.sleep(wait)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            req = urllib.request.Request(
                self.base_url + path,
                data=data,
                method="POST",
                headers={"content-type": "application/json", "accept": "application/json", "authorization": "Bearer " + self.api_key, "user-agent": "latchkey-python/0.1"},
            )
            try:
                with urllib.request.urlopen(req, timeout=remaining) as res:
                    return res.status, _json(res.read(), res.status)
            except urllib.error.HTTPError as e:
                if e.code in _TRANSIENT_STATUS:
                    last = LatchkeyError("UNAVAILABLE", "Latchkey answered %d" % e.code, e.code)
                    continue
                return e.code, _json(e.read(), e.code)
            except (socket.timeout, TimeoutError) as e:
                last = LatchkeyError("TIMEOUT", "no answer from Latchkey within %.1f s" % self.timeout, details=str(e))
            except (urllib.error.URLError, ConnectionError, OSError) as e:
                last = LatchkeyError("UNAVAILABLE", "Latchkey unreachable: %s" % getattr(e, "reason", e))
        raise last or LatchkeyError("TIMEOUT", "no answer from Latchkey within %.1f s" % self.timeout)


def _json(raw, status):
    try:
        return json.loads(raw.decode("utf-8"))
    except ValueError:
        raise LatchkeyError("BAD_RESPONSE", "non-JSON answer (%d): %s" % (status, raw[:200]), status)


_KEY_FIELDS = "id name type subtype environment status start last4 scopes expiresAt createdAt lastUsedAt"


class _Keys:
    def __init__(self, client):
        self._c = client

    def list(self, first=50, after=None, **filter):
        q = (
            "query($first: Int, $after: String, $filter: ApiKeyFilter){ apiKeys(first: $first, after: $after, filter: $filter){ "
            "nodes { %s } pageInfo { endCursor hasNextPage } totalCount } }"
        ) % _KEY_FIELDS
        return self._c.graphql(q, {"first": first, "after": after, "filter": filter or None})["apiKeys"]

    def create(self, name, type, subtype, **fields):
        """Issues a key where policy needs no approval; returns ``{"apiKey": {...}, "secret": "lk_…"}``."""
        q = "mutation($input: CreateApiKeyInput!){ createApiKey(input: $input){ apiKey { %s } secret } }" % _KEY_FIELDS
        input_ = {"name": name, "type": type, "subtype": subtype}
        input_.update({_camel(k): v for k, v in fields.items() if v is not None})
        return self._c.graphql(q, {"input": input_})["createApiKey"]

    def revoke(self, key_id, reason=None):
        q = "mutation($id: ID!, $reason: String){ revokeApiKey(id: $id, reason: $reason){ %s } }" % _KEY_FIELDS
        return self._c.graphql(q, {"id": key_id, "reason": reason})["revokeApiKey"]


class _Users:
    def __init__(self, client):
        self._c = client

    def list(self, first=50, after=None):
        q = "query($first: Int, $after: String){ users(first: $first, after: $after){ nodes { id email name status scopes } pageInfo { endCursor hasNextPage } } }"
        return self._c.graphql(q, {"first": first, "after": after})["users"]


def _camel(name):
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)
