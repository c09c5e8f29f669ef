"""Telegram bridge writes: link codes and links, and the outbox of messages the bot sends.

Messages are recorded before they are sent, and every attempt is recorded on the row, so the
admin shows what went out, what waits and what failed (with Telegram's reason).
"""

import secrets
from contextlib import nullcontext
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from anwariya.celery import enqueue_on_commit
from anwariya.db import unique_rule_atomic
from anwariya.errors import Conflict, DomainError
from chat.models import Message, TelegramAccount, TelegramLinkCode, TelegramMessage
from chat.telegram import client as telegram_client
from chat.telegram.client import TEXT_MAX, TelegramSendError, clip_text
from chat.telegram.selectors import telegram_account_for, telegram_is_configured

LINK_CODE_LIFETIME = timedelta(minutes=30)
# No 0/O or 1/I: people copy the code by hand from a phone screen.
LINK_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LINK_CODE_LENGTH = 8
NOTIFICATION_FOOTER = "\n\nReply to this message to answer."
ERROR_MAX = 2000


class TelegramNotConfigured(Conflict):
    code = "telegram_not_configured"
    default_detail = "The Telegram bot is not set up on this site."


class LinkCodeRefused(DomainError):
    code = "invalid_link_code"


def telegram_link_code_issue(*, user) -> TelegramLinkCode:
    """Make a new one-time link code for ``user``; it replaces any earlier code."""
    if not telegram_is_configured():
        raise TelegramNotConfigured()
    now = timezone.now()
    for _ in range(5):
        code = "".join(secrets.choice(LINK_CODE_ALPHABET) for _ in range(LINK_CODE_LENGTH))
        try:
            with transaction.atomic():
                link_code, _ = TelegramLinkCode.objects.update_or_create(
                    user=user,
                    defaults={"code": code, "created_at": now, "expires_at": now + LINK_CODE_LIFETIME, "used_at": None},
                )
        except IntegrityError:
            continue  # another user holds this code (or made theirs at the same instant): draw again
        return link_code
    raise Conflict("Could not make a link code; please try again.", errors={"code": ["Try again."]})


def telegram_account_link(*, code: str, telegram_chat_id: int, telegram_user: dict) -> TelegramAccount:
    """Link the Telegram chat that sent ``/start CODE`` to the code's user.

    The code is used up. A Telegram chat linked to someone else moves to this user, and the
    user's earlier Telegram chat (if any) is unlinked: one chat, one user, both ways.
    """
    normalised = (code or "").strip().upper()
    now = timezone.now()
    with transaction.atomic():
        link_code = TelegramLinkCode.objects.select_for_update().select_related("user").filter(code=normalised).first()
        if link_code is None or not link_code.user.is_active:
            raise LinkCodeRefused(errors={"code": ["This code is not valid."]})
        if link_code.used_at is not None:
            raise LinkCodeRefused(errors={"code": ["This code was already used."]})
        if link_code.expires_at <= now:
            raise LinkCodeRefused(errors={"code": ["This code has expired."]})
        # The conditional update is the single use: of two concurrent redemptions one wins.
        if not TelegramLinkCode.objects.filter(pk=link_code.pk, used_at__isnull=True).update(used_at=now):
            raise LinkCodeRefused(errors={"code": ["This code was already used."]})
        user = link_code.user
        TelegramAccount.objects.filter(telegram_chat_id=telegram_chat_id).exclude(user=user).delete()
        telegram_user_id = telegram_user.get("id")
        account, _ = TelegramAccount.objects.update_or_create(
            user=user,
            defaults={
                "telegram_chat_id": telegram_chat_id,
                "telegram_user_id": telegram_user_id if isinstance(telegram_user_id, int) else None,
                "username": str(telegram_user.get("username") or "")[:64],
                "first_name": str(telegram_user.get("first_name") or "")[:128],
                "linked_at": now,
            },
        )
    return account


def telegram_account_unlink(*, user) -> bool:
    """Stop sending ``user``'s chat messages to Telegram. Returns whether there was a link."""
    deleted, _ = TelegramAccount.objects.filter(user=user).delete()
    return bool(deleted)


def telegram_message_queue(
    *,
    telegram_chat_id: int,
    text: str,
    kind: str,
    user=None,
    chat=None,
    message: Message | None = None,
    reply_to_message_id: int | None = None,
) -> TelegramMessage:
    """Record a message for the bot to send, and send it in a task once the transaction commits."""
    from chat.tasks import telegram_deliver

    notification = kind == TelegramMessage.Kind.NOTIFICATION and message is not None
    rule = "telegram_message_one_notification_per_recipient"
    lock = unique_rule_atomic(TelegramMessage, rule, message.pk, user.pk if user else "") if notification else None
    with lock or nullcontext(False) as locked:
        # One notification of a message per recipient, where the database has no index for it.
        if locked and notification:
            earlier = TelegramMessage.objects.filter(kind=kind, message=message, user=user).first()
            if earlier is not None:
                return earlier
        outbound = TelegramMessage.objects.create(
            user=user,
            telegram_chat_id=telegram_chat_id,
            kind=kind,
            chat=chat,
            message=message,
            text=clip_text(text),
            reply_to_message_id=reply_to_message_id,
        )
    enqueue_on_commit(telegram_deliver, outbound.pk)
    return outbound


def telegram_notify_new_message(*, message: Message) -> list[TelegramMessage]:
    """Queue a Telegram notification of ``message`` to the other participant, if they linked Telegram."""
    if not telegram_is_configured():
        return []
    chat = message.chat
    others = [pk for pk in (chat.vendor_id, chat.influencer_id) if pk != message.sender_id]
    accounts = TelegramAccount.objects.select_related("user").filter(user_id__in=others, user__is_active=True)
    return [
        telegram_message_queue(
            telegram_chat_id=account.telegram_chat_id,
            text=notification_text(message),
            kind=TelegramMessage.Kind.NOTIFICATION,
            user=account.user,
            chat=chat,
            message=message,
        )
        for account in accounts
    ]


def notification_text(message: Message) -> str:
    """'<sender> (<campaign>): <text>' and how to answer, the text cut to fit Telegram's limit."""
    chat = message.chat
    header = message.sender.public_name
    if chat.campaign_id:
        header += f" ({chat.campaign.title})"
    header += ": "
    room = TEXT_MAX - _utf16_length(header) - _utf16_length(NOTIFICATION_FOOTER)
    return header + clip_text(message.text, room) + NOTIFICATION_FOOTER


def telegram_message_deliver(*, outbound: TelegramMessage, last_attempt: bool) -> TelegramMessage:
    """Send one recorded message now and record the attempt on it.

    On failure the row stays pending for another attempt, unless the error is permanent or this
    was ``last_attempt``: then it is failed. The ``TelegramSendError`` is raised either way.
    """
    try:
        _check_still_linked(outbound)
        with telegram_client.make_client() as client:
            result = client.send_message(
                chat_id=outbound.telegram_chat_id,
                text=outbound.text,
                reply_to_message_id=outbound.reply_to_message_id,
            )
    except TelegramSendError as error:
        final = error.permanent or last_attempt
        outbound.status = TelegramMessage.Status.FAILED if final else TelegramMessage.Status.PENDING
        outbound.attempts += 1
        outbound.last_error = str(error)[:ERROR_MAX]
        outbound.save(update_fields=["status", "attempts", "last_error"])
        raise
    outbound.status = TelegramMessage.Status.SENT
    outbound.attempts += 1
    outbound.last_error = ""
    outbound.telegram_message_id = result["message_id"]
    outbound.sent_at = timezone.now()
    rule = "telegram_message_unique_per_telegram_chat"
    with unique_rule_atomic(TelegramMessage, rule, outbound.telegram_chat_id, outbound.telegram_message_id) as locked:
        # What PostgreSQL's index would say, where the database has none (MariaDB, MySQL).
        if (
            locked
            and TelegramMessage.objects.filter(
                telegram_chat_id=outbound.telegram_chat_id, telegram_message_id=outbound.telegram_message_id
            )
            .exclude(pk=outbound.pk)
            .exists()
        ):
            raise IntegrityError(f"{rule}: Telegram message {outbound.telegram_message_id} is recorded already")
        outbound.save(update_fields=["status", "attempts", "last_error", "telegram_message_id", "sent_at"])
    return outbound


def telegram_send_now(*, user, text: str, chat=None) -> TelegramMessage:
    """Send ``text`` to ``user``'s linked Telegram chat now (for callers with their own retries).

    Records the message, calls sendMessage and marks it sent, keeping Telegram's message id so a
    reply posts into ``chat`` when one is given. On any failure the row is marked failed and
    ``TelegramSendError`` is raised; ``permanent=True`` when the bot is not configured or the
    user has no link.
    """
    if not telegram_is_configured():
        raise TelegramSendError("The Telegram bot is not configured.", permanent=True)
    account = telegram_account_for(user)
    if account is None:
        raise TelegramSendError(f"{user} has not linked a Telegram account.", permanent=True)
    if not isinstance(text, str) or not text.strip():
        raise TelegramSendError("There is no text to send.", permanent=True)
    outbound = TelegramMessage.objects.create(
        user=user,
        telegram_chat_id=account.telegram_chat_id,
        kind=TelegramMessage.Kind.DIRECT,
        chat=chat,
        text=clip_text(text.strip()),
    )
    return telegram_message_deliver(outbound=outbound, last_attempt=True)


def _check_still_linked(outbound: TelegramMessage):
    """A message for a user goes only to the Telegram chat they have linked now (they may have
    unlinked or moved since it was queued)."""
    if outbound.kind == TelegramMessage.Kind.REPLY or outbound.user_id is None:
        return
    linked = TelegramAccount.objects.filter(
        user_id=outbound.user_id, telegram_chat_id=outbound.telegram_chat_id
    ).exists()
    if not linked:
        raise TelegramSendError("The user no longer has this Telegram chat linked.", permanent=True)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def telegram_forget_user(user) -> None:
    """An account that closes loses its Telegram link, its link code and the bot's messages to
    its Telegram chat (they name that chat). Runs inside the closing transaction (``accounts.hooks``)."""
    telegram_account_unlink(user=user)
    TelegramLinkCode.objects.filter(user=user).delete()
    TelegramMessage.objects.filter(user=user).delete()
