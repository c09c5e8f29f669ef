import pytest
from django.conf import settings

from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory
from profiles import selectors
from profiles.tests.factories import InfluencerProfileFactory, VendorProfileFactory

pytestmark = pytest.mark.django_db


def test_a_vendor_sees_times_in_their_profiles_zone():
    vendor = VendorProfileFactory(time_zone="America/New_York").user
    assert selectors.user_time_zone(vendor).key == "America/New_York"


@pytest.mark.parametrize(
    "make_user",
    [
        VendorFactory,  # no profile yet
        lambda: VendorProfileFactory(time_zone="").user,
        lambda: VendorProfileFactory(time_zone="Atlantis/Capital").user,  # a zone that is no more
        InfluencerFactory,
        AdminFactory,
    ],
)
def test_everyone_else_sees_the_platforms_zone(make_user):
    assert selectors.user_time_zone(make_user()).key == settings.TIME_ZONE


def test_the_directory_lists_active_influencers_by_name():
    InfluencerProfileFactory(user=InfluencerFactory(display_name="Zoya"))
    InfluencerFactory(display_name="Asha")  # no profile yet: still listed
    InfluencerFactory(display_name="Gone", is_active=False)
    VendorFactory(display_name="Shop")
    assert [user.display_name for user in selectors.influencers_directory()] == ["Asha", "Zoya"]
