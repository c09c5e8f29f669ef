"""The Telegram Bot API over HTTP (httpx2): one JSON POST per method, with timeouts from settings.

Every failure becomes a ``TelegramSendError`` that says whether trying again can help.
"""

import httpx2
from django.conf import settings

# Telegram's own limit for a message text.
TEXT_MAX = 4096


class TelegramSendError(Exception):
    """The Bot API refused or could not be reached.

    ``permanent``: trying again will not help (blocked by the user, chat not found, bad token,
    bot not configured). ``retry_after``: seconds Telegram asked us to wait (HTTP 429).
    """

    def __init__(self, reason: str, *, permanent: bool = False, retry_after: int | None = None):
        super().__init__(reason)
        self.permanent = permanent
        self.retry_after = retry_after


class TelegramBotApi:
    """A Bot API client for one bot token. ``transport`` replaces the network (tests)."""

    def __init__(self, *, token: str, base_url: str, timeout: float, transport: httpx2.BaseTransport | None = None):
        if not token:
            raise TelegramSendError("The Telegram bot is not configured (TELEGRAM_BOT_TOKEN is empty).", permanent=True)
        self._token = token
        self._http = httpx2.Client(
            base_url=f"{base_url.rstrip('/')}/bot{token}/",
            timeout=httpx2.Timeout(timeout, connect=timeout),
            transport=transport,
        )

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        self._http.close()

    def call(self, method: str, payload: dict):
        """Call a Bot API method; return its ``result`` or raise ``TelegramSendError``."""
        try:
            response = self._http.post(method, json=payload)
        except httpx2.TimeoutException as exc:
            raise TelegramSendError(f"Telegram did not answer in time ({type(exc).__name__}).") from exc
        except httpx2.HTTPError as exc:
            raise TelegramSendError(self._scrub(f"Could not reach Telegram ({type(exc).__name__}: {exc}).")) from exc
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        if response.status_code == 200 and body.get("ok") is True:
            return body.get("result")
        return self._refusal(response.status_code, body)

    def send_message(self, *, chat_id: int, text: str, reply_to_message_id: int | None = None) -> dict:
        """Send a plain-text message; returns Telegram's Message (its ``message_id`` maps replies)."""
        payload = {"chat_id": chat_id, "text": clip_text(text), "link_preview_options": {"is_disabled": True}}
        if reply_to_message_id is not None:
            payload["reply_parameters"] = {"message_id": reply_to_message_id, "allow_sending_without_reply": True}
        result = self.call("sendMessage", payload)
        if not isinstance(result, dict) or not isinstance(result.get("message_id"), int):
            raise TelegramSendError("Telegram answered sendMessage without a message id.")
        return result

    def set_webhook(self, *, url: str, secret_token: str, allowed_updates: list[str]) -> bool:
        return bool(
            self.call(
                "setWebhook",
                {"url": url, "secret_token": secret_token, "allowed_updates": allowed_updates},
            )
        )

    def _refusal(self, status: int, body: dict):
        description = str(body.get("description") or f"HTTP {status}")[:500]
        reason = self._scrub(f"Telegram refused: {description} (HTTP {status}).")
        if status == 429:
            retry_after = (body.get("parameters") or {}).get("retry_after")
            retry_after = retry_after if isinstance(retry_after, int) and retry_after >= 0 else None
            raise TelegramSendError(reason, retry_after=retry_after)
        # Other 4xx (blocked by the user, chat not found, bad token) will not change by retrying.
        raise TelegramSendError(reason, permanent=400 <= status < 500)

    def _scrub(self, text: str) -> str:
        """Errors are stored and shown in the admin: never with the bot token in them."""
        return text.replace(self._token, "<token>")


def clip_text(text: str, limit: int = TEXT_MAX) -> str:
    """``text`` cut to Telegram's limit, which counts UTF-16 code units (an emoji may count two)."""
    if len(text.encode("utf-16-le")) // 2 <= limit:
        return text
    kept, units = [], 0
    for character in text:
        width = 2 if ord(character) > 0xFFFF else 1
        if units + width > limit - 1:
            break
        kept.append(character)
        units += width
    return "".join(kept) + "…"


def make_client(*, transport: httpx2.BaseTransport | None = None) -> TelegramBotApi:
    """The client for the configured bot. Tests patch this factory to add a fake transport."""
    return TelegramBotApi(
        token=settings.TELEGRAM_BOT_TOKEN,
        base_url=settings.TELEGRAM_API_BASE,
        timeout=settings.TELEGRAM_TIMEOUT_SECONDS,
        transport=transport,
    )
