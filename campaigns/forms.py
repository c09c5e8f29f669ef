from django import forms

from campaigns.models import LANDING_URL_MAX, Campaign
from catalog.models import Product


def landing_url_field():
    """The landing page as the campaign forms take it: a typed "shop.example.com" means https."""
    return forms.URLField(
        max_length=LANDING_URL_MAX,
        required=False,
        assume_scheme="https",
        label="Landing page",
        help_text=Campaign._meta.get_field("landing_url").help_text,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )


class CampaignForm(forms.ModelForm):
    landing_url = landing_url_field()

    class Meta:
        model = Campaign
        fields = [
            "title",
            "description",
            "product",
            "niches",
            "deliverables",
            "budget",
            "start_date",
            "end_date",
            "landing_url",
        ]
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
