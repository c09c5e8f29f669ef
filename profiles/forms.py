"""The profile page's forms; the directory's filter form is ``profiles.filters.InfluencerFilter``'s."""

import zoneinfo

from django import forms
from django.core.files.uploadedfile import UploadedFile

from profiles.gst import GstState, RegistrationType
from profiles.models import SOCIAL_NETWORKS, Availability, ContentFormat, FollowerBand, Niche

NETWORK_NAMES = {
    "instagram": "Instagram",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "x": "X",
    "facebook": "Facebook",
    "linkedin": "LinkedIn",
    "blog": "Blog",
    "other": "Other",
}


class InfluencerProfileForm(forms.Form):
    display_name = forms.CharField(max_length=150, label="Display name")
    niches = forms.ModelMultipleChoiceField(
        queryset=Niche.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    follower_band = forms.ChoiceField(
        choices=[("", "Choose…"), *FollowerBand.choices], required=False, label="Followers"
    )
    engagement_rate = forms.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False, label="Engagement rate (%)"
    )
    content_formats = forms.ModelMultipleChoiceField(
        queryset=ContentFormat.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label="Content types"
    )
    availability = forms.ChoiceField(choices=Availability.choices)
    bio = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    city = forms.CharField(max_length=100, required=False)
    country = forms.CharField(max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for network in SOCIAL_NETWORKS:
            self.fields[f"link_{network}"] = forms.URLField(
                required=False, max_length=300, label=f"{NETWORK_NAMES[network]} link", assume_scheme="https"
            )

    def service_fields(self):
        data = dict(self.cleaned_data)
        data["social_links"] = {n: data.pop(f"link_{n}") for n in SOCIAL_NETWORKS if data.get(f"link_{n}")}
        for network in SOCIAL_NETWORKS:
            data.pop(f"link_{network}", None)
        data["follower_band"] = data.get("follower_band") or ""
        return data


class VendorProfileForm(forms.Form):
    display_name = forms.CharField(max_length=150, label="Your name")
    business_name = forms.CharField(max_length=200)
    time_zone = forms.ChoiceField(
        choices=[("", "Platform default"), *((zone, zone) for zone in sorted(zoneinfo.available_timezones()))],
        required=False,
        help_text="Analytics count days and weeks in this time zone.",
    )
    website = forms.URLField(max_length=200, required=False, assume_scheme="https")
    description = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    city = forms.CharField(max_length=100, required=False)
    country = forms.CharField(max_length=100, required=False)
    legal_name = forms.CharField(
        max_length=200, required=False, label="Legal name", help_text="As registered under GST; printed on invoices."
    )
    address = forms.CharField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Registered address"
    )
    state = forms.ChoiceField(choices=[("", "Choose…"), *GstState.choices], required=False, label="State (GST code)")
    registration_type = forms.ChoiceField(
        choices=RegistrationType.choices,
        initial=RegistrationType.UNREGISTERED,
        required=False,
        label="GST registration",
        help_text="Regular vendors issue tax invoices; composition and unregistered vendors, bills of supply.",
    )
    gstin = forms.CharField(
        max_length=15, required=False, label="GSTIN", help_text="15 characters, e.g. 27AAPFU0939F1ZV."
    )
    prices_include_tax = forms.BooleanField(required=False, label="My catalog prices include GST")
    invoice_prefix = forms.CharField(
        max_length=3, required=False, label="Invoice number prefix", help_text="Optional: up to 3 letters or digits."
    )
    logo = forms.ImageField(required=False, help_text="Printed on invoices: PNG or JPEG, at most 1 MB.")

    def service_fields(self):
        """The cleaned fields as ``vendor_profile_update`` takes them: a new logo, None to remove
        the current one (its "clear" box), and no ``logo`` at all to keep it."""
        data = dict(self.cleaned_data)
        if not data.get("registration_type"):
            data.pop("registration_type", None)  # not sent: kept as it is
        logo = data.pop("logo", None)
        if logo is False:
            data["logo"] = None
        elif isinstance(logo, UploadedFile):
            data["logo"] = logo
        return data
