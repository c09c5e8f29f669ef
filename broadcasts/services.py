"""Broadcast writes: drafts, the lifecycle, tokens and counters.

draft → (scheduled →) running ⇄ paused → finished; anything started can be cancelled. Each
start, resume or retry is a new run (``_new_run``), whose chain of batches ``broadcasts.sending``
runs; the batches report back through the public functions at the end of this module.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from accounts.models import Role, User, WalletTransaction
from accounts.wallet import wallet_grant, wallet_spend
from anwariya.celery import enqueue_on_commit
from anwariya.db import select_for_update_own_rows
from anwariya.errors import Conflict, DomainError
from broadcasts.models import DELIVERY_ACTIVE, Broadcast, Delivery
from broadcasts.selectors import broadcast_audience, stalled_before
from broadcasts.validation import BroadcastError, clean_audience, clean_content, error_text
from campaigns.models import Campaign
from chat.telegram import TelegramAccount, telegram_is_configured

Status, Channel = Broadcast.Status, Broadcast.Channel

# --- Drafts ---------------------------------------------------------------------------------


def broadcast_create(
    *,
    vendor: User,
    actor: User,
    title: str,
    body: str,
    audience: str | None = None,
    channels=(Channel.CHAT,),
    campaign: Campaign | None = None,
    filters=None,
    recipients=None,
    scheduled_at=None,
) -> Broadcast:
    if vendor.role != Role.VENDOR:
        raise BroadcastError(errors={"vendor": ["Broadcasts are sent by vendors."]})
    cleaned = clean_audience(
        vendor=vendor, audience=audience, campaign=campaign, filters=filters, recipients=recipients
    )
    fields = clean_content(
        {"title": title, "body": body, "channels": list(channels), "scheduled_at": scheduled_at}, campaign
    )
    with transaction.atomic():
        broadcast = Broadcast.objects.create(
            vendor=vendor,
            created_by=actor,
            audience=cleaned["audience"],
            campaign=cleaned["campaign"],
            filters=cleaned["filters"],
            **fields,
        )
        broadcast.recipients.set(cleaned["recipients"])
    return broadcast


def broadcast_update(*, broadcast: Broadcast, **fields) -> Broadcast:
    """Change a draft. The audience fields are checked together, as they will be sent."""
    with transaction.atomic():
        return _update_locked(_locked(broadcast), fields)


def _update_locked(broadcast: Broadcast, fields: dict) -> Broadcast:
    _require(broadcast, {Status.DRAFT}, "Only drafts can be edited.")
    audience_fields = {"audience", "campaign", "filters", "recipients"}
    merged = {
        "audience": broadcast.audience,
        "campaign": broadcast.campaign,
        "filters": broadcast.filters,
        "recipients": list(broadcast.recipients.values_list("pk", flat=True)),
        **{key: value for key, value in fields.items() if key in audience_fields},
    }
    cleaned = clean_audience(vendor=broadcast.vendor, **merged)
    content = {key: value for key, value in fields.items() if key in {"title", "body", "channels", "scheduled_at"}}
    content.setdefault("title", broadcast.title)  # their placeholders are checked against the new campaign
    content.setdefault("body", broadcast.body)
    content = clean_content(content, cleaned["campaign"])
    changes = {
        **content,
        "audience": cleaned["audience"],
        "campaign": cleaned["campaign"],
        "filters": cleaned["filters"],
    }
    for key, value in changes.items():
        setattr(broadcast, key, value)
    broadcast.save(update_fields=[*changes, "updated_at"])
    broadcast.recipients.set(cleaned["recipients"])
    return broadcast


def broadcast_delete(*, broadcast: Broadcast) -> None:
    with transaction.atomic():
        broadcast = _locked(broadcast)
        _require(broadcast, {Status.DRAFT}, "Only drafts can be deleted; cancel a broadcast that has started.")
        broadcast.delete()


# --- Lifecycle ------------------------------------------------------------------------------


def broadcast_start(*, broadcast: Broadcast) -> Broadcast:
    """Send a draft now, or at its scheduled time (the beat's ``broadcasts_tick`` starts it)."""
    with transaction.atomic():
        broadcast = _locked(broadcast)
        _require(broadcast, {Status.DRAFT}, "Only a draft can be started.")
        if broadcast.scheduled_at and broadcast.scheduled_at > timezone.now():
            if not broadcast_audience(broadcast).exists():
                raise BroadcastError(errors={"audience": ["No influencer matches this audience."]})
            _set(broadcast, status=Status.SCHEDULED)
            return broadcast
        _launch(broadcast)
    return broadcast


def broadcast_launch_due(*, broadcast: Broadcast) -> Broadcast:
    """Start a scheduled broadcast whose time has come. If it cannot (no tokens, nobody left in
    the audience), it waits paused with the reason, for the vendor to resume."""
    with transaction.atomic():
        broadcast = _locked(broadcast)
        if broadcast.status != Status.SCHEDULED:
            return broadcast
        try:
            with transaction.atomic():
                _launch(broadcast)
        except DomainError as error:
            _set(broadcast, status=Status.PAUSED, pause_reason=error_text(error))
    return broadcast


def broadcast_pause(*, broadcast: Broadcast, reason: str = "Paused by the vendor.") -> Broadcast:
    with transaction.atomic():
        broadcast = _locked(broadcast)
        _require(broadcast, {Status.RUNNING}, "Only a running broadcast can be paused.")
        _set(broadcast, status=Status.PAUSED, pause_reason=reason)
    return broadcast


def broadcast_resume(*, broadcast: Broadcast) -> Broadcast:
    """Continue where it stopped: a new run sends only what is still to send. A running broadcast
    may be resumed too, after its worker died: the rows the dead run left ``sending`` go back in
    line at once (``_new_run``), so this one call finishes the broadcast."""
    with transaction.atomic():
        broadcast = _locked(broadcast)
        _require(broadcast, {Status.PAUSED, Status.RUNNING}, "Only a paused or running broadcast can be resumed.")
        if broadcast.started_at is None:  # a scheduled start that could not happen
            _launch(broadcast)
            return broadcast
        now = timezone.now()
        broadcast.deliveries.filter(status=Delivery.Status.RETRYING).update(next_attempt_at=now, updated_at=now)
        _new_run(broadcast, status=Status.RUNNING, pause_reason="", run_errors=0)
    return broadcast


def broadcast_cancel(*, broadcast: Broadcast) -> Broadcast:
    """Stop for good: what was not sent is skipped, and unused tokens go back.

    A batch sending right now finishes the message in hand, and the tokens are settled when it
    ends; what a dead worker left ``sending`` (``_skip_abandoned``) is skipped now, so cancelling
    a broadcast whose worker died settles it at once."""
    with transaction.atomic():
        broadcast = _locked(broadcast)
        _require(
            broadcast,
            {Status.SCHEDULED, Status.RUNNING, Status.PAUSED},
            "Only a scheduled, running or paused broadcast can be cancelled (delete a draft).",
        )
        broadcast.deliveries.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING]).update(
            status=Delivery.Status.SKIPPED, last_error="Cancelled.", updated_at=timezone.now()
        )
        _set(broadcast, status=Status.CANCELLED, finished_at=timezone.now(), pause_reason="")
        _settle_cancelled(broadcast)
    return broadcast


def broadcast_settle_cancelled(*, broadcast: Broadcast) -> Broadcast:
    """Settle a cancelled broadcast whose last batch never reported back (the beat's tick)."""
    with transaction.atomic():
        broadcast = _locked(broadcast)
        if broadcast.status == Status.CANCELLED:
            _settle_cancelled(broadcast)
    return broadcast


def _settle_cancelled(broadcast: Broadcast) -> None:
    _skip_abandoned(broadcast)
    broadcast_recount(broadcast=broadcast)
    if not broadcast.deliveries.filter(status=Delivery.Status.SENDING).exists():
        _refund(broadcast)  # else when the batch in flight ends (``broadcast_finish_if_done``)


def _skip_abandoned(broadcast: Broadcast) -> None:
    """Skip the claims no live batch holds: an earlier run's (its tasks stopped when a newer run
    began) and any untouched for ``BROADCAST_STALLED_AFTER_SECONDS`` (a batch reports within
    seconds). Whether such a message went out is unknown; its recipient's token is refunded."""
    now = timezone.now()
    abandoned = Q(claimed_run__lt=broadcast.run) | Q(claimed_run__isnull=True) | Q(updated_at__lt=stalled_before(now))
    broadcast.deliveries.filter(abandoned, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.SKIPPED,
        last_error="Cancelled; its worker stopped without reporting whether it went out.",
        updated_at=now,
    )


def broadcast_retry_failed(*, broadcast: Broadcast) -> int:
    """Send the failed deliveries again. A finished broadcast runs again, and reserves again the
    tokens it refunded for the recipients that are retried."""
    with transaction.atomic():
        broadcast = _locked(broadcast)
        _require(
            broadcast,
            {Status.RUNNING, Status.PAUSED, Status.FINISHED},
            "Only a running, paused or finished broadcast has deliveries to retry.",
        )
        failed = broadcast.deliveries.filter(status=Delivery.Status.FAILED)
        if not failed.exists():
            raise Conflict("No failed deliveries to retry.")
        if broadcast.status == Status.FINISHED:
            reached = broadcast.deliveries.filter(status=Delivery.Status.SENT).values("recipient")
            recipients = failed.exclude(recipient__in=reached).values("recipient").distinct().count()
            _reserve(broadcast, recipients, reason=f"Broadcast “{broadcast.title}”: retry of {recipients}")
        retried = failed.update(status=Delivery.Status.PENDING, attempts=0, last_error="", updated_at=timezone.now())
        if broadcast.status in (Status.FINISHED, Status.RUNNING):
            _new_run(broadcast, status=Status.RUNNING, finished_at=None, run_errors=0)
        broadcast_recount(broadcast=broadcast)
    return retried


def _launch(broadcast: Broadcast) -> None:
    """Materialise the deliveries, reserve the tokens, and queue the dispatch (inside a transaction)."""
    recipients = list(broadcast_audience(broadcast)[: settings.BROADCAST_MAX_RECIPIENTS + 1])
    if not recipients:
        raise BroadcastError(errors={"audience": ["No influencer matches this audience."]})
    if len(recipients) > settings.BROADCAST_MAX_RECIPIENTS:
        raise BroadcastError(
            errors={"audience": [f"More than {settings.BROADCAST_MAX_RECIPIENTS} recipients: narrow the audience."]}
        )
    _reserve(broadcast, len(recipients), reason=f"Broadcast “{broadcast.title}” to {len(recipients)} influencers")
    linked, bot_ready = set(), telegram_is_configured()
    if Channel.TELEGRAM in broadcast.channels and bot_ready:
        linked = set(
            TelegramAccount.objects.filter(user__in=[user.pk for user in recipients]).values_list("user_id", flat=True)
        )
    deliveries = []
    for user in recipients:
        for channel in broadcast.channels:
            delivery = Delivery(broadcast=broadcast, recipient=user, channel=channel)
            if channel == Channel.TELEGRAM and user.pk not in linked:
                delivery.status = Delivery.Status.SKIPPED
                delivery.last_error = "No Telegram account linked." if bot_ready else "The Telegram bot is not set up."
            deliveries.append(delivery)
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=1000)
    _new_run(
        broadcast,
        status=Status.RUNNING,
        pause_reason="",
        run_errors=0,
        recipient_count=len(recipients),
        started_at=timezone.now(),
    )
    broadcast_recount(broadcast=broadcast)


# --- Tokens and bookkeeping -----------------------------------------------------------------


def _reserve(broadcast: Broadcast, recipients: int, *, reason: str) -> None:
    price = settings.TOKEN_PRICE_BROADCAST_RECIPIENT if broadcast.started_at is None else broadcast.price_per_recipient
    amount = price * recipients
    if amount:
        wallet_spend(user=broadcast.vendor, amount=amount, reason=reason[:200], reference=f"broadcast:{broadcast.pk}")
    _set(broadcast, price_per_recipient=price, tokens_reserved=broadcast.tokens_reserved + amount)


def _refund(broadcast: Broadcast) -> None:
    """Give back the tokens of every recipient no delivery reached."""
    reached = broadcast.deliveries.filter(status=Delivery.Status.SENT).values("recipient").distinct().count()
    unused = broadcast.tokens_reserved - broadcast.tokens_refunded - broadcast.price_per_recipient * reached
    if unused > 0:
        wallet_grant(
            user=broadcast.vendor,
            amount=unused,
            kind=WalletTransaction.Kind.REFUND,
            reason=f"Broadcast “{broadcast.title}”: unused tokens"[:200],
            reference=f"broadcast:{broadcast.pk}",
        )
        _set(broadcast, tokens_refunded=broadcast.tokens_refunded + unused)


def broadcast_recount(*, broadcast: Broadcast) -> None:
    """The counters, recounted from the deliveries (their statuses are the truth)."""
    counts = dict(broadcast.deliveries.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n"))
    _set(
        broadcast,
        total=sum(counts.values()),
        sent=counts.get(Delivery.Status.SENT, 0),
        failed=counts.get(Delivery.Status.FAILED, 0),
        skipped=counts.get(Delivery.Status.SKIPPED, 0),
    )


def _set(broadcast: Broadcast, **fields) -> None:
    for key, value in fields.items():
        setattr(broadcast, key, value)
    broadcast.updated_at = timezone.now()
    Broadcast.objects.filter(pk=broadcast.pk).update(**fields, updated_at=broadcast.updated_at)


def _locked(broadcast: Broadcast) -> Broadcast:
    return select_for_update_own_rows(
        Broadcast.objects.select_related("vendor", "campaign").filter(pk=broadcast.pk)
    ).get()


def _require(broadcast: Broadcast, statuses: set, message: str) -> None:
    if broadcast.status not in statuses:
        raise Conflict(message, status=broadcast.status)


def _new_run(broadcast: Broadcast, **fields) -> None:
    """Start a new run on the locked ``broadcast``; its chain is queued on commit.

    Tasks of earlier runs stop when they see it, and what they claimed and left ``sending`` goes
    back in line now, whether their worker died or is still busy: a claim belongs to its run, and
    an earlier run's batch neither sends a row nor records it once this run may have taken it
    (``sending._attempt``, ``sending._record``). Batches claim under the broadcast's lock, so no
    claim of an earlier run can slip in after this."""
    from broadcasts.tasks import broadcast_dispatch  # the tasks module imports the sending code, which imports this

    _set(broadcast, run=broadcast.run + 1, **fields)
    # Found first, then updated by primary key: an update that walked the (broadcast, status) index
    # would hold its entries while waiting for a row a batch is sending, and that batch's own
    # update of the row's status needs them (InnoDB, MariaDB/MySQL: a deadlock). No claim can add a
    # row in between, as claims wait for the broadcast's lock, which this holds.
    earlier_claims = list(
        broadcast.deliveries.filter(status=Delivery.Status.SENDING)
        .exclude(claimed_run=broadcast.run)
        .values_list("pk", flat=True)
    )
    Delivery.objects.filter(pk__in=earlier_claims, status=Delivery.Status.SENDING).exclude(
        claimed_run=broadcast.run
    ).update(status=Delivery.Status.PENDING, updated_at=timezone.now())
    enqueue_on_commit(broadcast_dispatch, broadcast.pk, broadcast.run)


# --- What the sending batches report ---------------------------------------------------------


def broadcast_finish_if_done(*, broadcast_id: int) -> None:
    """Finish a running broadcast with nothing left to send; settle a cancelled one whose last
    in-flight deliveries just ended. Either way the unused tokens go back."""
    with transaction.atomic():
        broadcast = (
            Broadcast.objects.select_for_update()
            .filter(pk=broadcast_id, status__in=[Status.RUNNING, Status.CANCELLED])
            .first()
        )
        if broadcast is None or broadcast.deliveries.filter(status__in=DELIVERY_ACTIVE).exists():
            return
        if broadcast.status == Status.RUNNING:
            _set(broadcast, status=Status.FINISHED, finished_at=timezone.now())
        broadcast_recount(broadcast=broadcast)
        _refund(broadcast)


def broadcast_note_attempt(*, broadcast: Broadcast, failed: bool) -> None:
    """Count the current run's failed attempts in a row (a success starts again from nought):
    ``BROADCAST_MAX_ERRORS`` of them pause the broadcast with the reason, until it is resumed."""
    if not failed:
        Broadcast.objects.filter(pk=broadcast.pk, run_errors__gt=0).update(run_errors=0)
        return
    Broadcast.objects.filter(pk=broadcast.pk).update(run_errors=F("run_errors") + 1)
    errors = Broadcast.objects.values_list("run_errors", flat=True).get(pk=broadcast.pk)
    if errors >= settings.BROADCAST_MAX_ERRORS:
        reason = f"Paused after {errors} failed attempts in a row: check the deliveries, then resume."
        Broadcast.objects.filter(pk=broadcast.pk, status=Status.RUNNING, run=broadcast.run).update(
            status=Status.PAUSED, pause_reason=reason, updated_at=timezone.now()
        )


def broadcast_revive_if_stalled(*, broadcast: Broadcast, quiet_since) -> bool:
    """Start a new run of a running broadcast that has not moved since ``quiet_since`` (its worker
    died): the rows the dead run left ``sending`` go back in line and a new chain starts. Returns
    whether it did (not if the broadcast moved or changed state meanwhile)."""
    with transaction.atomic():
        broadcast = _locked(broadcast)
        if broadcast.status != Status.RUNNING or broadcast.updated_at >= quiet_since:
            return False
        _new_run(broadcast)
    return True


# --- An account that closes (accounts.hooks) ------------------------------------------------

IN_FLIGHT = (Status.SCHEDULED, Status.RUNNING, Status.PAUSED)


class BroadcastsInFlight(Conflict):
    code = "broadcasts_in_flight"


def broadcasts_refuse_closing(user: User) -> None:
    """A vendor cannot close their account while a broadcast is scheduled, running or paused:
    it holds reserved tokens and deliveries in flight. They finish or cancel it first (a
    cancel refunds what was not sent). Runs inside the closing transaction."""
    titles = list(
        Broadcast.objects.filter(vendor=user, status__in=IN_FLIGHT).order_by("pk").values_list("title", flat=True)
    )
    if titles:
        names = ", ".join(f"“{title}”" for title in titles[:3]) + (" and more" if len(titles) > 3 else "")
        if len(titles) == 1:
            detail = f"Your broadcast {names} is still scheduled, running or paused. Let it finish or cancel it"
        else:
            detail = f"Your broadcasts {names} are still scheduled, running or paused. Let them finish or cancel them"
        raise BroadcastsInFlight(f"{detail}, then close your account.", broadcasts=len(titles))
