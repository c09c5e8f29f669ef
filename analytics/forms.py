from django import forms
from django.core.validators import FileExtensionValidator

from analytics.ranges import validate_report_day
from analytics.selectors import BUCKETS
from anwariya.api.filters import MAX_ID

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


class VendorChoiceForm(forms.Form):
    """An admin's choice of whose analytics to read, and the search that narrows the list."""

    vendor = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    q = forms.CharField(label="Find a vendor", max_length=100, required=False, strip=True)


class RangeForm(forms.Form):
    """The dashboard's period and bucket. Each day is checked here; the range and the bucket as
    read, by the view, with ``analytics.ranges`` as the API does."""

    start = forms.DateField(
        required=False, validators=[validate_report_day], widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, validators=[validate_report_day], widget=forms.DateInput(attrs={"type": "date"})
    )
    bucket = forms.ChoiceField(choices=[(bucket, bucket.capitalize()) for bucket in BUCKETS], required=False)
