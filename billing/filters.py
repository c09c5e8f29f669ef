"""The bills list's filters: one FilterSet for the page (``/bills/``) and the API
(``GET /api/v1/bills/``), so the same query lists the same bills on both."""

import django_filters
from django import forms
from django.db.models import Q

from anwariya.api.filters import FilterSet, IdFilter
from billing.models import Bill
from catalog.selectors import products_for_vendor


class BillFilter(FilterSet):
    # ``?search=`` (DRF's search) looks in these, on the page as in the API.
    search_fields = ["number", "customer_name", "customer_email"]

    start = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label="From date (inclusive)")
    end = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label="To date (inclusive)")
    customer = django_filters.CharFilter(method="filter_customer", label="Customer name or email contains")
    product = IdFilter(field_name="items__product", distinct=True, label="Has a line of product id")

    class Meta:
        model = Bill
        fields = ["start", "end", "customer", "status", "product", "email_status"]

    def filter_customer(self, queryset, name, value):
        return queryset.filter(Q(customer_name__icontains=value) | Q(customer_email__icontains=value))


class BillPageFilter(BillFilter):
    """The page's form of the same filters: dates to pick, the vendor's products to choose from.
    Its search box is ``?search=`` (number, customer name or email); ``?customer=`` works too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.form.fields
        products = products_for_vendor(self.request.user).order_by("name").values_list("pk", "name")
        fields["product"].widget = forms.Select(choices=[("", "Any product"), *products])
        fields["product"].label = "Product"
        fields["status"].widget = forms.Select(choices=[("", "Any status"), *Bill.Status.choices])
        fields["status"].label = "Status"
        fields["email_status"].widget = forms.Select(choices=[("", "Any invoice email"), *Bill.EmailStatus.choices])
        fields["email_status"].label = "Invoice email"
        for name, label in (("start", "From"), ("end", "To")):
            fields[name].widget = forms.DateInput(attrs={"type": "date"})
            fields[name].label = label
        for field in fields.values():
            field.widget.attrs["aria-label"] = field.label
