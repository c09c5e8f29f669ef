"""The vendor's terms form: compensation fields, then deliverables as repeated rows (no JavaScript)."""

from django import forms

from catalog.models import Product
from collaborations import services
from collaborations.models import DEFAULT_DISCLOSURE, TermsDeliverable

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
