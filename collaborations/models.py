"""A collaboration: what an accepted application becomes, and the terms the two sides agree.

Stages (``Collaboration.Stage``): a collaboration starts ``new`` (accepted, no terms yet); the
vendor sends terms (``terms_sent``); the influencer accepts them (``active``) or sends them back
with a comment (``new`` again, so the vendor sends a new version). ``content_submitted``,
``approved`` and ``completed`` follow with the deliverables' approval; a collaboration can be
``cancelled`` by either side, with a reason, at any stage before ``completed``.

Beside the terms a collaboration holds its work (``Deliverable`` and each ``Submission``), the
products gifted (``Shipment``), its tracking link's clicks (``ClickDay``) and the money owed to the
influencer (``LedgerEntry``, with the balances kept on the collaboration and ``Payout``).
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Application, Campaign
from catalog.models import Product

DEFAULT_DISCLOSURE = "#ad"
TRACKING_CODE_LENGTH = 8
# Letters and digits that cannot be mistaken for one another when read aloud or typed from a post.
TRACKING_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
MONEY = {"max_digits": 14, "decimal_places": 2}


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_CODE_LENGTH))


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
    tracking_code = models.CharField(
        max_length=16, unique=True, default=new_tracking_code, help_text="The code of the tracking link /r/<code>."
    )
    shipping_address = models.TextField(
        max_length=1000, blank=True, help_text="Where the influencer wants gifted products sent."
    )
    # The balances of the money owed to the influencer; each always equals the sum of its column
    # in the collaboration's ledger (``LedgerEntry``), and they change only with a ledger row.
    held = models.DecimalField(**MONEY, default=0, help_text="Commission earned, still in its hold period.")
    payable = models.DecimalField(
        **MONEY,
        default=0,
        help_text="Owed to the influencer now: released commission and the fee, less payouts. Negative "
        "after a reversal of commission already paid (set against what is earned next).",
    )
    paid = models.DecimalField(**MONEY, default=0, help_text="Paid to the influencer so far.")

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(held__gte=0), name="collaboration_held_not_negative"),
            models.CheckConstraint(condition=Q(paid__gte=0), name="collaboration_paid_not_negative"),
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
    def tracking_path(self) -> str:
        """The tracking link's path, ``/r/<code>`` (the API makes it absolute)."""
        return f"/r/{self.tracking_code}"

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


class Deliverable(models.Model):
    """One piece of content the accepted terms ask for, and where its approval stands.

    Made from the accepted version's ``TermsDeliverable`` rows; ``revisions`` counts the vendor's
    requests for changes (at most ``COLLAB_MAX_REVISIONS``)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUBMITTED = "submitted", "Submitted"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"

    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="deliverables")
    terms = models.ForeignKey(TermsVersion, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, choices=TermsDeliverable.Kind.choices)
    brief = models.CharField(max_length=280)
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    revisions = models.PositiveSmallIntegerField(default=0, help_text="Changes requested so far.")
    submitted_at = models.DateTimeField(null=True, blank=True, help_text="The latest submission.")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["collaboration", "position"], name="deliverable_position_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "submitted", "changes_requested", "approved"]),
                name="deliverable_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="approved", approved_at__isnull=False)
                | (~Q(status="approved") & Q(approved_at__isnull=True)),
                name="deliverable_approved_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="deliverable_status_due_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.position} of {self.collaboration}"


def draft_upload_to(submission, filename):
    return f"collaborations/drafts/{timezone.now():%Y/%m}/{secrets.token_hex(8)}-{filename[-80:]}"


class Submission(models.Model):
    """One round of a deliverable: what the influencer sent and the vendor's answer to it."""

    class Decision(models.TextChoices):
        WAITING = "", "Waiting for review"
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="submissions")
    round = models.PositiveSmallIntegerField()
    url = models.URLField(max_length=500, blank=True, help_text="The published post.")
    caption = models.TextField(max_length=5000, blank=True)
    file = models.FileField(upload_to=draft_upload_to, max_length=255, blank=True, help_text="A draft image or video.")
    missing_disclosure = models.BooleanField(default=False, help_text="The caption carries no disclosure label.")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.WAITING, blank=True)
    comment = models.TextField(max_length=2000, blank=True, help_text="The vendor's request for changes.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-round"]
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "round"], name="submission_round_unique"),
            models.CheckConstraint(condition=~Q(url="") | ~Q(file=""), name="submission_has_url_or_file"),
            models.CheckConstraint(
                condition=Q(decision="", decided_at__isnull=True) | (~Q(decision="") & Q(decided_at__isnull=False)),
                name="submission_decision_has_time",
            ),
        ]

    def __str__(self):
        return f"Round {self.round} of {self.deliverable}"


class Shipment(models.Model):
    """Products from the vendor's catalog gifted to the influencer. Stock leaves when it is made
    (``catalog`` movement ``gift``) and comes back if it is returned (``gift_return``); the
    statuses and who moves them are in ``collaborations.shipments``."""

    class Status(models.TextChoices):
        PREPARING = "preparing", "Preparing"
        SHIPPED = "shipped", "Shipped"
        DELIVERED = "delivered", "Delivered"
        RETURNED = "returned", "Returned"

    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="shipments")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREPARING)
    address = models.TextField(max_length=1000)
    carrier = models.CharField(max_length=100, blank=True)
    tracking_number = models.CharField(max_length=100, blank=True)
    cost = models.DecimalField(**MONEY, default=0, help_text="The gifted products at cost, when sent.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["preparing", "shipped", "delivered", "returned"]),
                name="shipment_status_known",
            ),
            models.CheckConstraint(condition=Q(cost__gte=0), name="shipment_cost_not_negative"),
            # Each status has the times of the steps it went through; a returned one may never
            # have been sent (cancelled while preparing), and was delivered only if it was sent.
            models.CheckConstraint(
                condition=Q(status="preparing", shipped_at=None, delivered_at=None, returned_at=None)
                | Q(status="shipped", shipped_at__isnull=False, delivered_at=None, returned_at=None)
                | Q(status="delivered", shipped_at__isnull=False, delivered_at__isnull=False, returned_at=None)
                | (
                    Q(status="returned", returned_at__isnull=False)
                    & (Q(delivered_at=None) | Q(shipped_at__isnull=False))
                ),
                name="shipment_times_match_status",
            ),
            models.CheckConstraint(
                condition=Q(shipped_at__isnull=True) | (~Q(carrier="") & ~Q(tracking_number="")),
                name="shipment_sent_has_tracking",
            ),
        ]

    def __str__(self):
        # Without its relations: catalog lists many movements with their source's name.
        return f"Gift shipment #{self.pk}"

    def get_absolute_url(self):
        return reverse("collaborations:collaboration-detail", args=[self.collaboration_id]) + f"#shipment-{self.pk}"


class ShipmentItem(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    unit_cost = models.DecimalField(**MONEY, help_text="The product's cost price when it was sent.")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="shipment_item_quantity_positive"),
            models.UniqueConstraint(fields=["shipment", "product"], name="shipment_item_product_unique"),
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="shipment_item_unit_cost_not_negative"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.product}"


class ClickDay(models.Model):
    """The tracking link's clicks on one day (the site's time zone): all, and unique visitors."""

    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="click_days")
    day = models.DateField()
    clicks = models.PositiveIntegerField(default=0)
    unique_clicks = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["collaboration", "day"], name="click_day_unique"),
            models.CheckConstraint(condition=Q(unique_clicks__lte=F("clicks")), name="click_day_unique_lte_all"),
        ]

    def __str__(self):
        return f"{self.day}: {self.clicks} clicks ({self.unique_clicks} unique)"


class TrackingSalt(models.Model):
    """The secret of one day, hashed with a visitor's address and browser to count them once that
    day. Nothing about the visitor is stored; a day's salt and its visitor marks are deleted once
    the day is over, so no hash can be linked to one of another day."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self):
        return f"Salt of {self.day}"


class TrackingVisit(models.Model):
    """That a visitor (a salted hash) clicked a collaboration's link today: to count them once."""

    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    visitor = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collaboration", "day", "visitor"], name="tracking_visit_unique"),
        ]

    def __str__(self):
        return f"Visit on {self.day}"


class Payout(models.Model):
    """Money the vendor says they paid the influencer (outside Anwariya); booked in the ledger."""

    class Method(models.TextChoices):
        UPI = "upi", "UPI"
        BANK_TRANSFER = "bank_transfer", "Bank transfer"
        CASH = "cash", "Cash"
        OTHER = "other", "Other"

    collaboration = models.ForeignKey(Collaboration, on_delete=models.PROTECT, related_name="payouts")
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    method = models.CharField(max_length=16, choices=Method.choices)
    reference = models.CharField(max_length=100, blank=True, help_text="The UPI or bank transaction reference.")
    paid_on = models.DateField(default=timezone.localdate)
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive"),
            models.CheckConstraint(
                condition=Q(method__in=["upi", "bank_transfer", "cash", "other"]), name="payout_method_known"
            ),
        ]

    def __str__(self):
        return f"Payout {self.currency} {self.amount} for {self.collaboration}"


class LedgerEntry(models.Model):
    """One change of the money owed to an influencer for a collaboration: never edited or deleted.

    Each row moves amounts between the three balances (``held`` → ``payable`` → ``paid``) and
    records the balances right after it; the collaboration's balances are the last row's, which
    equal the sums of the columns. The kinds and the signs they allow:

    * ``earned``: commission on an attributed bill enters ``held`` until ``release_at``;
    * ``released``: an earning's hold ends, ``held`` → ``payable``;
    * ``reversed``: a voided bill takes what stands of its earning back from ``held`` (not yet
      released) or from ``payable`` (released, maybe already paid: then ``payable`` may go below
      zero); so does a return that takes back the rest of it;
    * ``returned``: a credit note takes back the commission of the returned goods, from ``held``
      or ``payable`` as a reversal does; an earning may have several, one per credit note;
    * ``fee``: the fixed fee becomes ``payable`` once every deliverable is approved;
    * ``payout``: ``payable`` → ``paid``;
    * ``adjustment``: a correction by staff, to ``held`` or ``payable``.
    """

    class Kind(models.TextChoices):
        EARNED = "earned", "Commission earned"
        RELEASED = "released", "Commission released"
        REVERSED = "reversed", "Commission reversed"
        RETURNED = "returned", "Commission on a return"
        FEE = "fee", "Fee"
        PAYOUT = "payout", "Payout"
        ADJUSTMENT = "adjustment", "Adjustment"

    collaboration = models.ForeignKey(Collaboration, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    held = models.DecimalField(**MONEY, default=0, help_text="Change of the held balance.")
    payable = models.DecimalField(**MONEY, default=0, help_text="Change of the payable balance.")
    paid = models.DecimalField(**MONEY, default=0, help_text="Change of the paid balance.")
    held_after = models.DecimalField(**MONEY)
    payable_after = models.DecimalField(**MONEY)
    paid_after = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    bill = models.ForeignKey(
        "billing.Bill",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The attributed bill an earning is for.",
    )
    base_amount = models.DecimalField(
        **MONEY, null=True, blank=True, help_text="An earning's bill amount before tax, the rate applied to it."
    )
    rate = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True, help_text="Percent.")
    release_at = models.DateTimeField(null=True, blank=True, help_text="When an earning's hold ends.")
    earning = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The earning a release or reversal is of.",
    )
    payout = models.OneToOneField(Payout, on_delete=models.PROTECT, null=True, blank=True, related_name="entry")
    credit_note = models.OneToOneField(
        "billing.CreditNote",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The return a reversal of commission is for.",
    )
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "ledger entries"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="earned", held__gt=0, payable=0, paid=0, bill__isnull=False, release_at__isnull=False)
                    | Q(kind="released", held__lt=0, payable=-F("held"), paid=0, earning__isnull=False)
                    | Q(kind="reversed", held__lt=0, payable=0, paid=0, earning__isnull=False)
                    | Q(kind="reversed", held=0, payable__lt=0, paid=0, earning__isnull=False)
                    | Q(
                        kind="returned", held__lt=0, payable=0, paid=0, earning__isnull=False, credit_note__isnull=False
                    )
                    | Q(
                        kind="returned", held=0, payable__lt=0, paid=0, earning__isnull=False, credit_note__isnull=False
                    )
                    | Q(kind="fee", held=0, payable__gt=0, paid=0)
                    | Q(kind="payout", held=0, payable__lt=0, paid=-F("payable"), payout__isnull=False)
                    | (Q(kind="adjustment", paid=0) & (~Q(held=0) | ~Q(payable=0)))
                ),
                name="ledger_entry_amounts_match_kind",
            ),
            models.CheckConstraint(condition=Q(held_after__gte=0), name="ledger_entry_held_after_not_negative"),
            models.CheckConstraint(condition=Q(paid_after__gte=0), name="ledger_entry_paid_after_not_negative"),
            # An earning per bill, one release and one reversal per earning, one fee per collaboration.
            models.UniqueConstraint(
                fields=["bill"], condition=Q(kind="earned"), name="ledger_entry_one_earning_per_bill"
            ),
            models.UniqueConstraint(
                fields=["earning"], condition=Q(kind="released"), name="ledger_entry_earning_released_once"
            ),
            models.UniqueConstraint(
                fields=["earning"], condition=Q(kind="reversed"), name="ledger_entry_earning_reversed_once"
            ),
            models.UniqueConstraint(
                fields=["collaboration"], condition=Q(kind="fee"), name="ledger_entry_one_fee_per_collaboration"
            ),
        ]
        indexes = [
            models.Index(fields=["collaboration", "-created_at", "-id"], name="ledger_entry_collab_newest_idx"),
            models.Index(fields=["kind", "release_at"], name="ledger_entry_kind_release_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.held:+}, {self.payable:+}, {self.paid:+})"
