import os

from latchkey import LatchkeyClient

lk = LatchkeyClient(
    api_key=os.environ["LATCHKEY_SERVICE_KEY"],
    base_url=os.environ.get("LATCHKEY_URL", "http://127.0.0.1:4000"),
    environment="production",
)
answer = lk.verify(os.environ["USER_KEY"], resource="users", action="read")
print(answer["code"], answer.get("ratelimit"))
