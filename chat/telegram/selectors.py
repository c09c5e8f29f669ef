"""Telegram bridge reads: a user's link, what the profile page shows, and the bot's health."""

from collections.abc import Callable

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from chat.models import TelegramAccount, TelegramLinkCode, TelegramMessage, TelegramUpdate


def telegram_is_configured() -> bool:
    """The bridge works only with both a bot token (to send) and a webhook secret (to receive)."""
    return bool(settings.TELEGRAM_BOT_TOKEN and settings.TELEGRAM_WEBHOOK_SECRET)


def telegram_account_for(user) -> TelegramAccount | None:
    """The user's Telegram link, or None."""
    if user is None or user.pk is None:
        return None
    return TelegramAccount.objects.filter(user=user).first()


def telegram_start_command(code: str) -> str:
    return f"/start {code}"


def telegram_bot_link(code: str | None = None) -> str:
    """The t.me link that opens the bot (and sends ``/start CODE`` when given), if its name is known."""
    if not settings.TELEGRAM_BOT_USERNAME:
        return ""
    link = f"https://t.me/{settings.TELEGRAM_BOT_USERNAME}"
    return f"{link}?start={code}" if code else link


def telegram_link_status(user) -> dict:
    """Everything the profile page and the link API show: the link, and the usable code if any."""
    account = telegram_account_for(user)
    link_code = TelegramLinkCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now()).first()
    code = None
    if link_code is not None:
        code = {
            "code": link_code.code,
            "expires_at": link_code.expires_at,
            "command": telegram_start_command(link_code.code),
            "bot_link": telegram_bot_link(link_code.code),
        }
    return {
        "configured": telegram_is_configured(),
        "bot_username": settings.TELEGRAM_BOT_USERNAME,
        "linked": account is not None,
        "account": account,
        "code": code,
    }


def telegram_notification_replied_to(*, account: TelegramAccount, telegram_message_id) -> TelegramMessage | None:
    """The bot's message about a chat that ``account`` is replying to, if it maps to one of their chats."""
    if not isinstance(telegram_message_id, int) or isinstance(telegram_message_id, bool):
        return None
    return (
        TelegramMessage.objects.select_related("chat")
        .filter(
            telegram_chat_id=account.telegram_chat_id,
            telegram_message_id=telegram_message_id,
            user_id=account.user_id,
            chat__isnull=False,
        )
        .first()
    )


WaitingCounter = Callable[[], int]

_waiting_counters: list[WaitingCounter] = []


def register_waiting_counter(counter: WaitingCounter) -> WaitingCounter:
    """Count, in the bot's ``deliveries_waiting``, messages that an app above chat will send on
    Telegram but has not yet (its own outbox, not yet in ``TelegramMessage``).

    ``counter()`` returns how many are waiting now. This is the seam that lets ``chat`` report
    them without importing that app: ``broadcasts`` registers its count of Telegram deliveries
    still to send in ``BroadcastsConfig.ready``. To see who adds to the count, read the
    ``register_waiting_counter`` calls. A counter registered twice counts once. Returns it."""
    if counter not in _waiting_counters:
        _waiting_counters.append(counter)
    return counter


def telegram_bot_status() -> dict:
    """The bot's health: is it set up, when did Telegram last reach it, what is waiting or failed.

    Waiting are the bot's own outgoing messages not sent yet, plus what each registered
    ``register_waiting_counter`` counts (broadcast deliveries on Telegram)."""
    deliveries = TelegramMessage.objects.aggregate(
        waiting=Count("pk", filter=Q(status=TelegramMessage.Status.PENDING)),
        failed=Count("pk", filter=Q(status=TelegramMessage.Status.FAILED)),
    )
    others_waiting = sum(counter() for counter in tuple(_waiting_counters))
    return {
        "configured": telegram_is_configured(),
        "bot_username": settings.TELEGRAM_BOT_USERNAME,
        "last_update_at": TelegramUpdate.objects.aggregate(last=Max("received_at"))["last"],
        "deliveries_waiting": deliveries["waiting"] + others_waiting,
        "deliveries_failed": deliveries["failed"],
    }


def telegram_export(user) -> dict | None:
    """The user's Telegram link for their data export (``accounts.hooks``), or None."""
    account = telegram_account_for(user)
    if account is None:
        return None
    return {
        "telegram_user_id": account.telegram_user_id,
        "username": account.username,
        "first_name": account.first_name,
        "linked_at": account.linked_at,
    }


def telegram_export_rows(user) -> int:
    return 1
