"""What the bot does with an update from Telegram: link with ``/start CODE``, post replies to
notifications into their chat, and answer everything else with how to use it.

Each update is handled once: its row is claimed inside the transaction that handles it.
"""

import logging
import re

from django.db import IntegrityError, transaction

from anwariya.errors import DomainError
from chat import services as chat_services
from chat.models import TelegramAccount, TelegramMessage, TelegramUpdate
from chat.telegram.selectors import telegram_notification_replied_to
from chat.telegram.services import LinkCodeRefused, telegram_account_link, telegram_message_queue

logger = logging.getLogger(__name__)
UPDATE_KIND = re.compile(r"[a-z_]{1,32}")  # "message", "edited_message", …; anything else is "unknown"

HOW_TO_LINK = (
    "To get your Anwariya chat messages here, open your profile on Anwariya, find the Telegram "
    "section, make a code and send it here as /start CODE."
)
GREETING = "Hello! This is the Anwariya bot. " + HOW_TO_LINK
GREETING_LINKED = (
    "Hello {name}! This Telegram account is linked to Anwariya. New chat messages arrive here: "
    "reply to one to answer it."
)
LINKED = (
    "Done: this Telegram account is now linked to the Anwariya account of {name}. New chat messages "
    "arrive here; reply to one to answer it."
)
LINK_REFUSED = "{reason} Make a new code on your Anwariya profile (Telegram section) and send /start CODE again."
NOT_LINKED = (
    "This Telegram account is not linked to Anwariya. Open your Anwariya profile to get a code, "
    "then send /start CODE here."
)
HOW_TO_ANSWER = (
    "To answer a chat message, reply to it here (swipe it left or tap it and choose Reply), then send "
    "your text. Other messages do not reach anyone."
)
UNMAPPED_REPLY = (
    "I can't tell which chat that message belongs to. Reply to a notification of a chat message to answer it."
)
TEXT_ONLY = "Only text can be sent to an Anwariya chat. Reply to the notification with your text."
NOT_SENT = "Your answer was not sent: {reason}"


def telegram_update_receive(*, update: dict) -> TelegramUpdate | None:
    """Handle one webhook update once. Returns its row, or None when it was handled before.

    A failure while handling is logged and recorded as the outcome ``error``: Telegram still
    gets its 200, so one bad update never holds up the ones after it.
    """
    kind = next((key for key in update if key != "update_id"), "unknown")
    kind = kind if UPDATE_KIND.fullmatch(kind) else "unknown"
    message = update.get("message") if kind == "message" and isinstance(update.get("message"), dict) else None
    telegram_chat = (message or {}).get("chat")
    telegram_chat_id = _integer((telegram_chat or {}).get("id")) if isinstance(telegram_chat, dict) else None
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = TelegramUpdate.objects.create(
                    update_id=update["update_id"], kind=kind, telegram_chat_id=telegram_chat_id
                )
        except IntegrityError:
            return None  # already claimed: a replay, or a duplicate delivery racing this one
        try:
            with transaction.atomic():
                outcome = _handle_message(message, telegram_chat_id) if message is not None else "ignored"
        except Exception:  # recorded and logged: Telegram must not retry it forever
            logger.exception("Telegram update %s could not be handled", row.update_id)
            outcome = "error"
        row.outcome = outcome
        row.save(update_fields=["outcome"])
    return row


def _handle_message(message: dict, telegram_chat_id: int | None) -> str:
    telegram_chat = message.get("chat") or {}
    sender = message.get("from") if isinstance(message.get("from"), dict) else {}
    # Groups and channels are ignored; an update that does not say is taken as a private chat.
    if telegram_chat_id is None or telegram_chat.get("type", "private") != "private" or sender.get("is_bot"):
        return "ignored"  # the bot talks one to one with people only
    message_id = _integer(message.get("message_id"))
    text = message.get("text") if isinstance(message.get("text"), str) else ""
    command, argument = _command(text)
    account = (
        TelegramAccount.objects.select_related("user")
        .filter(telegram_chat_id=telegram_chat_id, user__is_active=True)
        .first()
    )

    def reply(reply_text, *, quote=False):
        telegram_message_queue(
            telegram_chat_id=telegram_chat_id,
            text=reply_text,
            kind=TelegramMessage.Kind.REPLY,
            user=account.user if account else None,
            reply_to_message_id=message_id if quote else None,
        )

    if command == "/start" and argument:
        try:
            account = telegram_account_link(code=argument, telegram_chat_id=telegram_chat_id, telegram_user=sender)
        except LinkCodeRefused as refusal:
            reply(LINK_REFUSED.format(reason=refusal.errors["code"][0]), quote=True)
            return "link_refused"
        reply(LINKED.format(name=account.user.display_name))
        return "linked"
    if command in ("/start", "/help"):
        reply(GREETING_LINKED.format(name=account.user.display_name) if account else GREETING)
        return "greeted"
    if account is None:
        reply(NOT_LINKED)
        return "not_linked"

    replied_to = message.get("reply_to_message")
    if not isinstance(replied_to, dict):
        reply(HOW_TO_ANSWER, quote=True)
        return "not_a_reply"
    notification = telegram_notification_replied_to(account=account, telegram_message_id=replied_to.get("message_id"))
    if notification is None:
        reply(UNMAPPED_REPLY, quote=True)
        return "unmapped_reply"
    if not text.strip():
        reply(TEXT_ONLY, quote=True)
        return "not_text"
    try:
        chat_services.message_send(chat=notification.chat, sender=account.user, text=text)
    except DomainError as error:
        reasons = [line for lines in error.errors.values() for line in lines]
        reply(NOT_SENT.format(reason=" ".join(reasons) or error.detail), quote=True)
        return "refused"
    return "posted"


def _command(text: str) -> tuple[str, str]:
    """('/start', 'CODE') from '/start CODE' or '/start@SomeBot CODE'; ('', '') for plain text."""
    if not text.startswith("/"):
        return "", ""
    head, _, argument = text.strip().partition(" ")
    return head.split("@", 1)[0].lower(), argument.strip()


def _integer(value) -> int | None:
    """An id Telegram could send: an int within a signed 64-bit column, else None."""
    if isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63:
        return value
    return None
