from django import forms

from analytics.ranges import validate_report_day
from analytics.selectors import BUCKETS
from anwariya.api.filters import MAX_ID


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
