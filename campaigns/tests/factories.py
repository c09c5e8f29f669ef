import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.tests.factories import VendorFactory
from campaigns import services


class CampaignFactory(factory.Factory):
    """Campaigns are made through the service; ``status="open"`` opens them."""

    class Meta:
        model = dict

    vendor = factory.SubFactory(VendorFactory)
    title = factory.Sequence(lambda n: f"Diwali launch {n}")
    description = "Show our new festive tea range to your audience."
    deliverables = "2 reels and 3 stories"
    budget = Decimal("25000.00")
    start_date = factory.LazyFunction(timezone.localdate)
    end_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    status = "open"

    @classmethod
    def _create(cls, model_class, status="open", **kwargs):
        campaign = services.campaign_create(**kwargs)
        if status in ("open", "closed"):
            services.campaign_open(campaign=campaign)
        if status == "closed":
            services.campaign_close(campaign=campaign)
        return campaign

    _build = _create
