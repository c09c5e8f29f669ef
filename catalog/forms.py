from django import forms

from catalog.models import Category, Product
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
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.order_by("name")
        self.fields["category"].empty_label = "No category"
        for name in ("cost_price", "sale_price"):
            self.fields[name].widget.attrs.update(min="0", step="0.01")

    def validate_unique(self):
        """The service checks the SKU per vendor; the form has no vendor to check with."""


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
