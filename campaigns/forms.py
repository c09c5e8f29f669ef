import zoneinfo

from django import forms

from campaigns.models import (
    SOCIAL_NETWORKS,
    Availability,
    Campaign,
    ContentFormat,
    FollowerBand,
    Niche,
)
from catalog.models import Product

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


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "description", "product", "niches", "deliverables", "budget", "start_date", "end_date"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "deliverables": forms.Textarea(attrs={"rows": 2}),
            "niches": forms.CheckboxSelectMultiple,
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, vendor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(vendor=vendor, is_active=True).order_by("name")
        self.fields["product"].empty_label = "No product"
        self.fields["budget"].widget.attrs.update(min="0", step="0.01")

    def validate_unique(self):
        """The service validates the campaign."""

    def _post_clean(self):
        # Constraints (end after start) are reported by the service on the right field.
        pass


class ApplyForm(forms.Form):
    pitch = forms.CharField(
        max_length=3000, widget=forms.Textarea(attrs={"rows": 4}), help_text="Why you fit this campaign."
    )


class InviteForm(forms.Form):
    campaign = forms.ModelChoiceField(queryset=Campaign.objects.none(), empty_label="Choose an open campaign")
    message = forms.CharField(max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, vendor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(vendor=vendor, status=Campaign.Status.OPEN)


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        required=False, label="Search", widget=forms.TextInput(attrs={"placeholder": "Name, bio, city"})
    )
    niche = forms.ModelChoiceField(
        queryset=Niche.objects.all(), required=False, empty_label="Any niche", to_field_name="slug"
    )
    follower_band = forms.ChoiceField(choices=[("", "Any followers"), *FollowerBand.choices], required=False)
    min_engagement = forms.DecimalField(
        required=False, min_value=0, max_value=100, widget=forms.NumberInput(attrs={"placeholder": "Min. engagement %"})
    )
    content_type = forms.ModelChoiceField(
        queryset=ContentFormat.objects.all(), required=False, empty_label="Any content", to_field_name="slug"
    )
    country = forms.CharField(required=False, widget=forms.TextInput(attrs={"placeholder": "Country"}))


class CampaignFilterForm(forms.Form):
    q = forms.CharField(
        required=False, label="Search", widget=forms.TextInput(attrs={"placeholder": "Search campaigns"})
    )
    niche = forms.ModelChoiceField(
        queryset=Niche.objects.all(), required=False, empty_label="Any niche", to_field_name="slug"
    )
    status = forms.ChoiceField(choices=[("", "Any status"), *Campaign.Status.choices], required=False)
