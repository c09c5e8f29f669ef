from django import forms
from django.core.validators import FileExtensionValidator

from billing.returns import ReturnLine
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


class ReturnForm(forms.Form):
    """How many units of each of the bill's lines come back (empty or 0: none), and why."""

    reason = forms.CharField(
        max_length=200, required=False, label="Reason", help_text="Printed on the credit note, e.g. damaged in transit."
    )

    def __init__(self, *args, bill, **kwargs):
        super().__init__(*args, **kwargs)
        self.bill = bill
        self.lines = []
        for item in bill.items.all():
            returned = sum(line.quantity for line in item.returns.all())
            left = item.quantity - returned
            name = f"quantity_{item.product_id}"
            self.fields[name] = forms.IntegerField(
                min_value=0,
                max_value=max(left, 0),
                required=False,
                label=f"Units of {item.product_name} to return",
                widget=forms.NumberInput(attrs={"min": "0", "max": str(max(left, 0)), "placeholder": "0"}),
            )
            self.lines.append((item, name, returned, left))

    def rows(self):
        """Per line: the bill line, its quantity field, what was returned and what is left."""
        return [(item, self[name], returned, left) for item, name, returned, left in self.lines]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.return_lines():
            raise forms.ValidationError("Enter how many units of at least one line come back.")
        return cleaned

    def return_lines(self):
        return [
            ReturnLine(product=item.product_id, quantity=self.cleaned_data[name])
            for item, name, _, _ in self.lines
            if self.cleaned_data.get(name)
        ]

    def show_errors(self, error):
        """A service's errors on the lines' fields (by their index among the lines sent)."""
        sent = [name for item, name, _, _ in self.lines if self.cleaned_data.get(name)]
        for field, messages in error.errors.items():
            if isinstance(messages, dict):
                for index, line_errors in messages.items():
                    for line_messages in line_errors.values():
                        for message in line_messages:
                            self.add_error(sent[int(index)], message)
                continue
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        self.add_error(None, error.detail)


class GstMonthForm(forms.Form):
    month = forms.RegexField(
        r"^(?:20[0-9]{2}|2100)-(?:0[1-9]|1[0-2])$",
        max_length=7,
        required=False,
        label="Month",
        error_messages={"invalid": "Give a month as YYYY-MM, e.g. 2026-04."},
        widget=forms.DateInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )
