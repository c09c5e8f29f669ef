"""The campaign list's filters: one FilterSet for the page (``/campaigns/``) and the API
(``GET /api/v1/campaigns/``), so the same query lists the same campaigns on both."""

import django_filters
from django import forms

from anwariya.api.filters import FilterSet, IdFilter
from campaigns.models import Campaign
from profiles.models import Niche


class CampaignFilter(FilterSet):
    # ``?search=`` (DRF's search) looks in these, on the page as in the API.
    search_fields = ["title", "description", "vendor__business_name"]

    niche = django_filters.CharFilter(field_name="niches__slug", distinct=True)
    vendor = IdFilter(field_name="vendor_id")

    class Meta:
        model = Campaign
        fields = ["status", "niche", "vendor"]


class CampaignPageFilter(CampaignFilter):
    """The page's form of the same filters: niches to choose from, and the vendor a link may name
    (``?vendor=``), kept by the form without a box of its own. Its search box is ``?search=``;
    links from before the page shared the API's names still say ``?q=``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.form.fields
        niches = Niche.objects.values_list("slug", "name")
        fields["niche"].widget = forms.Select(choices=[("", "Any niche"), *niches])
        fields["niche"].label = "Niche"
        fields["status"].widget = forms.Select(choices=[("", "Any status"), *Campaign.Status.choices])
        fields["status"].label = "Status"
        fields["vendor"].widget = forms.HiddenInput()
        fields["vendor"].label = "Vendor"
        for field in fields.values():
            field.widget.attrs["aria-label"] = field.label


class OpenCampaignPageFilter(CampaignPageFilter):
    """What influencers browse: the open campaigns, unless they ask for a status."""

    page_defaults = {"status": Campaign.Status.OPEN}
