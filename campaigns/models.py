from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from profiles.models import Niche


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    vendor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="campaigns")
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5000)
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="campaigns"
    )
    niches = models.ManyToManyField(Niche, blank=True, related_name="campaigns", verbose_name="target niches")
    deliverables = models.TextField(
        max_length=2000, help_text="What the influencer delivers, e.g. 2 reels + 3 stories."
    )
    budget = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    start_date = models.DateField()
    end_date = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="campaign_ends_after_start"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="campaign_budget_not_negative"),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="campaign_status_created_idx"),
            models.Index(fields=["vendor", "status"], name="campaign_vendor_status_idx"),
        ]

    def __str__(self):
        return self.title


class Application(models.Model):
    """An influencer on a campaign: their application, or the vendor's invitation."""

    class Kind(models.TextChoices):
        APPLICATION = "application", "Application"
        INVITATION = "invitation", "Invitation"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"  # an application waiting for the vendor
        INVITED = "invited", "Invited"  # an invitation waiting for the influencer
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"  # by the vendor
        DECLINED = "declined", "Declined"  # by the influencer
        WITHDRAWN = "withdrawn", "Withdrawn"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="applications")
    influencer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.APPLICATION)
    status = models.CharField(max_length=10, choices=Status.choices)
    message = models.TextField(max_length=3000, help_text="The influencer's pitch, or the vendor's invitation.")
    referral_code = models.CharField(max_length=16, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "influencer"], name="application_one_per_campaign"),
            models.CheckConstraint(
                condition=Q(referral_code__isnull=True) | Q(status="accepted"),
                name="application_code_only_when_accepted",
            ),
        ]
        indexes = [models.Index(fields=["influencer", "-created_at"], name="application_influencer_idx")]

    def __str__(self):
        return f"{self.influencer} on {self.campaign}"


class Broadcast(models.Model):
    """One message from a vendor to many influencers, sent in the background (``campaigns.broadcasts``)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        RUNNING = "running", "Running"
        PAUSED = "paused", "Paused"
        FINISHED = "finished", "Finished"
        CANCELLED = "cancelled", "Cancelled"

    class Audience(models.TextChoices):
        CAMPAIGN = "campaign", "A campaign's accepted influencers"
        FILTER = "filter", "Influencers matching filters"
        LIST = "list", "Chosen influencers"

    class Channel(models.TextChoices):
        CHAT = "chat", "In-app chat"
        EMAIL = "email", "Email"
        TELEGRAM = "telegram", "Telegram"

    vendor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="broadcasts")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=3500, help_text="May use {name} and {campaign}.")
    audience = models.CharField(max_length=8, choices=Audience.choices)
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="broadcasts")
    filters = models.JSONField(
        default=dict, blank=True, help_text="For a filter audience: niche, follower_band, min_engagement, country."
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", help_text="For a list audience."
    )
    channels = models.JSONField(default=list, help_text="Any of chat, email, telegram.")
    scheduled_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    pause_reason = models.CharField(max_length=300, blank=True)
    # Each start or resume is a new run; tasks of an earlier run stop when they see it.
    run = models.PositiveIntegerField(default=0)
    run_errors = models.PositiveIntegerField(default=0, help_text="Failed attempts in a row in the current run.")
    recipient_count = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0, help_text="Deliveries: recipients times their channels.")
    sent = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    price_per_recipient = models.PositiveIntegerField(default=0)
    tokens_reserved = models.PositiveIntegerField(default=0)
    tokens_refunded = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tokens_refunded__lte=F("tokens_reserved")), name="broadcast_refund_within_reserve"
            ),
            models.CheckConstraint(
                condition=Q(sent__lte=F("total"), failed__lte=F("total"), skipped__lte=F("total")),
                name="broadcast_counters_within_total",
            ),
            models.CheckConstraint(
                condition=~Q(audience="campaign") | Q(campaign__isnull=False), name="broadcast_campaign_audience"
            ),
        ]
        indexes = [
            models.Index(fields=["vendor", "-created_at"], name="broadcast_vendor_created_idx"),
            models.Index(fields=["status", "scheduled_at"], name="broadcast_status_scheduled_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def pending(self) -> int:
        return max(self.total - self.sent - self.failed - self.skipped, 0)


class Delivery(models.Model):
    """A broadcast to one recipient on one channel: at most one, whatever retries or restarts."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        RETRYING = "retrying", "Waiting to retry"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=8, choices=Broadcast.Channel.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A claim belongs to the run that made it: only that run's batch sends and records the row,
    # and a new run takes back at once what earlier runs left ``sending``.
    claimed_run = models.PositiveIntegerField(
        null=True, blank=True, help_text="The broadcast's run that last claimed it for sending."
    )
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="When a retry is due.")
    sent_at = models.DateTimeField(null=True, blank=True)
    message = models.ForeignKey("chat.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["broadcast", "recipient", "channel"], name="delivery_one_per_recipient_and_channel"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="delivery_sent_has_time"
            ),
        ]
        indexes = [models.Index(fields=["broadcast", "status"], name="delivery_broadcast_status_idx")]

    def __str__(self):
        return f"{self.broadcast} → {self.recipient} ({self.channel})"
