"""The products list's filters: one FilterSet for the page (``/catalog/``) and the API
(``GET /api/v1/products/``), so the same query lists the same products on both."""

import django_filters
from django import forms

from anwariya.api.filters import FilterSet, IdFilter
from catalog.models import Category, Product, low_stock_q


class ProductFilter(FilterSet):
    # ``?search=`` (DRF's search) looks in these, on the page as in the API.
    search_fields = ["name", "sku"]

    category = IdFilter(field_name="category_id", label="Category id")
    category_slug = django_filters.CharFilter(field_name="category__slug")
    in_stock = django_filters.BooleanFilter(method="filter_in_stock", label="In stock")
    min_price = django_filters.NumberFilter(field_name="sale_price", lookup_expr="gte")
    max_price = django_filters.NumberFilter(field_name="sale_price", lookup_expr="lte")

    class Meta:
        model = Product
        fields = ["category", "category_slug", "is_active", "in_stock", "min_price", "max_price"]

    def filter_in_stock(self, queryset, name, value):
        return queryset.filter(quantity__gt=0) if value else queryset.filter(quantity=0)


class ProductPageFilter(ProductFilter):
    """The page's form of the same filters, and its shortcut to the low-stock list (the API's is
    ``GET /api/v1/products/low-stock/``). The page lists active products unless told otherwise."""

    page_defaults = {"is_active": "true"}

    low_stock = django_filters.BooleanFilter(method="filter_low_stock", label="Low stock only")

    class Meta(ProductFilter.Meta):
        fields = [*ProductFilter.Meta.fields, "low_stock"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.form.fields
        fields["category"].widget = forms.Select(
            choices=[("", "All categories"), *Category.objects.order_by("name").values_list("pk", "name")]
        )
        fields["in_stock"].widget = forms.Select(
            choices=[("", "Any stock"), ("true", "In stock"), ("false", "Out of stock")]
        )
        fields["is_active"].widget = forms.Select(choices=[("true", "Active"), ("false", "Inactive"), ("", "All")])
        fields["is_active"].label = "Status"
        fields["low_stock"].widget = forms.Select(choices=[("", "Any level"), ("true", "Low stock")])
        fields["category"].label = "Category"
        for name, placeholder in (("min_price", "Min price"), ("max_price", "Max price")):
            fields[name].label = placeholder
            fields[name].widget.attrs.update(min="0", step="0.01", placeholder=placeholder)
        for field in fields.values():
            field.widget.attrs["aria-label"] = field.label

    # The page's names before it shared the API's: ?q=, ?stock=in|out|low, ?status=active|inactive|all.
    OLD_NAMES = {
        "stock": {"in": ("in_stock", "true"), "out": ("in_stock", "false"), "low": ("low_stock", "true")},
        "status": {"active": ("is_active", "true"), "inactive": ("is_active", "false"), "all": ("is_active", "")},
    }

    @classmethod
    def page_query(cls, query):
        """``query`` with the old names of links and bookmarks read as today's."""
        for old, values in cls.OLD_NAMES.items():
            if old in query:
                name, value = values.get(query.pop(old)[-1], (None, None))
                if name and name not in query:
                    query[name] = value
        return query

    def filter_low_stock(self, queryset, name, value):
        return queryset.low_stock() if value else queryset.exclude(low_stock_q())
