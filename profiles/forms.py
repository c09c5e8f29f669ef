"""The profile page's forms; the directory's filter form is ``profiles.filters.InfluencerFilter``'s."""

import zoneinfo

from django import forms

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
