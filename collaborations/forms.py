"""The pages' forms: the vendor's terms (compensation fields, then deliverables as repeated rows, no
JavaScript), a deliverable's submission and a request for changes."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone

from billing.forms import ProductChoiceField
from catalog.models import Product
from collaborations import services, shipments, uploads
from collaborations.models import DEFAULT_DISCLOSURE, Payout, Shipment, TermsDeliverable

DELIVERABLE_ROWS = 5


class TermsForm(forms.Form):
    fee = forms.DecimalField(max_digits=12, decimal_places=2, min_value=0, max_value=services.MAX_FEE)
    commission_rate = forms.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, label="Commission rate (%)"
    )
    gifted_products = forms.ModelMultipleChoiceField(
        queryset=Product.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    usage_rights = forms.CharField(
        max_length=services.USAGE_RIGHTS_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    disclosure = forms.CharField(max_length=services.DISCLOSURE_MAX, required=False, initial=DEFAULT_DISCLOSURE)

    def __init__(self, *args, vendor, rows=DELIVERABLE_ROWS, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gifted_products"].queryset = Product.objects.filter(vendor=vendor, is_active=True).order_by("name")
        self.rows = rows
        for i in range(rows):
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                choices=[("", "—"), *TermsDeliverable.Kind.choices], required=False, label="Kind"
            )
            self.fields[f"brief_{i}"] = forms.CharField(max_length=services.BRIEF_MAX, required=False, label="Brief")
            self.fields[f"due_date_{i}"] = forms.DateField(
                required=False, label="Due date", widget=forms.DateInput(attrs={"type": "date"})
            )

    def deliverable_rows(self):
        """The rows' bound fields, for the template."""
        return [(self[f"kind_{i}"], self[f"brief_{i}"], self[f"due_date_{i}"]) for i in range(self.rows)]

    def compensation_fields(self):
        return [self[name] for name in ("fee", "commission_rate", "gifted_products", "usage_rights", "disclosure")]

    def deliverables(self):
        """The filled rows, in order, with the index of each row on the form."""
        filled = []
        for i in range(self.rows):
            kind, brief, due = (self.cleaned_data.get(f"{name}_{i}") for name in ("kind", "brief", "due_date"))
            if kind or brief or due:
                filled.append((i, {"kind": kind, "brief": brief, "due_date": due}))
        return filled


class ReasonForm(forms.Form):
    text = forms.CharField(max_length=1000)


# --- Shipments ------------------------------------------------------------------------------


class ShipmentForm(forms.Form):
    """The vendor's new gift shipment, beside its lines (``ShipmentLineFormSet``)."""

    address = forms.CharField(
        max_length=shipments.ADDRESS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Starts as the address the influencer gave.",
    )
    carrier = forms.CharField(
        max_length=shipments.CARRIER_MAX, required=False, help_text="Optional until it is shipped."
    )
    tracking_number = forms.CharField(max_length=shipments.TRACKING_NUMBER_MAX, required=False)


class ShipmentLineForm(forms.Form):
    product = ProductChoiceField(queryset=Product.objects.none(), empty_label="Choose a product", required=False)
    quantity = forms.IntegerField(min_value=1, max_value=shipments.MAX_QUANTITY, required=False, help_text="Empty: 1.")

    def __init__(self, *args, vendor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(vendor=vendor, is_active=True).order_by("name", "pk")
        self.fields["quantity"].widget.attrs.update(min="1", placeholder="1")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("product") and not cleaned.get("quantity"):
            cleaned["quantity"] = 1
        return cleaned


class BaseShipmentLineFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.cleaned_data.get("product") for form in self.forms):
            raise forms.ValidationError("Choose at least one product.")

    def filled(self):
        """The lines with a product, in order (what the service gets, so its line errors map back)."""
        return [form for form in self.forms if form.cleaned_data.get("product")]


SHIPMENT_LINES = 3
ShipmentLineFormSet = forms.formset_factory(
    ShipmentLineForm,
    formset=BaseShipmentLineFormSet,
    extra=SHIPMENT_LINES,
    max_num=shipments.MAX_LINES,
    validate_max=True,
    absolute_max=shipments.MAX_LINES,
)


class ShipmentUpdateForm(forms.Form):
    """A status button, with the carrier and tracking number where the step takes them."""

    status = forms.ChoiceField(choices=[("", "—"), *Shipment.Status.choices], required=False)
    carrier = forms.CharField(max_length=shipments.CARRIER_MAX, required=False)
    tracking_number = forms.CharField(max_length=shipments.TRACKING_NUMBER_MAX, required=False)


class ShippingAddressForm(forms.Form):
    shipping_address = forms.CharField(
        label="Your shipping address",
        max_length=shipments.ADDRESS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Name, street, city, PIN code and a phone number for the courier. Only this "
        "collaboration's vendor sees it.",
    )


# --- Money: payouts -------------------------------------------------------------------------


class PayoutForm(forms.Form):
    """The vendor's record of a payout made outside Anwariya; prefilled with what is payable."""

    amount = forms.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"), label="Amount paid")
    method = forms.ChoiceField(choices=Payout.Method.choices)
    reference = forms.CharField(
        max_length=Payout._meta.get_field("reference").max_length,
        required=False,
        help_text="The UPI or bank transaction reference, so both of you can find it.",
    )
    paid_on = forms.DateField(
        initial=timezone.localdate, label="Paid on", widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(max_length=Payout._meta.get_field("note").max_length, required=False)

    def __init__(self, *args, payable=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs.update(min="0.01", step="0.01")
        if payable is not None and payable > 0:
            self.fields["amount"].initial = payable
            self.fields["amount"].widget.attrs["max"] = str(payable)
        self.fields["paid_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class SubmissionForm(forms.Form):
    """The influencer's submission of one deliverable (the service checks it again, and the file)."""

    url = forms.URLField(
        max_length=500,
        required=False,
        assume_scheme="https",
        label="Post URL",
        help_text="The published post, if it is live.",
    )
    caption = forms.CharField(max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(
        required=False,
        label="Draft file",
        widget=forms.FileInput(attrs={"accept": uploads.ACCEPT}),
    )

    def __init__(self, *args, disclosure="#ad", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "caption"
        ].help_text = (
            f"Include a disclosure label such as {disclosure}: ASCI asks for one on every paid or gifted post."
        )
        self.fields[
            "file"
        ].help_text = (
            f"An image or video ({', '.join(uploads.EXTENSIONS)}), at most {settings.COLLAB_UPLOAD_MAX_MB} MB."
        )


class ChangesForm(forms.Form):
    comment = forms.CharField(max_length=2000, label="What should change?", widget=forms.Textarea(attrs={"rows": 3}))
