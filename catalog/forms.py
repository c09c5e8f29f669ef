from django import forms
from django.db.models import Q

from catalog.models import Category, GstRate, Product, Unit
from catalog.services import MAX_QUANTITY


class ProductForm(forms.ModelForm):
    quantity = forms.IntegerField(
        min_value=0,
        max_value=MAX_QUANTITY,
        initial=0,
        label="Units in stock",
        help_text="Changing it later records a manual stock adjustment.",
    )

    class Meta:
        model = Product
        fields = [
            "name",
            "sku",
            "category",
            "description",
            "cost_price",
            "sale_price",
            "quantity",
            "low_stock_threshold",
            "hsn_code",
            "gst_rate",
            "unit",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.order_by("name")
        self.fields["category"].empty_label = "No category"
        # The rates in force, and the product's own even if it went out of force.
        current = self.instance.gst_rate_id if self.instance.pk else None
        self.fields["gst_rate"].queryset = GstRate.objects.filter(Q(is_active=True) | Q(pk=current)).order_by("rate")
        self.fields["gst_rate"].empty_label = "Not set"
        self.fields["gst_rate"].label_from_instance = _rate_label
        self.fields["hsn_code"].widget.attrs.update(inputmode="numeric", pattern="[0-9]*", maxlength="8")
        self.fields["unit"].required = False  # not given: pieces

    def clean_unit(self):
        return self.cleaned_data.get("unit") or Unit.PIECES
        for name in ("cost_price", "sale_price"):
            self.fields[name].widget.attrs.update(min="0", step="0.01")

    def validate_unique(self):
        """The service checks the SKU per vendor; the form has no vendor to check with."""


def _rate_label(rate):
    return f"{rate} — {rate.description}" if rate.description else str(rate)


class RestockForm(forms.Form):
    quantity = forms.IntegerField(
        min_value=1,
        max_value=MAX_QUANTITY,
        label="Units received",
        widget=forms.NumberInput(attrs={"placeholder": "Units"}),
    )
    note = forms.CharField(
        max_length=255,
        required=False,
        help_text="Supplier, delivery note, …",
        widget=forms.TextInput(attrs={"placeholder": "Note (supplier, delivery…)"}),
    )


class CategoryForm(forms.ModelForm):
    slug = forms.SlugField(max_length=120, required=False, help_text="Made from the name if empty.")

    class Meta:
        model = Category
        fields = ["name", "slug", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def validate_unique(self):
        """The service reports a taken slug on the ``slug`` field."""
