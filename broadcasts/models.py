"""Broadcasts: one message from a vendor to many influencers, and its log of deliveries.

The tables kept the names they had in ``campaigns`` (``db_table``): the models moved, the rows
did not (migrations ``broadcasts.0001``/``campaigns.0007``).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class Broadcast(models.Model):
    """One message from a vendor to many influencers, sent in the background (``broadcasts.sending``)."""

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
    # PROTECT: a campaign with broadcasts is not deleted under them (``campaign_delete`` answers 409).
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.PROTECT, related_name="broadcasts"
    )
    filters = models.JSONField(
        default=dict, blank=True, help_text="For a filter audience: niche, follower_band, min_engagement, country."
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text="For a list audience.",
        db_table="campaigns_broadcast_recipients",
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
        db_table = "campaigns_broadcast"
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
        db_table = "campaigns_delivery"
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


# Deliveries still on their way: waiting their turn, waiting to retry, or in a batch's hands.
DELIVERY_ACTIVE = (Delivery.Status.PENDING, Delivery.Status.RETRYING, Delivery.Status.SENDING)
