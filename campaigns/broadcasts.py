"""Broadcasts: one message from a vendor to many influencers, sent in the background.

draft → (scheduled →) running ⇄ paused → finished; anything started can be cancelled.

Starting resolves the audience into one ``Delivery`` per recipient and channel (a unique
constraint makes that once only), reserves the tokens, and queues the dispatch. The dispatch
schedules batches one second apart, ``BROADCAST_RATE_PER_SECOND`` deliveries each; a batch claims
pending rows under lock and marks each sent in the same transaction as its chat message, so
running the fan-out again (after a crash, a resume, a retry) never sends a delivery twice. A
failed attempt is retried twice with growing backoff; ``BROADCAST_MAX_ERRORS`` failed attempts in
one run pause the broadcast. At the end the tokens of recipients nothing reached are refunded.
"""

import re

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Role, User
from anwariya.celery import enqueue_on_commit
from anwariya.errors import Conflict, DomainError
from campaigns.filters import InfluencerFilter
from campaigns.models import Application, Broadcast, Campaign, Delivery

# "{word...}" is a placeholder (and must be a known one); other braces are just text.
PLACEHOLDER = re.compile(r"\{([A-Za-z_][^{}]*)\}")
PLACEHOLDERS = ("name", "campaign")
FILTER_KEYS = ("niche", "follower_band", "min_engagement", "country")
RETRIES = 2  # after the first attempt
SAMPLE_SIZE = 10
NO_SUCH_CAMPAIGN = "You have no campaign with this id."

Status, Channel = Broadcast.Status, Broadcast.Channel


class BroadcastError(DomainError):
    default_detail = "Please correct the highlighted fields."


class PermanentDeliveryError(Exception):
    """A delivery that retrying cannot help (no such address, blocked bot)."""


class DeliverySkipped(Exception):
    """Nothing to deliver to any more (the recipient's account was closed)."""


# --- Reads ----------------------------------------------------------------------------------


def broadcasts_for_user(user: User) -> QuerySet[Broadcast]:
    """A vendor's own broadcasts; every broadcast for staff; none for anyone else."""
    broadcasts = Broadcast.objects.select_related("vendor", "campaign")
    if user.is_staff:
        return broadcasts
    if user.role == Role.VENDOR:
        return broadcasts.filter(vendor=user)
    return broadcasts.none()


def broadcast_for_user(user: User, pk) -> Broadcast:
    return get_object_or_404(broadcasts_for_user(user), pk=pk)


def audience_influencers(*, vendor: User, audience: str, campaign=None, filters=None, recipients=()) -> QuerySet[User]:
    """The active influencers an audience names, in a stable order."""
    influencers = User.objects.filter(role=Role.INFLUENCER, is_active=True)
    if audience == Broadcast.Audience.CAMPAIGN:
        influencers = influencers.filter(
            pk__in=Application.objects.filter(campaign=campaign, status=Application.Status.ACCEPTED).values(
                "influencer"
            )
        )
    elif audience == Broadcast.Audience.FILTER:
        influencers = InfluencerFilter(data=_filter_data(filters or {}), queryset=influencers).qs
    else:
        influencers = influencers.filter(pk__in=list(recipients))
    return influencers.order_by("pk")


def broadcast_audience(broadcast: Broadcast) -> QuerySet[User]:
    return audience_influencers(
        vendor=broadcast.vendor,
        audience=broadcast.audience,
        campaign=broadcast.campaign,
        filters=broadcast.filters,
        recipients=broadcast.recipients.values_list("pk", flat=True),
    )


def audience_preview(*, vendor: User, **audience) -> dict:
    """How many influencers an audience reaches, a sample of them, and what it would cost."""
    audience = clean_audience(vendor=vendor, **audience)
    influencers = audience_influencers(vendor=vendor, **audience)
    count = influencers.count()
    price = settings.TOKEN_PRICE_BROADCAST_RECIPIENT
    return {
        "count": count,
        "sample": [
            {"id": user.pk, "name": user.public_name} for user in influencers.only("pk", "display_name")[:SAMPLE_SIZE]
        ],
        "price_per_recipient": price,
        "cost": price * count,
        "max_recipients": settings.BROADCAST_MAX_RECIPIENTS,
    }


def render_message(broadcast: Broadcast, recipient: User) -> str:
    """The title and the body with {name} and {campaign} filled in. Only those two names are
    replaced (never ``str.format``: no attribute access), and nothing is interpreted as markup."""
    values = {"name": recipient.public_name, "campaign": broadcast.campaign.title if broadcast.campaign else ""}
    body = PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), broadcast.body)
    return f"{broadcast.title}\n\n{body}"


# --- Validation ---------------------------------------------------------------------------


def clean_audience(*, vendor: User, audience=None, campaign=None, filters=None, recipients=None) -> dict:
    """The audience fields, checked: the campaign must be the vendor's, recipients influencers.
    Without an ``audience`` kind, it is the one the other fields name."""
    errors = {}
    if not audience:
        audience = (
            Broadcast.Audience.LIST
            if recipients
            else Broadcast.Audience.FILTER
            if filters
            else Broadcast.Audience.CAMPAIGN
        )
    if audience not in Broadcast.Audience.values:
        errors["audience"] = [f"Choose one of: {', '.join(Broadcast.Audience.values)}."]
    if campaign is not None and campaign.vendor_id != vendor.pk:
        errors["campaign"] = [NO_SUCH_CAMPAIGN]  # the same words as for an id that does not exist
    elif audience == Broadcast.Audience.CAMPAIGN and campaign is None:
        errors["campaign"] = ["Choose the campaign whose accepted influencers get the message."]
    cleaned_filters = {}
    if audience == Broadcast.Audience.FILTER:
        cleaned_filters, filter_errors = _clean_filters(filters or {})
        if filter_errors:
            errors["filters"] = filter_errors
    recipient_ids = []
    if audience == Broadcast.Audience.LIST:
        recipient_ids, recipient_errors = _clean_recipients(recipients or [])
        if recipient_errors:
            errors["recipients"] = recipient_errors
    if errors:
        raise BroadcastError(errors=errors)
    return {"audience": audience, "campaign": campaign, "filters": cleaned_filters, "recipients": recipient_ids}


def _filter_data(filters: dict) -> dict:
    data = {key: filters[key] for key in FILTER_KEYS if filters.get(key) not in (None, "", [])}
    if isinstance(data.get("follower_band"), str):
        data["follower_band"] = [data["follower_band"]]
    return data


def _clean_filters(filters) -> tuple[dict, list[str]]:
    if not isinstance(filters, dict):
        return {}, ["Give the filters as an object."]
    unknown = sorted(set(filters) - set(FILTER_KEYS))
    if unknown:
        return {}, [f"Unknown filter: {', '.join(unknown)}. Use {', '.join(FILTER_KEYS)}."]
    data = _filter_data(filters)
    form = InfluencerFilter(data=_as_query(data), queryset=User.objects.none()).form
    if not form.is_valid():
        return {}, [f"{field}: {' '.join(messages)}" for field, messages in form.errors.items()]
    cleaned = dict(data)
    if "min_engagement" in cleaned:
        cleaned["min_engagement"] = str(form.cleaned_data["min_engagement"])
    return cleaned, []


def _as_query(data: dict):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, [str(item) for item in value] if isinstance(value, list) else [str(value)])
    return query


def _clean_recipients(recipients) -> tuple[list[int], list[str]]:
    from anwariya.api.filters import MAX_ID

    if not isinstance(recipients, list | tuple | set):
        return [], ["Give the recipients as a list of user ids."]
    try:
        ids = sorted({int(pk) for pk in recipients if not isinstance(pk, bool)})
    except (TypeError, ValueError):
        return [], ["Give the recipients as a list of user ids."]
    if not ids:
        return [], ["Choose at least one influencer."]
    if ids[0] < 1 or ids[-1] > MAX_ID:
        return [], [f"User ids are whole numbers from 1 to {MAX_ID}."]
    if len(ids) > settings.BROADCAST_MAX_RECIPIENTS:
        return [], [f"At most {settings.BROADCAST_MAX_RECIPIENTS} recipients."]
    found = set(User.objects.filter(pk__in=ids, role=Role.INFLUENCER, is_active=True).values_list("pk", flat=True))
    refused = [pk for pk in ids if pk not in found]
    if refused:
        return [], [f"Not influencers (or not active): {', '.join(map(str, refused[:20]))}."]
    return ids, []


def _clean_content(fields: dict, campaign) -> dict:
    errors = {}
    for key, limit in (("title", 200), ("body", 3500)):
        if key in fields:
            fields[key] = (fields[key] or "").strip()
            if not fields[key]:
                errors[key] = ["This field may not be blank."]
            elif len(fields[key]) > limit:
                errors[key] = [f"At most {limit} characters."]
    body = fields.get("body") or ""
    unknown = sorted({name for name in PLACEHOLDER.findall(body) if name not in PLACEHOLDERS})
    if unknown:
        errors["body"] = [f"Unknown placeholder {{{unknown[0]}}}: use {{name}} or {{campaign}}."]
    elif "{campaign}" in body and campaign is None:
        errors["body"] = ["{campaign} needs a campaign: choose one, or take the placeholder out."]
    if "channels" in fields:
        channels = fields["channels"]
        if not isinstance(channels, list | tuple) or not channels:
            errors["channels"] = ["Choose at least one channel."]
        elif any(channel not in Channel.values for channel in channels):
            errors["channels"] = [f"Choose from: {', '.join(Channel.values)}."]
        else:
            fields["channels"] = [channel for channel in Channel.values if channel in channels]
    scheduled_at = fields.get("scheduled_at")
    if scheduled_at is not None and scheduled_at <= timezone.now():
        errors["scheduled_at"] = ["Choose a time in the future, or leave it empty to send on start."]
    if errors:
        raise BroadcastError(errors=errors)
    return fields


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
    fields = _clean_content(
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
    content.setdefault("body", broadcast.body)
    content = _clean_content(content, cleaned["campaign"])
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
    may be resumed too, after its worker died: rows its last batch left half-done go back in line."""
    with transaction.atomic():
        broadcast = _locked(broadcast)
        _require(broadcast, {Status.PAUSED, Status.RUNNING}, "Only a paused or running broadcast can be resumed.")
        if broadcast.started_at is None:  # a scheduled start that could not happen
            _launch(broadcast)
            return broadcast
        now = timezone.now()
        stalled_before = now - timezone.timedelta(seconds=settings.BROADCAST_STALLED_AFTER_SECONDS)
        deliveries = broadcast.deliveries
        deliveries.filter(status=Delivery.Status.SENDING, updated_at__lt=stalled_before).update(
            status=Delivery.Status.PENDING, updated_at=now
        )
        deliveries.filter(status=Delivery.Status.RETRYING).update(next_attempt_at=now, updated_at=now)
        _set(broadcast, status=Status.RUNNING, pause_reason="", run=broadcast.run + 1, run_errors=0)
        enqueue_on_commit(_dispatch_task(), broadcast.pk, broadcast.run)
    return broadcast


def broadcast_cancel(*, broadcast: Broadcast) -> Broadcast:
    """Stop for good: what was not sent is skipped, and unused tokens go back."""
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
        _count(broadcast)
        if not broadcast.deliveries.filter(status=Delivery.Status.SENDING).exists():
            _refund(broadcast)  # else when the batch in flight ends (``_finish_if_done``)
    return broadcast


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
            _set(broadcast, status=Status.RUNNING, finished_at=None, run=broadcast.run + 1, run_errors=0)
            enqueue_on_commit(_dispatch_task(), broadcast.pk, broadcast.run)
        _count(broadcast)
    return retried


def _launch(broadcast: Broadcast) -> None:
    """Materialise the deliveries, reserve the tokens, and queue the dispatch (inside a transaction)."""
    from chat.telegram import TelegramAccount, telegram_is_configured

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
    _set(
        broadcast,
        status=Status.RUNNING,
        pause_reason="",
        run=broadcast.run + 1,
        run_errors=0,
        recipient_count=len(recipients),
        started_at=timezone.now(),
    )
    _count(broadcast)
    enqueue_on_commit(_dispatch_task(), broadcast.pk, broadcast.run)


# --- Sending (run by campaigns.tasks) -------------------------------------------------------

ACTIVE = (Delivery.Status.PENDING, Delivery.Status.RETRYING, Delivery.Status.SENDING)


def _runs_in_process() -> bool:
    """Without a broker (no ``REDIS_URL``) tasks run inline: the fan-out then loops in place, and
    neither the rate limit nor the retry backoff waits."""
    from anwariya.celery import app

    return bool(app.conf.task_always_eager)


def broadcast_dispatch(*, broadcast_id: int, run: int) -> None:
    """Start this run's chain of batches (in process: send everything now)."""
    from campaigns.tasks import broadcast_send_batch

    if _runs_in_process():
        while broadcast_send_batch_now(broadcast_id=broadcast_id, run=run, chain=False):
            pass
        _finish_if_done(broadcast_id)
        return
    broadcast_send_batch.delay(broadcast_id, run)


def broadcast_send_batch_now(*, broadcast_id: int, run: int, chain: bool = True) -> int:
    """Send up to one second's worth of deliveries that are due, then queue the next batch of the
    chain (one a second) while work is left. Returns how many deliveries were claimed.

    Rows are claimed in a short transaction (``sending``, with ``SKIP LOCKED``), then each is sent
    on its own: a chat message is written in the same transaction that marks its delivery sent;
    email and Telegram are marked sent right after the call. No lock is held across a send."""
    broadcast = (
        Broadcast.objects.select_related("vendor", "campaign").filter(pk=broadcast_id, status=Status.RUNNING, run=run)
    ).first()
    if broadcast is None:
        return 0
    claimed = _claim(broadcast, due_by=None if not chain else timezone.now())
    for index, delivery in enumerate(claimed):
        now = Broadcast.objects.filter(pk=broadcast.pk).values_list("status", "run").first()
        if now != (Status.RUNNING, run):  # paused, cancelled or superseded mid-batch
            _release(claimed[index:], cancelled=now is not None and now[0] == Status.CANCELLED)
            break
        _attempt(broadcast, delivery)
    _count(broadcast)
    _finish_if_done(broadcast_id)
    if chain:
        _queue_next_batch(broadcast_id, run)
    return len(claimed)


def _claim(broadcast: Broadcast, *, due_by) -> list[Delivery]:
    waiting = Q(status=Delivery.Status.PENDING) | Q(status=Delivery.Status.RETRYING)
    if due_by is not None:
        waiting = Q(status=Delivery.Status.PENDING) | Q(status=Delivery.Status.RETRYING, next_attempt_at__lte=due_by)
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(waiting, broadcast=broadcast)
            .order_by("pk")
            .values_list("pk", flat=True)[: max(settings.BROADCAST_RATE_PER_SECOND, 1)]
        )
        Delivery.objects.filter(pk__in=ids).update(
            status=Delivery.Status.SENDING, attempts=F("attempts") + 1, updated_at=timezone.now()
        )
    return list(Delivery.objects.select_related("recipient").filter(pk__in=ids).order_by("pk"))


def _release(deliveries, *, cancelled=False) -> None:
    """Claimed rows that were not tried go back in line (their attempt is not counted), or are
    skipped when the broadcast was cancelled meanwhile."""
    rows = Delivery.objects.filter(pk__in=[d.pk for d in deliveries], status=Delivery.Status.SENDING)
    if cancelled:
        rows.update(status=Delivery.Status.SKIPPED, last_error="Cancelled.", updated_at=timezone.now())
    else:
        rows.update(status=Delivery.Status.PENDING, attempts=F("attempts") - 1, updated_at=timezone.now())


def _queue_next_batch(broadcast_id: int, run: int) -> None:
    from campaigns.tasks import broadcast_send_batch

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
    """Start the scheduled broadcasts that are due, and pick up running ones that stalled (their
    worker died): rows left ``sending`` go back in line and a new run's chain starts."""
    now = timezone.now()
    started = 0
    for broadcast in Broadcast.objects.filter(status=Status.SCHEDULED, scheduled_at__lte=now):
        started += broadcast_launch_due(broadcast=broadcast).status == Status.RUNNING
    stalled_before = now - timezone.timedelta(seconds=settings.BROADCAST_STALLED_AFTER_SECONDS)
    revived = 0
    for broadcast in Broadcast.objects.filter(status=Status.RUNNING, updated_at__lt=stalled_before):
        with transaction.atomic():
            broadcast = _locked(broadcast)
            if broadcast.status != Status.RUNNING or broadcast.updated_at >= stalled_before:
                continue
            broadcast.deliveries.filter(status=Delivery.Status.SENDING, updated_at__lt=stalled_before).update(
                status=Delivery.Status.PENDING, updated_at=now
            )
            _set(broadcast, run=broadcast.run + 1)
            enqueue_on_commit(_dispatch_task(), broadcast.pk, broadcast.run)
        revived += 1
    return {"started": started, "revived": revived}


def _attempt(broadcast: Broadcast, delivery: Delivery) -> None:
    """One attempt at one claimed delivery; its outcome is recorded on the row."""
    from celery.exceptions import SoftTimeLimitExceeded

    outcome = {}
    try:
        if delivery.channel == Channel.CHAT:
            with transaction.atomic():
                if not Delivery.objects.select_for_update().filter(pk=delivery.pk, status=Delivery.Status.SENDING):
                    return  # taken back meanwhile (a stalled batch revived)
                outcome = {"status": Delivery.Status.SENT, "message": _send(broadcast, delivery)}
                _record(delivery, **outcome, sent_at=timezone.now(), last_error="")
            _note_success(broadcast)
            return
        _send(broadcast, delivery)
        outcome = {"status": Delivery.Status.SENT, "sent_at": timezone.now(), "last_error": ""}
    except DeliverySkipped as error:
        outcome = {"status": Delivery.Status.SKIPPED, "last_error": str(error)[:2000]}
    except PermanentDeliveryError as error:
        outcome = {"status": Delivery.Status.FAILED, "last_error": str(error)[:2000]}
    except SoftTimeLimitExceeded:
        _release([delivery])
        raise
    except Exception as error:  # noqa: BLE001 - any failure of the channel is recorded and retried
        outcome = _retry_or_fail(delivery, f"{type(error).__name__}: {error}"[:2000], error)
    _record(delivery, **outcome)
    if outcome["status"] in (Delivery.Status.SENT, Delivery.Status.SKIPPED):
        _note_success(broadcast)
    elif not outcome.get("throttled"):
        _note_error(broadcast)


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


def _record(delivery: Delivery, throttled=False, **fields) -> None:
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(**fields, updated_at=timezone.now())


def _note_success(broadcast: Broadcast) -> None:
    Broadcast.objects.filter(pk=broadcast.pk, run_errors__gt=0).update(run_errors=0)


def _note_error(broadcast: Broadcast) -> None:
    """Failed attempts in a row: ``BROADCAST_MAX_ERRORS`` of them pause the broadcast."""
    Broadcast.objects.filter(pk=broadcast.pk).update(run_errors=F("run_errors") + 1)
    errors = Broadcast.objects.values_list("run_errors", flat=True).get(pk=broadcast.pk)
    if errors >= settings.BROADCAST_MAX_ERRORS:
        reason = f"Paused after {errors} failed attempts in a row: check the deliveries, then resume."
        Broadcast.objects.filter(pk=broadcast.pk, status=Status.RUNNING, run=broadcast.run).update(
            status=Status.PAUSED, pause_reason=reason, updated_at=timezone.now()
        )


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
            subject=broadcast.title,
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


def _finish_if_done(broadcast_id: int) -> None:
    """Finish a running broadcast with nothing left to send; settle a cancelled one whose last
    in-flight deliveries just ended. Either way the unused tokens go back."""
    with transaction.atomic():
        broadcast = (
            Broadcast.objects.select_for_update()
            .filter(pk=broadcast_id, status__in=[Status.RUNNING, Status.CANCELLED])
            .first()
        )
        if broadcast is None or broadcast.deliveries.filter(status__in=ACTIVE).exists():
            return
        if broadcast.status == Status.RUNNING:
            _set(broadcast, status=Status.FINISHED, finished_at=timezone.now())
        _count(broadcast)
        _refund(broadcast)


# --- Tokens and bookkeeping -----------------------------------------------------------------


def _reserve(broadcast: Broadcast, recipients: int, *, reason: str) -> None:
    from accounts.wallet import wallet_spend

    price = settings.TOKEN_PRICE_BROADCAST_RECIPIENT if broadcast.started_at is None else broadcast.price_per_recipient
    amount = price * recipients
    if amount:
        wallet_spend(user=broadcast.vendor, amount=amount, reason=reason[:200], reference=f"broadcast:{broadcast.pk}")
    _set(broadcast, price_per_recipient=price, tokens_reserved=broadcast.tokens_reserved + amount)


def _refund(broadcast: Broadcast) -> None:
    """Give back the tokens of every recipient no delivery reached."""
    from accounts.models import WalletTransaction
    from accounts.wallet import wallet_grant

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


def _count(broadcast: Broadcast) -> None:
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
    return Broadcast.objects.select_for_update(of=("self",)).select_related("vendor", "campaign").get(pk=broadcast.pk)


def _require(broadcast: Broadcast, statuses: set, message: str) -> None:
    if broadcast.status not in statuses:
        raise Conflict(message, status=broadcast.status)


def error_text(error: DomainError) -> str:
    """A service error as one sentence for a page or a pause reason."""
    messages = [str(message) for field in (getattr(error, "errors", None) or {}).values() for message in field]
    return " ".join(messages) or str(getattr(error, "detail", error))


def _dispatch_task():
    from campaigns.tasks import broadcast_dispatch as task

    return task
