from django.contrib import admin

from anwariya.admin import service_action
from billing import services
from billing.models import Bill, BillItem, InvoiceCounter


class BillItemInline(admin.TabularInline):
    model = BillItem
    extra = 0
    can_delete = False
    fields = ["product", "product_name", "sku", "quantity", "unit_price", "unit_cost", "line_total", "line_profit"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _void(request, bill):
    services.bill_void(bill=bill, actor=request.user)
    return "voided."


def _resend_invoice(request, bill):
    services.bill_resend_invoice(bill=bill)
    return "queued for sending."


@admin.register(Bill)
class BillAdmin(admin.ModelAdmin):
    """Bills are read-only here: every field belongs to the sale, the import or the invoice email.
    What changes a bill are the actions, which call the billing services as the vendor's pages do."""

    list_display = ["number", "vendor", "customer_name", "total", "profit", "status", "email_status", "created_at"]
    list_filter = ["status", "email_status", "is_imported", "created_at"]
    list_select_related = ["vendor"]
    search_fields = ["number", "customer_name", "customer_email", "vendor__email", "referral_code"]
    date_hierarchy = "created_at"
    inlines = [BillItemInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Bill._meta.fields]

    def has_add_permission(self, request):
        return False  # bills are created by the sale service, which keeps stock in step

    def has_change_permission(self, request, obj=None):
        return False  # no field is the admin's to edit: the actions below change a bill

    def has_delete_permission(self, request, obj=None):
        return False  # invoice numbers are gapless: void a bill instead

    def has_bill_change_permission(self, request):
        """Who may run the actions: whoever holds billing's change permission."""
        return request.user.has_perm("billing.change_bill")

    actions = [
        service_action(
            _void,
            name="void_bills",
            description="Void the selected bills (their items go back to stock)",
            permission="bill_change",
        ),
        service_action(
            _resend_invoice,
            name="resend_invoices",
            description="Email the selected bills' invoices again",
            permission="bill_change",
        ),
    ]


@admin.register(InvoiceCounter)
class InvoiceCounterAdmin(admin.ModelAdmin):
    list_display = ["vendor", "series", "year", "last_sequence"]
    list_filter = ["series", "year"]
    readonly_fields = ["vendor", "series", "year", "last_sequence"]

    def has_add_permission(self, request):
        return False
