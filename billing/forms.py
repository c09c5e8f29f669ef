from django import forms
from django.core.validators import FileExtensionValidator

from catalog.models import Product
from catalog.services import MAX_QUANTITY
from profiles.gst import GstState


class BillForm(forms.Form):
    customer_name = forms.CharField(max_length=200)
    customer_email = forms.EmailField(max_length=254, help_text="The invoice PDF is emailed here.")
    referral_code = forms.CharField(
        max_length=32, required=False, help_text="An influencer's code, if they referred the sale."
    )
    customer_gstin = forms.CharField(
        max_length=15, required=False, label="Customer GSTIN", help_text="For a business buyer (B2B)."
    )
    customer_address = forms.CharField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Billing address"
    )
    place_of_supply = forms.ChoiceField(
        choices=[("", "Default: the buyer's GSTIN state, else yours"), *GstState.choices],
        required=False,
        label="Place of supply",
        help_text="Your own state: CGST + SGST; another state: IGST.",
    )
    allow_partial = forms.BooleanField(
        required=False,
        label="Skip lines without enough stock",
        help_text="The other lines are sold; a short line is skipped whole, not sold in part.",
    )


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, product):
        return f"{product.name} ({product.sku}) — {product.quantity} in stock"


class BillLineForm(forms.Form):
    product = ProductChoiceField(queryset=Product.objects.none(), empty_label="Choose a product")
    quantity = forms.IntegerField(min_value=1, max_value=MAX_QUANTITY, required=False, help_text="Empty: 1.")
    unit_price = forms.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, help_text="Empty: the product's price."
    )

    def __init__(self, *args, vendor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(vendor=vendor, is_active=True).order_by("name")
        self.fields["unit_price"].widget.attrs.update(min="0", step="0.01", placeholder="Default")
        self.fields["quantity"].widget.attrs.update(min="1", placeholder="1")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("product") and not cleaned.get("quantity"):
            cleaned["quantity"] = 1
        return cleaned


class BaseBillLineFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.cleaned_data.get("product") for form in self.forms):
            raise forms.ValidationError("Add at least one line.")


BillLineFormSet = forms.formset_factory(
    BillLineForm, formset=BaseBillLineFormSet, extra=3, max_num=200, validate_max=True
)


MAX_IMPORT_FILE_SIZE = 5 * 1024 * 1024


class SalesImportForm(forms.Form):
    file = forms.FileField(
        label="Sales file (CSV)",
        validators=[FileExtensionValidator(["csv"], message="Choose a .csv file.")],
        help_text="UTF-8 CSV with a header line, at most 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_FILE_SIZE:
            raise forms.ValidationError("The file is larger than 5 MB; split it and import the parts.")
        return upload
