from django import forms

from accounts.models import Role, User
from campaigns.models import Broadcast, Campaign
from catalog.models import Product
from profiles.models import FollowerBand, Niche


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


class BroadcastForm(forms.Form):
    """Compose a broadcast; ``service_fields`` shapes it for ``broadcast_create``/``broadcast_update``."""

    title = forms.CharField(max_length=200)
    body = forms.CharField(
        max_length=3500,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Use {name} for each influencer's name and {campaign} for the campaign's title.",
    )
    audience = forms.ChoiceField(choices=Broadcast.Audience.choices, widget=forms.RadioSelect, initial="campaign")
    campaign = forms.ModelChoiceField(
        queryset=Campaign.objects.none(), required=False, help_text="Its accepted influencers, for that audience."
    )
    niche = forms.ModelChoiceField(
        queryset=Niche.objects.all(), to_field_name="slug", required=False, empty_label="Any niche"
    )
    follower_band = forms.MultipleChoiceField(
        choices=FollowerBand.choices, required=False, widget=forms.CheckboxSelectMultiple, label="Followers"
    )
    min_engagement = forms.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False, label="Minimum engagement (%)"
    )
    country = forms.CharField(max_length=100, required=False)
    recipients = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        label="Chosen influencers",
        help_text="For a list audience. Hold Ctrl (⌘ on a Mac) to choose several.",
    )
    channels = forms.MultipleChoiceField(
        choices=Broadcast.Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Broadcast.Channel.CHAT],
        help_text="Telegram reaches only influencers who linked it; the others are skipped.",
    )
    scheduled_at = forms.DateTimeField(
        required=False,
        label="Send at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Leave empty to send when you start it.",
    )

    def __init__(self, *args, vendor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(vendor=vendor).order_by("-created_at")
        self.fields["recipients"].queryset = User.objects.filter(role=Role.INFLUENCER, is_active=True).order_by(
            "display_name", "pk"
        )

    @classmethod
    def initial_for(cls, broadcast):
        filters = broadcast.filters or {}
        return {
            "title": broadcast.title,
            "body": broadcast.body,
            "audience": broadcast.audience,
            "campaign": broadcast.campaign_id,
            "niche": filters.get("niche"),
            "follower_band": filters.get("follower_band", []),
            "min_engagement": filters.get("min_engagement"),
            "country": filters.get("country", ""),
            "recipients": list(broadcast.recipients.values_list("pk", flat=True)),
            "channels": broadcast.channels,
            "scheduled_at": broadcast.scheduled_at,
        }

    def audience_fields(self):
        data = self.cleaned_data
        return {
            "audience": data["audience"],
            "campaign": data.get("campaign"),
            "filters": {
                "niche": data["niche"].slug if data.get("niche") else "",
                "follower_band": data.get("follower_band") or [],
                "min_engagement": data.get("min_engagement"),
                "country": data.get("country") or "",
            },
            "recipients": [user.pk for user in data.get("recipients") or []],
        }

    def service_fields(self):
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body": data["body"],
            "channels": data["channels"],
            "scheduled_at": data.get("scheduled_at"),
            **self.audience_fields(),
        }
