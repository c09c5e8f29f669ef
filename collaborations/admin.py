from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from anwariya.admin import ServiceFormAdmin, ServiceModelForm, service_action
from collaborations import deliverables, payouts, services, shipments
from collaborations.models import (
    Collaboration,
    Deliverable,
    LedgerEntry,
    Payout,
    Shipment,
    ShipmentItem,
    Submission,
    TermsDeliverable,
    TermsVersion,
)


class TermsDeliverableInline(admin.TabularInline):
    model = TermsDeliverable
    extra = 0
    can_delete = False
    fields = readonly_fields = ["position", "kind", "brief", "due_date"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TermsVersion)
class TermsVersionAdmin(admin.ModelAdmin):
    """Terms are what the two sides agreed: read-only here, changed only by a new version."""

    list_display = ["__str__", "number", "status", "fee", "commission_rate", "created_at"]
    list_filter = ["status"]
    list_select_related = ["collaboration__campaign", "collaboration__influencer"]
    search_fields = ["collaboration__campaign__title", "collaboration__influencer__email"]
    readonly_fields = [
        "collaboration",
        "number",
        "created_at",
        "created_by",
        "fee",
        "currency",
        "commission_rate",
        "gifted_products",
        "usage_rights",
        "disclosure",
        "status",
        "accepted_at",
        "rejected_at",
        "comment",
    ]
    inlines = [TermsDeliverableInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TermsVersionInline(admin.TabularInline):
    model = TermsVersion
    extra = 0
    can_delete = False
    show_change_link = True
    fields = readonly_fields = [
        "number",
        "status",
        "fee",
        "commission_rate",
        "created_at",
        "accepted_at",
        "rejected_at",
    ]

    def has_add_permission(self, request, obj=None):
        return False


LEDGER_COLUMNS = [
    "created_at",
    "kind",
    "held",
    "payable",
    "paid",
    "held_after",
    "payable_after",
    "paid_after",
    "bill",
    "note",
    "created_by",
]


class LedgerEntryInline(admin.TabularInline):
    """The collaboration's ledger, newest first: read-only (corrections are adjustments)."""

    model = LedgerEntry
    extra = 0
    can_delete = False
    show_change_link = True
    fields = readonly_fields = LEDGER_COLUMNS
    ordering = ["-created_at", "-pk"]

    def has_add_permission(self, request, obj=None):
        return False


def _cancel(request, collaboration):
    services.collaboration_cancel(
        collaboration=collaboration,
        actor=collaboration.vendor,
        reason=f"Cancelled by the platform's staff ({request.user.email}).",
    )
    return "Cancelled (on the vendor's behalf)."


def _complete(request, collaboration):
    deliverables.collaboration_complete(collaboration, collaboration.vendor)
    return "Marked completed (on the vendor's behalf)."


@admin.register(Collaboration)
class CollaborationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "vendor", "stage", "created_at", "updated_at"]
    list_filter = ["stage"]
    list_select_related = ["campaign", "vendor", "influencer"]
    search_fields = ["campaign__title", "vendor__email", "influencer__email"]
    readonly_fields = [
        "application",
        "campaign",
        "vendor",
        "influencer",
        "stage",
        "created_at",
        "updated_at",
        "cancelled_at",
        "cancelled_by",
        "cancel_reason",
        "shipping_address",
        "tracking_code",
        "held",
        "payable",
        "paid",
    ]
    inlines = [TermsVersionInline, LedgerEntryInline]
    actions = [
        service_action(_cancel, name="cancel_collaborations", description="Cancel the selected collaborations"),
        service_action(_complete, name="complete_collaborations", description="Mark the selected ones completed"),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Deliverables ---------------------------------------------------------------------------


SUBMISSION_FIELDS = [
    "deliverable",
    "round",
    "url",
    "caption",
    "draft",
    "missing_disclosure",
    "submitted_by",
    "submitted_at",
    "decision",
    "comment",
    "decided_by",
    "decided_at",
]


def _draft_link(submission):
    if not submission.file:
        return "—"
    # The private download (the parties and staff), never a public media URL.
    return format_html(
        '<a href="{}">{}</a>',
        reverse("collaborations:submission-file", args=[submission.pk]),
        submission.file.name.rsplit("/", 1)[-1],
    )


class SubmissionInline(admin.StackedInline):
    model = Submission
    extra = 0
    can_delete = False
    fields = readonly_fields = [name for name in SUBMISSION_FIELDS if name != "deliverable"]

    @admin.display(description="Draft file")
    def draft(self, submission):
        return _draft_link(submission)

    def has_add_permission(self, request, obj=None):
        return False


def _approve(request, deliverable):
    deliverables.deliverable_approve(deliverable, deliverable.collaboration.vendor)
    return "Approved (on the vendor's behalf)."


@admin.register(Deliverable)
class DeliverableAdmin(admin.ModelAdmin):
    """Deliverables move only through the services: read-only here, approved by an action."""

    list_display = ["__str__", "status", "due_date", "revisions", "submitted_at", "approved_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["collaboration__campaign", "collaboration__influencer"]
    search_fields = ["collaboration__campaign__title", "collaboration__influencer__email", "brief"]
    readonly_fields = [
        "collaboration",
        "terms",
        "position",
        "kind",
        "brief",
        "due_date",
        "status",
        "revisions",
        "submitted_at",
        "approved_at",
    ]
    inlines = [SubmissionInline]
    actions = [
        service_action(
            _approve, name="approve_deliverables", description="Approve the selected deliverables' waiting rounds"
        )
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """What influencers submitted and the vendors' answers: read-only."""

    list_display = ["__str__", "decision", "missing_disclosure", "submitted_at", "decided_at"]
    list_filter = ["decision", "missing_disclosure"]
    list_select_related = ["deliverable__collaboration__campaign", "deliverable__collaboration__influencer"]
    search_fields = ["deliverable__collaboration__campaign__title", "caption", "url"]
    fields = readonly_fields = SUBMISSION_FIELDS

    @admin.display(description="Draft file")
    def draft(self, submission):
        return _draft_link(submission)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Shipments ------------------------------------------------------------------------------


class ShipmentItemInline(admin.TabularInline):
    model = ShipmentItem
    extra = 0
    can_delete = False
    fields = readonly_fields = ["product", "quantity", "unit_cost"]

    def has_add_permission(self, request, obj=None):
        return False


def _step(status):
    """An action moving each selected shipment to ``status`` through the service, on the vendor's
    behalf (as the vendor would from the page; shipped needs the carrier and tracking number)."""

    def run(request, shipment):
        shipments.shipment_update_status(shipment=shipment, actor=shipment.collaboration.vendor, status=status)
        return f"{Shipment.Status(status).label} (on the vendor's behalf, by {request.user.email})."

    return run


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    """Gifts and their stock are the services': everything here is read-only; the steps are actions."""

    list_display = ["__str__", "collaboration", "status", "cost", "carrier", "tracking_number", "created_at"]
    list_filter = ["status"]
    list_select_related = ["collaboration__campaign", "collaboration__influencer"]
    search_fields = ["tracking_number", "collaboration__campaign__title", "collaboration__influencer__email"]
    readonly_fields = [
        "collaboration",
        "status",
        "address",
        "carrier",
        "tracking_number",
        "cost",
        "created_by",
        "created_at",
        "shipped_at",
        "delivered_at",
        "returned_at",
    ]
    inlines = [ShipmentItemInline]
    actions = [
        service_action(_step("shipped"), name="mark_shipped", description="Mark the selected shipments shipped"),
        service_action(_step("delivered"), name="mark_delivered", description="Mark the selected shipments delivered"),
        service_action(
            _step("returned"),
            name="mark_returned",
            description="Mark the selected shipments returned (their stock goes back)",
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("collaboration__vendor")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ShipmentItem)
class ShipmentItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "shipment", "product", "quantity", "unit_cost"]
    list_select_related = ["shipment", "product"]
    search_fields = ["product__name", "product__sku"]
    readonly_fields = ["shipment", "product", "quantity", "unit_cost"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Money: the ledger (read-only, adjustments through ``ledger_adjust``) and payouts -------------


class LedgerAdjustmentForm(ServiceModelForm):
    """A staff correction of a collaboration's balances: an ``adjustment`` row, by ``ledger_adjust``."""

    class Meta:
        model = LedgerEntry
        fields = ["collaboration", "held", "payable", "note"]
        help_texts = {
            "held": "Add (or, with a minus, take) this much to held; 0 for no change.",
            "payable": "Add (or, with a minus, take) this much to payable; 0 for no change.",
            "note": "Why (kept on the row and shown to both sides).",
        }

    def save_through_service(self):
        return payouts.ledger_adjust(
            collaboration=self.cleaned_data["collaboration"],
            actor=self.actor,
            held=self.cleaned_data["held"],
            payable=self.cleaned_data["payable"],
            note=self.cleaned_data["note"],
        )


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ServiceFormAdmin, admin.ModelAdmin):
    """The ledger of money owed to influencers is immutable: rows are viewed, never edited or
    deleted. "Add" books a staff adjustment (``collaborations.payouts.ledger_adjust``)."""

    form = LedgerAdjustmentForm
    list_display = ["__str__", "collaboration", "kind", "held_after", "payable_after", "paid_after", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["collaboration__campaign", "collaboration__influencer"]
    search_fields = ["collaboration__campaign__title", "collaboration__influencer__email", "note", "bill__number"]
    raw_id_fields = ["collaboration"]
    readonly_fields = [
        "collaboration",
        "kind",
        *LEDGER_COLUMNS[2:8],
        "currency",
        "bill",
        "base_amount",
        "rate",
        "release_at",
        "earning",
        "payout",
        "note",
        "created_by",
        "created_at",
    ]

    def get_fields(self, request, obj=None):
        return ["collaboration", "held", "payable", "note"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payout)
class PayoutAdmin(admin.ModelAdmin):
    """Payouts are recorded by vendors (``payout_record``) and read-only here."""

    list_display = ["__str__", "collaboration", "amount", "method", "reference", "paid_on", "created_by"]
    list_filter = ["method", "paid_on"]
    list_select_related = ["collaboration__campaign", "collaboration__influencer", "created_by"]
    search_fields = ["reference", "collaboration__campaign__title", "collaboration__influencer__email"]
    readonly_fields = [
        "collaboration",
        "amount",
        "currency",
        "method",
        "reference",
        "paid_on",
        "note",
        "created_by",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
