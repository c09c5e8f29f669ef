from django.contrib import admin, messages

from anwariya.errors import DomainError
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
    actions = ["void_bills", "resend_invoices"]

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

    @admin.action(description="Void the selected bills (their items go back to stock)", permissions=["bill_change"])
    def void_bills(self, request, queryset):
        self._each(request, queryset, lambda bill: services.bill_void(bill=bill, actor=request.user), "voided")

    @admin.action(description="Email the selected bills' invoices again", permissions=["bill_change"])
    def resend_invoices(self, request, queryset):
        self._each(request, queryset, lambda bill: services.bill_resend_invoice(bill=bill), "queued for sending")

    def _each(self, request, queryset, change, done):
        changed = []
        for bill in queryset.order_by("pk"):
            try:
                change(bill)
            except DomainError as error:
                self.message_user(request, f"{bill.number}: {error.detail}", messages.ERROR)
            else:
                changed.append(bill.number)
        if changed:
            self.message_user(request, f"{', '.join(changed)}: {done}.", messages.SUCCESS)


@admin.register(InvoiceCounter)
class InvoiceCounterAdmin(admin.ModelAdmin):
    list_display = ["vendor", "year", "last_sequence"]
    readonly_fields = ["vendor", "year", "last_sequence"]

    def has_add_permission(self, request):
        return False
