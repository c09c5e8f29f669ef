"""Sending a running broadcast: the chain of batches, one delivery at a time (run by ``broadcasts.tasks``).

Starting resolves the audience into one ``Delivery`` per recipient and channel (a unique
constraint makes that once only), reserves the tokens, and starts the run's chain of batches,
one a second, ``BROADCAST_RATE_PER_SECOND`` deliveries each. A batch claims its rows briefly
(``sending``) and sends each with no lock held; a chat message commits with its delivery's
status, so running the fan-out again (after a crash, a resume, a retry) never sends it twice.
A failed attempt is retried twice with growing backoff; ``BROADCAST_MAX_ERRORS`` failed attempts
in a row pause the broadcast. At the end the tokens of recipients nothing reached are refunded.

The lifecycle's writes (a new run, pausing after errors, finishing, refunds) are
``broadcasts.services``'; this module calls them by their public names.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from broadcasts.models import Broadcast, Delivery
from broadcasts.selectors import render_content, render_message, stalled_before
from broadcasts.services import (
    broadcast_finish_if_done,
    broadcast_launch_due,
    broadcast_note_attempt,
    broadcast_recount,
    broadcast_revive_if_stalled,
    broadcast_settle_cancelled,
)
from broadcasts.validation import error_text

Status, Channel = Broadcast.Status, Broadcast.Channel

RETRIES = 2  # after the first attempt


class PermanentDeliveryError(Exception):
    """A delivery that retrying cannot help (no such address, blocked bot)."""


class DeliverySkipped(Exception):
    """Nothing to deliver to any more (the recipient's account was closed)."""


def _runs_in_process() -> bool:
    """Without a broker (no ``REDIS_URL``) tasks run inline: the fan-out then loops in place, and
    neither the rate limit nor the retry backoff waits."""
    from anwariya.celery import app

    return bool(app.conf.task_always_eager)


def broadcast_dispatch(*, broadcast_id: int, run: int) -> None:
    """Start this run's chain of batches (in process: send everything now)."""
    from broadcasts.tasks import broadcast_send_batch  # the tasks module imports this one

    if _runs_in_process():
        while broadcast_send_batch_now(broadcast_id=broadcast_id, run=run, chain=False):
            pass
        broadcast_finish_if_done(broadcast_id=broadcast_id)
        return
    broadcast_send_batch.delay(broadcast_id, run)


def broadcast_send_batch_now(*, broadcast_id: int, run: int, chain: bool = True) -> int:
    """Send up to one second's worth of deliveries that are due, then queue the next batch of the
    chain (one a second) while work is left. Returns how many deliveries were claimed.

    Rows are claimed for this run in a short transaction (``sending``, with ``SKIP LOCKED``), then
    each is sent on its own: a chat message is written in the same transaction that marks its
    delivery sent; email and Telegram are marked sent right after the call. No lock is held across
    a send. Once a newer run exists, this batch sends no more and records only what already went
    out (a new run: ``broadcasts.services``)."""
    broadcast = (
        Broadcast.objects.select_related("vendor", "campaign").filter(pk=broadcast_id, status=Status.RUNNING, run=run)
    ).first()
    if broadcast is None:
        return 0
    claimed = _claim(broadcast, run, due_by=None if not chain else timezone.now())
    for index, delivery in enumerate(claimed):
        now = Broadcast.objects.filter(pk=broadcast.pk).values_list("status", "run").first()
        if now != (Status.RUNNING, run):  # paused, cancelled or superseded mid-batch
            _release(claimed[index:], run, cancelled=now is not None and now[0] == Status.CANCELLED)
            break
        _attempt(broadcast, delivery, run)
    broadcast_recount(broadcast=broadcast)
    broadcast_finish_if_done(broadcast_id=broadcast_id)
    if chain:
        _queue_next_batch(broadcast_id, run)
    return len(claimed)


def _claim(broadcast: Broadcast, run: int, *, due_by) -> list[Delivery]:
    """Mark the next due rows ``sending`` for ``run``. The broadcast's row is locked meanwhile, as
    a resume or cancel locks it: a claim never lands after a newer run took back the old ones."""
    waiting = Q(status=Delivery.Status.PENDING) | Q(status=Delivery.Status.RETRYING)
    if due_by is not None:
        waiting = Q(status=Delivery.Status.PENDING) | Q(status=Delivery.Status.RETRYING, next_attempt_at__lte=due_by)
    with transaction.atomic():
        current = Broadcast.objects.select_for_update().filter(pk=broadcast.pk, status=Status.RUNNING, run=run)
        if current.values_list("pk", flat=True).first() is None:
            return []
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(waiting, broadcast=broadcast)
            .order_by("pk")
            .values_list("pk", flat=True)[: max(settings.BROADCAST_RATE_PER_SECOND, 1)]
        )
        Delivery.objects.filter(pk__in=ids).update(
            status=Delivery.Status.SENDING, claimed_run=run, attempts=F("attempts") + 1, updated_at=timezone.now()
        )
    return list(Delivery.objects.select_related("recipient").filter(pk__in=ids).order_by("pk"))


def _release(deliveries, run: int, *, cancelled=False) -> None:
    """This run's claimed rows that were not tried go back in line (their attempt is not counted),
    or are skipped when the broadcast was cancelled meanwhile. Rows a newer run took are its own."""
    rows = Delivery.objects.filter(pk__in=[d.pk for d in deliveries], status=Delivery.Status.SENDING, claimed_run=run)
    if cancelled:
        rows.update(status=Delivery.Status.SKIPPED, last_error="Cancelled.", updated_at=timezone.now())
    else:
        rows.update(status=Delivery.Status.PENDING, attempts=F("attempts") - 1, updated_at=timezone.now())


def _queue_next_batch(broadcast_id: int, run: int) -> None:
    from broadcasts.tasks import broadcast_send_batch  # the tasks module imports this one

    broadcast = Broadcast.objects.filter(pk=broadcast_id, status=Status.RUNNING, run=run).first()
    if broadcast is None:
        return
    deliveries = broadcast.deliveries
    if deliveries.filter(status=Delivery.Status.PENDING).exists():
        delay = 1
    else:
        next_retry = deliveries.filter(status=Delivery.Status.RETRYING).order_by("next_attempt_at").first()
        if next_retry is None:
            return  # only rows being sent are left: their batch finishes the broadcast
        delay = max(1, int((next_retry.next_attempt_at - timezone.now()).total_seconds()) + 1)
    broadcast_send_batch.apply_async((broadcast_id, run), countdown=delay)


def broadcasts_tick() -> dict:
    """Start the scheduled broadcasts that are due, resume running ones that have not moved for
    ``BROADCAST_STALLED_AFTER_SECONDS`` (their worker died: a new run takes back the rows the
    dead one left ``sending`` and its chain starts), and settle cancelled ones whose last batch
    never reported back."""
    now = timezone.now()
    started = 0
    for broadcast in Broadcast.objects.filter(status=Status.SCHEDULED, scheduled_at__lte=now):
        started += broadcast_launch_due(broadcast=broadcast).status == Status.RUNNING
    quiet_since = stalled_before(now)
    revived = 0
    for broadcast in Broadcast.objects.filter(status=Status.RUNNING, updated_at__lt=quiet_since):
        revived += broadcast_revive_if_stalled(broadcast=broadcast, quiet_since=quiet_since)
    abandoned = Broadcast.objects.filter(
        status=Status.CANCELLED,
        deliveries__status=Delivery.Status.SENDING,
        deliveries__updated_at__lt=quiet_since,
    ).distinct()
    settled = 0
    for broadcast in abandoned:
        broadcast_settle_cancelled(broadcast=broadcast)
        settled += 1
    return {"started": started, "revived": revived, "settled": settled}


def _attempt(broadcast: Broadcast, delivery: Delivery, run: int) -> None:
    """One attempt at one delivery claimed by ``run``; its outcome is recorded on the row."""
    from celery.exceptions import SoftTimeLimitExceeded

    outcome = {}
    try:
        if delivery.channel == Channel.CHAT:
            with transaction.atomic():
                # Locked until the message commits with its status: a newer run taking the row
                # back waits for this, then finds it sent.
                mine = Delivery.objects.select_for_update().filter(
                    pk=delivery.pk, status=Delivery.Status.SENDING, claimed_run=run
                )
                if not mine:
                    return  # taken back meanwhile by a newer run, which sends it
                outcome = {"status": Delivery.Status.SENT, "message": _send(broadcast, delivery)}
                _record(delivery, run, **outcome, sent_at=timezone.now(), last_error="")
            broadcast_note_attempt(broadcast=broadcast, failed=False)
            return
        _send(broadcast, delivery)
        outcome = {"status": Delivery.Status.SENT, "sent_at": timezone.now(), "last_error": ""}
    except DeliverySkipped as error:
        outcome = {"status": Delivery.Status.SKIPPED, "last_error": str(error)[:2000]}
    except PermanentDeliveryError as error:
        outcome = {"status": Delivery.Status.FAILED, "last_error": str(error)[:2000]}
    except SoftTimeLimitExceeded:
        _release([delivery], run)
        raise
    except Exception as error:  # noqa: BLE001 - any failure of the channel is recorded and retried
        outcome = _retry_or_fail(delivery, f"{type(error).__name__}: {error}"[:2000], error)
    _record(delivery, run, **outcome)
    if outcome["status"] in (Delivery.Status.SENT, Delivery.Status.SKIPPED):
        broadcast_note_attempt(broadcast=broadcast, failed=False)
    elif not outcome.get("throttled"):
        broadcast_note_attempt(broadcast=broadcast, failed=True)


def _retry_or_fail(delivery: Delivery, reason: str, error: Exception) -> dict:
    retry_after = getattr(error, "retry_after", None)
    if (
        retry_after and not _runs_in_process()
    ):  # the channel's own rate limit (Telegram 429): wait as told, not an attempt
        return {
            "status": Delivery.Status.RETRYING,
            "last_error": reason,
            "next_attempt_at": timezone.now() + timezone.timedelta(seconds=int(retry_after)),
            "attempts": delivery.attempts - 1,
            "throttled": True,
        }
    if delivery.attempts <= RETRIES:
        backoff = settings.BROADCAST_RETRY_BACKOFF_SECONDS * 2 ** (delivery.attempts - 1)
        return {
            "status": Delivery.Status.RETRYING,
            "last_error": reason,
            "next_attempt_at": timezone.now() + timezone.timedelta(seconds=backoff),
        }
    return {"status": Delivery.Status.FAILED, "last_error": reason}


def _record(delivery: Delivery, run: int, throttled=False, **fields) -> None:
    """The outcome of ``run``'s attempt, on a row that run still owns. What went out is also
    recorded on a row a newer run took back but has not claimed again (no second send then)."""
    owned = Q(status=Delivery.Status.SENDING)
    if fields["status"] == Delivery.Status.SENT:
        owned |= Q(status=Delivery.Status.PENDING)
    Delivery.objects.filter(owned, pk=delivery.pk, claimed_run=run).update(**fields, updated_at=timezone.now())


def _send(broadcast: Broadcast, delivery: Delivery):
    """Deliver on the delivery's channel. Returns the chat message for in-app deliveries."""
    from chat.services import ChatError, NotAllowed, chat_open, message_send
    from chat.telegram import TelegramSendError, telegram_account_for, telegram_is_configured, telegram_send_now

    recipient = delivery.recipient
    if not recipient.is_active:
        raise DeliverySkipped("The recipient's account is no longer active.")
    text = render_message(broadcast, recipient)
    if delivery.channel == Channel.EMAIL:
        EmailMessage(
            # One line whatever a recipient's name holds: a line break in a subject fails every send.
            subject=" ".join(render_content(broadcast, recipient)[0].split()),
            body=f"{text}\n\n— {broadcast.vendor.public_name}, via Anwariya",
            to=[recipient.email],
            reply_to=[broadcast.vendor.email],
        ).send()
        return None
    if delivery.channel == Channel.TELEGRAM:
        if not telegram_is_configured():
            raise DeliverySkipped("The Telegram bot is not set up.")
        if telegram_account_for(recipient) is None:
            raise DeliverySkipped("No Telegram account linked.")
    try:
        chat, _ = chat_open(actor=broadcast.vendor, other=recipient, campaign=broadcast.campaign, free=True)
        if delivery.channel == Channel.CHAT:
            # With a Telegram delivery of its own, the chat message is not also relayed there.
            relay = Channel.TELEGRAM not in broadcast.channels
            return message_send(chat=chat, sender=broadcast.vendor, text=text, notify_telegram=relay)
    except (ChatError, NotAllowed) as error:
        raise PermanentDeliveryError(error_text(error)) from error
    try:
        telegram_send_now(user=recipient, text=text, chat=chat)
    except TelegramSendError as error:
        if error.permanent:
            raise PermanentDeliveryError(str(error)) from error
        raise
    return None
