"""Who a broadcast reaches and what it says: reads, audience and content checks."""

import re

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Role, User
from anwariya.errors import DomainError
from campaigns.models import Application, Broadcast
from profiles.filters import InfluencerFilter

PLACEHOLDER = re.compile(r"\{([A-Za-z_][^{}]*)\}")
PLACEHOLDERS = ("name", "campaign")
FILTER_KEYS = ("niche", "follower_band", "min_engagement", "country")
SAMPLE_SIZE = 10
NO_SUCH_CAMPAIGN = "You have no campaign with this id."

Status, Channel = Broadcast.Status, Broadcast.Channel


class BroadcastError(DomainError):
    default_detail = "Please correct the highlighted fields."


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


def render_content(broadcast: Broadcast, recipient: User) -> tuple[str, str]:
    """The title and the body as ``recipient`` gets them, both with {name} and {campaign} filled
    in by the same rule: only those two names are replaced (never ``str.format``: no attribute
    access), and nothing is interpreted as markup. Every channel takes its text from here."""
    values = {"name": recipient.public_name, "campaign": broadcast.campaign.title if broadcast.campaign else ""}

    def fill(text: str) -> str:
        return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)

    return fill(broadcast.title), fill(broadcast.body)


def render_message(broadcast: Broadcast, recipient: User) -> str:
    """One text for channels without a subject line (chat, Telegram): the title, a blank line, the body."""
    title, body = render_content(broadcast, recipient)
    return f"{title}\n\n{body}"


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
    if "title" not in errors and any(char in (fields.get("title") or "") for char in "\r\n"):
        errors["title"] = ["A title is one line (it is the email's subject): take out the line breaks."]
    for key in ("title", "body"):  # the same placeholders, filled in by ``render_content``
        problem = _placeholder_problem(fields.get(key) or "", campaign)
        if problem and key not in errors:
            errors[key] = [problem]
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


def _placeholder_problem(text: str, campaign) -> str | None:
    unknown = sorted({name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})
    if unknown:
        return f"Unknown placeholder {{{unknown[0]}}}: use {{name}} or {{campaign}}."
    if "{campaign}" in text and campaign is None:
        return "{campaign} needs a campaign: choose one, or take the placeholder out."
    return None


def error_text(error: DomainError) -> str:
    """A service error as one sentence for a page or a pause reason."""
    messages = [str(message) for field in (getattr(error, "errors", None) or {}).values() for message in field]
    return " ".join(messages) or str(getattr(error, "detail", error))
