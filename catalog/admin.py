from django.contrib import admin
from django.db.models import F

from catalog.models import Category, Product, StockMovement


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_by", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["created_by"]


class StockMovementInline(admin.TabularInline):
    model = StockMovement
    extra = 0
    can_delete = False
    fields = ["created_at", "reason", "delta", "quantity_after", "note", "created_by", "bill"]
    readonly_fields = fields
    ordering = ["-created_at", "-pk"]

    def has_add_permission(self, request, obj=None):
        return False


class StockLevelFilter(admin.SimpleListFilter):
    title = "stock"
    parameter_name = "stock"

    def lookups(self, request, model_admin):
        return [("out", "Out of stock"), ("low", "Low (at or below threshold)"), ("ok", "Above threshold")]

    def queryset(self, request, queryset):
        if self.value() == "out":
            return queryset.filter(quantity=0)
        if self.value() == "low":
            return queryset.filter(quantity__lte=F("low_stock_threshold"))
        if self.value() == "ok":
            return queryset.filter(quantity__gt=F("low_stock_threshold"))
        return queryset


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "sku", "vendor", "category", "sale_price", "quantity", "low_stock_threshold", "is_active"]
    list_filter = [StockLevelFilter, "is_active", "category"]
    list_select_related = ["vendor", "category"]
    search_fields = ["name", "sku", "vendor__email", "vendor__business_name"]
    raw_id_fields = ["vendor"]
    # Stock changes only through restocks, sales and adjustments, each with its movement.
    readonly_fields = ["quantity", "created_at", "updated_at"]
    inlines = [StockMovementInline]
