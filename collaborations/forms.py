"""The pages' forms: the vendor's terms (compensation fields, then deliverables as repeated rows, no
JavaScript), a deliverable's submission and a request for changes."""

from django import forms
from django.conf import settings

from catalog.models import Product
from collaborations import services, uploads
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
