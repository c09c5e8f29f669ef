from django.conf import settings
from django.core.validators import MinValueValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from profiles.models import Niche

LANDING_URL_MAX = 500


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
    landing_url = models.URLField(
        max_length=LANDING_URL_MAX,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Where the collaborations' tracking links (/r/<code>) send visitors: your shop or product "
        "page (http or https). Add your own UTM parameters to see the visits in your shop's analytics.",
    )
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
