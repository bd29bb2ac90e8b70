"""Runs against a live Latchkey (test/src/sdk/python-client.test.ts starts one and sets the env)."""

import json
import os
import time
import unittest
import uuid

from latchkey import LatchkeyClient, LatchkeyError, WebhookVerificationError, verify_webhook


def env(name):
    value = os.environ.get(name)
    if not value:
        # Never a skip: a missing setting must fail the run, not hide it.
        raise RuntimeError("missing environment variable %s (test/src/sdk/python-client.test.ts sets it)" % name)
    return value


class ClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.url = env("LATCHKEY_URL")
        cls.verifier = LatchkeyClient(api_key=env("LATCHKEY_VERIFIER_KEY"), base_url=cls.url, environment="production")
        cls.admin = LatchkeyClient(api_key=env("LATCHKEY_ADMIN_TOKEN"), base_url=cls.url)
        cls.app_id = env("LATCHKEY_APP_ID")

    def new_key(self, scopes):
        return self.admin.keys.create(
            name="py-" + uuid.uuid4().hex[:8], type="application", subtype="service", application_id=self.app_id, permission_level="custom", scopes=scopes
        )

    def test_create_verify_revoke(self):
        created = self.new_key(["users:read"])
        self.assertTrue(created["secret"].startswith("lk_"))
        key_id = created["apiKey"]["id"]
        ok = self.verifier.verify(created["secret"], resource="users", action="read", ip="203.0.113.7")
        self.assertEqual(ok["code"], "VALID")
        self.assertTrue(ok["valid"])
        self.assertEqual(ok["keyId"], key_id)
        denied = self.verifier.verify(created["secret"], resource="applications", action="deploy", resource_id="app_1")
        self.assertEqual(denied["code"], "INSUFFICIENT_PERMISSIONS")
        self.assertEqual(self.admin.keys.revoke(key_id, reason="python test")["status"], "revoked")
        self.assertEqual(self.verifier.verify(created["secret"])["code"], "REVOKED")

    def test_unknown_and_malformed_keys(self):
        self.assertEqual(self.verifier.verify("not-a-key")["code"], "MALFORMED")
        self.assertFalse(self.verifier.verify("lk_prd_" + "A" * 40)["valid"])

    def test_lists(self):
        created = self.new_key(["users:read"])
        listed = self.admin.keys.list(first=100)
        self.assertIn(created["apiKey"]["id"], [k["id"] for k in listed["nodes"]])
        self.assertIn("owner@example.test", [u["email"] for u in self.admin.users.list()["nodes"]])

    def test_graphql_errors_carry_the_code(self):
        with self.assertRaises(LatchkeyError) as ctx:
            self.admin.keys.revoke("key_doesnotexist000000000000")
        self.assertEqual(ctx.exception.code, "NOT_FOUND")

    def test_unreachable_fails_closed_within_the_timeout(self):
        down = LatchkeyClient(api_key="lk_x", base_url="http://127.0.0.1:1", timeout=1.0)
        started = time.monotonic()
        answer = down.verify("lk_prd_whatever")
        self.assertEqual(answer["code"], "UNAVAILABLE")
        self.assertFalse(answer["valid"])
        self.assertLess(time.monotonic() - started, 2.0)
        opened = LatchkeyClient(api_key="lk_x", base_url="http://127.0.0.1:1", timeout=1.0, fail_open=True)
        self.assertTrue(opened.verify("lk_prd_whatever")["failedOpen"])


class WebhookTest(unittest.TestCase):
    """A delivery signed by the `standardwebhooks` npm package (passed in by the jest wrapper)."""

    def setUp(self):
        self.vector = json.loads(env("LATCHKEY_WEBHOOK_VECTOR"))

    def test_accepts_a_standard_webhooks_signature(self):
        v = self.vector
        event = verify_webhook(v["headers"], v["body"], v["secret"])
        self.assertEqual(event["type"], "key.revoked")
        self.assertEqual(verify_webhook(v["headers"], v["body"].encode("utf-8"), ["whsec_AAAA", v["secret"]])["type"], "key.revoked")

    def test_refuses_tampering_wrong_secret_and_old_timestamps(self):
        v = self.vector
        with self.assertRaises(WebhookVerificationError) as a:
            verify_webhook(v["headers"], v["body"].replace("key_1", "key_2"), v["secret"])
        self.assertEqual(a.exception.code, "WEBHOOK_BAD_SIGNATURE")
        with self.assertRaises(WebhookVerificationError):
            verify_webhook(v["headers"], v["body"], "whsec_" + "QUJD" * 8)
        with self.assertRaises(WebhookVerificationError) as old:
            verify_webhook(v["headers"], v["body"], v["secret"], now=int(v["headers"]["webhook-timestamp"]) + 301)
        self.assertEqual(old.exception.code, "WEBHOOK_TOO_OLD")
        with self.assertRaises(WebhookVerificationError) as missing:
            verify_webhook({}, v["body"], v["secret"])
        self.assertEqual(missing.exception.code, "WEBHOOK_MISSING_HEADERS")


if __name__ == "__main__":
    unittest.main()
