from django import forms

from anwariya.api.filters import MAX_ID


class VendorChoiceForm(forms.Form):
    """An admin's choice of whose analytics to read, and the search that narrows the list."""

    vendor = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    q = forms.CharField(label="Find a vendor", max_length=100, required=False, strip=True)
