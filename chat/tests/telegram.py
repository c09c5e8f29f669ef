"""A fake Telegram Bot API for tests, and builders of the updates Telegram posts to the webhook.

The fake is an ``httpx2.MockTransport`` given to the real client (``make_client``): the client
builds its URL, headers and JSON exactly as in production; only the socket is replaced.
"""

import itertools
import json
import time

import httpx2

TOKEN = "123456:TEST-bot-token"
SECRET = "webhook-secret-for-tests"
API_BASE = "https://telegram.test"
BOT_USERNAME = "AnwariyaBot"
WEBHOOK = "/api/v1/bot/telegram/webhook/"
SECRET_HEADER = {"HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN": SECRET}


class FakeBotApi:
    """Plays the Bot API: records every call and answers like Telegram (or as scripted)."""

    def __init__(self):
        self.calls = []
        self.scripted = []  # answers served before the normal ones: (status, body) or an exception
        self._message_ids = itertools.count(700)

    def __call__(self, request):
        prefix = f"/bot{TOKEN}/"
        assert request.url.host == "telegram.test", request.url
        assert request.url.path.startswith(prefix), request.url
        method = request.url.path[len(prefix) :]
        payload = json.loads(request.content or b"{}")
        self.calls.append((method, payload))
        if self.scripted:
            answer = self.scripted.pop(0)
            if isinstance(answer, Exception):
                raise answer
            status, body = answer
            return httpx2.Response(status, json=body)
        if method == "sendMessage":
            result = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": payload["chat_id"], "type": "private"},
                "text": payload["text"],
            }
            return httpx2.Response(200, json={"ok": True, "result": result})
        return httpx2.Response(200, json={"ok": True, "result": True})

    def refuse_next(self, status, description, **parameters):
        body = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        self.scripted.append((status, body))

    def fail_next(self, exception):
        self.scripted.append(exception)

    def sent(self, chat_id=None):
        """The sendMessage payloads, to one Telegram chat if given."""
        return [
            payload
            for method, payload in self.calls
            if method == "sendMessage" and (chat_id is None or payload["chat_id"] == chat_id)
        ]

    def transport(self):
        return httpx2.MockTransport(self)


_update_ids = itertools.count(90_000)
_message_ids = itertools.count(1)


def telegram_update(text=None, *, chat_id, reply_to=None, username="ira_tg", update_id=None, **message_fields):
    """A private-chat message update as Telegram posts it; ``reply_to`` a bot message id."""
    message = {
        "message_id": next(_message_ids),
        "from": {"id": chat_id, "is_bot": False, "first_name": "Ira", "username": username},
        "chat": {"id": chat_id, "type": "private", "first_name": "Ira", "username": username},
        "date": int(time.time()),
        **message_fields,
    }
    if text is not None:
        message["text"] = text
    if reply_to is not None:
        message["reply_to_message"] = {
            "message_id": reply_to,
            "from": {"id": 123456, "is_bot": True, "first_name": "Anwariya", "username": BOT_USERNAME},
            "chat": message["chat"],
            "date": int(time.time()),
            "text": "…",
        }
    return {"update_id": next(_update_ids) if update_id is None else update_id, "message": message}
