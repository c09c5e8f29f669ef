from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from anwariya.admin import service_action
from collaborations import deliverables, services
from collaborations.models import Collaboration, Deliverable, Submission, TermsDeliverable, TermsVersion


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
    ]
    inlines = [TermsVersionInline]
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
