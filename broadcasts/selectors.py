"""Broadcast reads: whose broadcasts a user sees, who an audience reaches, what a recipient gets."""

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Role, User
from broadcasts.models import DELIVERY_ACTIVE, Broadcast, Delivery
from broadcasts.validation import PLACEHOLDER, clean_audience, filter_data
from campaigns.models import Application
from profiles.filters import InfluencerFilter

SAMPLE_SIZE = 10
# What the delivery log shows of a delivery, its broadcast and its recipient (not the bodies).
DELIVERY_LOG_FIELDS = (
    "id",
    "channel",
    "status",
    "attempts",
    "last_error",
    "next_attempt_at",
    "sent_at",
    "created_at",
    "updated_at",
    "broadcast__id",
    "broadcast__title",
    "recipient__id",
    "recipient__display_name",
    "recipient__role",
    "recipient__business_name",
)


def broadcasts_for_user(user: User) -> QuerySet[Broadcast]:
    """A vendor's own broadcasts; every broadcast for staff; none for anyone else."""
    broadcasts = Broadcast.objects.select_related("vendor", "campaign")
    if user.is_staff:
        return broadcasts
    if user.role == Role.VENDOR:
        return broadcasts.filter(vendor=user)
    return broadcasts.none()


def broadcast_for_user(user: User, pk) -> Broadcast:
    """The broadcast ``pk`` if ``user`` may see it, else 404 (whether or not it exists)."""
    return get_object_or_404(broadcasts_for_user(user), pk=pk)


def deliveries_of_broadcast(broadcast: Broadcast, *, status: str = "", channel: str = "") -> QuerySet[Delivery]:
    """A broadcast's delivery log in order, with the recipients, only ``status``/``channel`` when given."""
    deliveries = broadcast.deliveries.select_related("recipient").order_by("pk")
    if status:
        deliveries = deliveries.filter(status=status)
    if channel:
        deliveries = deliveries.filter(channel=channel)
    return deliveries


def deliveries_for_user(user: User) -> QuerySet[Delivery]:
    """The delivery log across a vendor's own broadcasts (every broadcast's for staff, none for
    anyone else), newest first (ties by id), each with its broadcast's title and its recipient."""
    deliveries = (
        Delivery.objects.select_related("broadcast", "recipient")
        .only(*DELIVERY_LOG_FIELDS)
        .order_by("-created_at", "-pk")
    )
    if user.is_staff:
        return deliveries
    if user.role == Role.VENDOR:
        return deliveries.filter(broadcast__vendor=user)
    return deliveries.none()


def telegram_deliveries_waiting() -> int:
    """Broadcast deliveries on Telegram not sent yet (the bot's status counts them)."""
    return Delivery.objects.filter(channel=Broadcast.Channel.TELEGRAM, status__in=DELIVERY_ACTIVE).count()


def stalled_before(now):
    """A running broadcast that has not moved since then lost its worker (the beat's tick resumes it)."""
    return now - timezone.timedelta(seconds=settings.BROADCAST_STALLED_AFTER_SECONDS)


# --- The audience ---------------------------------------------------------------------------


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
        influencers = InfluencerFilter(data=filter_data(filters or {}), queryset=influencers).qs
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


# --- The content ----------------------------------------------------------------------------


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
