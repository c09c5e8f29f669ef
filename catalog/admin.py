from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from anwariya.admin import ServiceFormAdmin, ServiceModelForm
from catalog import services
from catalog.models import Category, GstRate, Product, StockMovement, Unit, low_stock_q


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_by", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["created_by"]


@admin.register(GstRate)
class GstRateAdmin(admin.ModelAdmin):
    """The managed list of GST rates. A rate's percentage is fixed once made (products point at
    it; make a new rate instead); one out of force is made inactive. A rate products carry cannot
    be deleted. Bills keep the rate they charged, whatever happens here."""

    list_display = ["__str__", "rate", "description", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["description"]

    def get_readonly_fields(self, request, obj=None):
        return ["rate"] if obj is not None else []


class StockMovementInline(admin.TabularInline):
    model = StockMovement
    extra = 0
    can_delete = False
    fields = ["created_at", "reason", "delta", "quantity_after", "note", "created_by", "belongs_to"]
    readonly_fields = fields
    ordering = ["-created_at", "-pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by", "source_type").prefetch_related("source")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Belongs to")
    def belongs_to(self, movement):
        """The movement's source (a bill), linked to its admin page."""
        if movement.source is None:
            return "—"
        source_type = movement.source_type
        try:
            url = reverse(f"admin:{source_type.app_label}_{source_type.model}_change", args=[movement.source_id])
        except NoReverseMatch:
            return str(movement.source)
        return format_html('<a href="{}">{}</a>', url, movement.source)


class StockLevelFilter(admin.SimpleListFilter):
    title = "stock"
    parameter_name = "stock"

    def lookups(self, request, model_admin):
        return [("out", "Out of stock"), ("low", "Low (at or below threshold)"), ("ok", "Above threshold")]

    def queryset(self, request, queryset):
        if self.value() == "out":
            return queryset.filter(quantity=0)
        if self.value() == "low":
            return queryset.filter(low_stock_q())
        if self.value() == "ok":
            return queryset.exclude(low_stock_q())
        return queryset


class ProductAdminForm(ServiceModelForm):
    """The admin's product form, saved by the catalog's services as the vendor's pages and the API
    save it (the SKU once per vendor in any case, prices within bounds, the opening stock's
    movement), so a broken rule is a form error, not a database error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "unit" in self.fields:
            self.fields["unit"].required = False  # not given: pieces, as on the vendor's pages

    def clean_unit(self):
        return self.cleaned_data.get("unit") or Unit.PIECES

    def save_through_service(self):
        if self.instance.pk is None:
            return services.product_create(**self.cleaned_data)
        changes = self.changed_fields()
        return services.product_update(product=self.instance, actor=self.actor, **changes) if changes else self.instance


@admin.register(Product)
class ProductAdmin(ServiceFormAdmin, admin.ModelAdmin):
    form = ProductAdminForm
    list_display = ["name", "sku", "vendor", "category", "sale_price", "quantity", "low_stock_threshold", "is_active"]
    list_filter = [StockLevelFilter, "is_active", "category", "gst_rate", "unit"]
    list_select_related = ["vendor", "category"]
    search_fields = ["name", "sku", "vendor__email", "vendor__business_name"]
    raw_id_fields = ["vendor"]
    inlines = [StockMovementInline]

    def get_readonly_fields(self, request, obj=None):
        # Stock changes only through restocks, sales and adjustments, each with its movement; and
        # a product stays its vendor's, since bills and movements point at it.
        readonly = ["quantity", "created_at", "updated_at"]
        return readonly if obj is None else ["vendor", *readonly]
