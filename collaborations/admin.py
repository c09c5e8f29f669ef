from django.contrib import admin

from anwariya.admin import service_action
from collaborations import services, shipments
from collaborations.models import Collaboration, Shipment, ShipmentItem, TermsDeliverable, TermsVersion


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
    ]
    inlines = [TermsVersionInline]
    actions = [service_action(_cancel, name="cancel_collaborations", description="Cancel the selected collaborations")]

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
