from django.contrib import admin

from anwariya.admin import service_action
from billing import services
from billing.models import Bill, BillItem, CreditNote, CreditNoteItem, InvoiceCounter


class BillItemInline(admin.TabularInline):
    model = BillItem
    extra = 0
    can_delete = False
    fields = [
        "product",
        "product_name",
        "sku",
        "hsn_code",
        "quantity",
        "unit",
        "unit_price",
        "gst_rate",
        "taxable_value",
        "cgst",
        "sgst",
        "igst",
        "line_total",
        "line_cost",
        "line_profit",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _void(request, bill):
    services.bill_void(bill=bill, actor=request.user)
    return "voided."


def _resend_invoice(request, bill):
    services.bill_resend_invoice(bill=bill)
    return "queued for sending."


class CreditNoteInline(admin.TabularInline):
    model = CreditNote
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["number", "created_at", "taxable_total", "tax_total", "total", "email_status"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Bill)
class BillAdmin(admin.ModelAdmin):
    """Bills are read-only here: every field belongs to the sale, the import or the invoice email.
    What changes a bill are the actions, which call the billing services as the vendor's pages do."""

    list_display = [
        "number",
        "vendor",
        "document_type",
        "customer_name",
        "taxable_total",
        "tax_total",
        "total",
        "status",
        "email_status",
        "created_at",
    ]
    list_filter = ["status", "document_type", "email_status", "is_imported", "created_at"]
    list_select_related = ["vendor"]
    search_fields = ["number", "customer_name", "customer_email", "customer_gstin", "vendor__email", "referral_code"]
    date_hierarchy = "created_at"
    inlines = [BillItemInline, CreditNoteInline]

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


class CreditNoteItemInline(admin.TabularInline):
    model = CreditNoteItem
    extra = 0
    can_delete = False
    fields = ["bill_item", "quantity", "taxable_value", "cgst", "sgst", "igst", "line_total", "line_cost"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CreditNote)
class CreditNoteAdmin(admin.ModelAdmin):
    """Credit notes are read-only: issued by ``billing.returns.bill_return`` with their stock
    movements and numbers; a number in the gapless series is never edited or deleted."""

    list_display = ["number", "vendor", "bill", "taxable_total", "tax_total", "total", "email_status", "created_at"]
    list_filter = ["email_status", "created_at"]
    list_select_related = ["vendor", "bill"]
    search_fields = ["number", "bill__number", "bill__customer_name", "vendor__email"]
    date_hierarchy = "created_at"
    inlines = [CreditNoteItemInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in CreditNote._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
