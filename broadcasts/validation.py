"""The checks a broadcast passes before it is saved: its audience and its content.

``services`` runs them on every write, ``selectors.audience_preview`` on the audience it counts;
both raise ``BroadcastError`` with the fields named. The placeholders checked here are the ones
``selectors.render_content`` fills in.
"""

import re

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone

from accounts.models import Role, User
from anwariya.api.filters import MAX_ID
from anwariya.errors import DomainError
from broadcasts.models import Broadcast
from profiles.filters import InfluencerFilter

PLACEHOLDER = re.compile(r"\{([A-Za-z_][^{}]*)\}")
PLACEHOLDERS = ("name", "campaign")
FILTER_KEYS = ("niche", "follower_band", "min_engagement", "country")
NO_SUCH_CAMPAIGN = "You have no campaign with this id."

Channel = Broadcast.Channel


class BroadcastError(DomainError):
    default_detail = "Please correct the highlighted fields."


def error_text(error: DomainError) -> str:
    """A service error as one sentence for a page or a pause reason."""
    messages = [str(message) for field in (getattr(error, "errors", None) or {}).values() for message in field]
    return " ".join(messages) or str(getattr(error, "detail", error))


# --- The audience ---------------------------------------------------------------------------


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


def filter_data(filters: dict) -> dict:
    """A filter audience's stored filters as the directory's ``InfluencerFilter`` takes them."""
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
    data = filter_data(filters)
    form = InfluencerFilter(data=_as_query(data), queryset=User.objects.none()).form
    if not form.is_valid():
        return {}, [f"{field}: {' '.join(messages)}" for field, messages in form.errors.items()]
    cleaned = dict(data)
    if "min_engagement" in cleaned:
        cleaned["min_engagement"] = str(form.cleaned_data["min_engagement"])
    return cleaned, []


def _as_query(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, [str(item) for item in value] if isinstance(value, list) else [str(value)])
    return query


def _clean_recipients(recipients) -> tuple[list[int], list[str]]:
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


# --- The content ----------------------------------------------------------------------------


def clean_content(fields: dict, campaign) -> dict:
    """The content fields given (title, body, channels, scheduled_at), checked and normalised:
    trimmed text within its limits, a one-line title, known placeholders (``{campaign}`` only
    with a campaign), known channels in their usual order, a send time in the future."""
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
