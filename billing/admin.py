from django.contrib import admin

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
    list_display = ["number", "vendor", "customer_name", "total", "profit", "status", "email_status", "created_at"]
    list_filter = ["status", "email_status", "is_imported", "created_at"]
    list_select_related = ["vendor"]
    search_fields = ["number", "customer_name", "customer_email", "vendor__email", "referral_code"]
    date_hierarchy = "created_at"
    inlines = [BillItemInline]
    readonly_fields = [
        "vendor",
        "number",
        "year",
        "sequence",
        "currency",
        "total",
        "cost",
        "profit",
        "status",
        "created_by",
        "created_at",
        "voided_at",
        "voided_by",
        "invoice_pdf",
        "email_status",
        "email_attempts",
        "email_error",
        "email_sent_at",
    ]

    def has_add_permission(self, request):
        return False  # bills are created by the sale service, which keeps stock in step

    def has_delete_permission(self, request, obj=None):
        return False  # invoice numbers are gapless: void a bill instead


@admin.register(InvoiceCounter)
class InvoiceCounterAdmin(admin.ModelAdmin):
    list_display = ["vendor", "year", "last_sequence"]
    readonly_fields = ["vendor", "year", "last_sequence"]

    def has_add_permission(self, request):
        return False
