from accounts.tests.factories import InfluencerFactory, VendorFactory
from chat.models import Chat


def make_chat(vendor=None, influencer=None, campaign=None):
    """A chat between a vendor and an influencer (created directly: no token price in tests)."""
    return Chat.objects.create(
        vendor=vendor or VendorFactory(), influencer=influencer or InfluencerFactory(), campaign=campaign
    )
