"""A collaboration: what an accepted application becomes, and the terms the two sides agree.

Stages (``Collaboration.Stage``): a collaboration starts ``new`` (accepted, no terms yet); the
vendor sends terms (``terms_sent``); the influencer accepts them (``active``) or sends them back
with a comment (``new`` again, so the vendor sends a new version). ``content_submitted``,
``approved`` and ``completed`` follow with the deliverables' approval (a later part); a
collaboration can be ``cancelled`` by either side, with a reason, at any stage before
``completed``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from campaigns.models import Application, Campaign
from catalog.models import Product

DEFAULT_DISCLOSURE = "#ad"


class Collaboration(models.Model):
    class Stage(models.TextChoices):
        NEW = "new", "New (no terms yet)"
        TERMS_SENT = "terms_sent", "Terms sent"
        ACTIVE = "active", "Active"
        CONTENT_SUBMITTED = "content_submitted", "Content submitted"
        APPROVED = "approved", "Approved"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="collaboration")
    # The application's campaign and the pair, kept here so lists filter and join without it.
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="collaborations")
    vendor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    influencer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.NEW)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    stage__in=["new", "terms_sent", "active", "content_submitted", "approved", "completed", "cancelled"]
                ),
                name="collaboration_stage_known",
            ),
            models.CheckConstraint(
                condition=Q(stage="cancelled", cancelled_at__isnull=False)
                | (~Q(stage="cancelled") & Q(cancelled_at__isnull=True)),
                name="collaboration_cancelled_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["vendor", "stage"], name="collab_vendor_stage_idx"),
            models.Index(fields=["influencer", "stage"], name="collab_influencer_stage_idx"),
        ]

    def __str__(self):
        return f"{self.campaign.title} × {self.influencer.display_name}"

    @property
    def referral_code(self):
        return self.application.referral_code

    @property
    def tracking_url(self):
        """The collaboration's tracking link: null until tracking links land (a later part)."""
        return None

    @property
    def is_open(self):
        return self.stage not in (self.Stage.COMPLETED, self.Stage.CANCELLED)

    def has_party(self, user) -> bool:
        return user.pk in (self.vendor_id, self.influencer_id)


class TermsVersion(models.Model):
    """One version of the terms, as the vendor sent it. Never changed once sent except for the
    influencer's answer (accepted or sent back), and never once accepted: new terms are a new version."""

    class Status(models.TextChoices):
        SENT = "sent", "Waiting for the influencer"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Sent back"
        SUPERSEDED = "superseded", "Replaced by a newer version"

    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="terms_versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    fee = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    currency = models.CharField(max_length=3, help_text="The vendor's currency when the terms were sent.")
    commission_rate = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Percent of attributed sales before tax.",
    )
    gifted_products = models.ManyToManyField(Product, blank=True, related_name="+")
    usage_rights = models.TextField(max_length=2000, blank=True)
    disclosure = models.CharField(max_length=100, default=DEFAULT_DISCLOSURE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    accepted_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(max_length=1000, blank=True, help_text="The influencer's reason for sending it back.")

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["collaboration", "number"], name="terms_version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="terms_version_number_positive"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="terms_version_fee_not_negative"),
            models.CheckConstraint(
                condition=Q(commission_rate__gte=0, commission_rate__lte=100), name="terms_version_rate_percent"
            ),
            models.CheckConstraint(
                condition=Q(status="accepted", accepted_at__isnull=False, rejected_at__isnull=True)
                | Q(status="rejected", rejected_at__isnull=False, accepted_at__isnull=True)
                | (Q(status__in=["sent", "superseded"]) & Q(accepted_at__isnull=True, rejected_at__isnull=True)),
                name="terms_version_answer_matches_status",
            ),
        ]

    def __str__(self):
        return f"Terms v{self.number} of {self.collaboration}"


class TermsDeliverable(models.Model):
    """One piece of content the terms ask for."""

    class Kind(models.TextChoices):
        REEL = "reel", "Reel"
        POST = "post", "Post"
        STORY = "story", "Story"
        VIDEO = "video", "Video"
        BLOG = "blog", "Blog"

    terms = models.ForeignKey(TermsVersion, on_delete=models.CASCADE, related_name="deliverables")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    brief = models.CharField(max_length=280)
    due_date = models.DateField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["terms", "position"], name="terms_deliverable_position_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["reel", "post", "story", "video", "blog"]), name="terms_deliverable_kind_known"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} due {self.due_date}"
