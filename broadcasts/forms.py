"""The compose form of the broadcast pages."""

from django import forms

from accounts.models import Role, User
from broadcasts.models import Broadcast
from campaigns.models import Campaign
from profiles.models import FollowerBand, Niche


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
