import pytest

from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory
from anwariya.errors import DomainError
from profiles import services
from profiles.models import InfluencerProfile, VendorProfile
from profiles.tests.factories import niche

pytestmark = pytest.mark.django_db


def test_profile_update_validates_social_links():
    influencer = InfluencerFactory()
    profile = services.influencer_profile_update(
        user=influencer,
        display_name="Ira Sen",
        niches=[niche("food"), niche("travel")],
        engagement_rate="4.5",
        social_links={"instagram": "https://instagram.com/ira"},
    )
    assert sorted(n.slug for n in profile.niches.all()) == ["food", "travel"]
    influencer.refresh_from_db()
    assert influencer.display_name == "Ira Sen"
    with pytest.raises(DomainError) as caught:
        services.influencer_profile_update(user=influencer, social_links={"myspace": "https://x.example"})
    assert "social_links" in caught.value.errors


def test_profile_get_or_create_makes_the_roles_profile_once():
    influencer, vendor = InfluencerFactory(), VendorFactory()
    profile = services.profile_get_or_create(user=influencer)
    assert isinstance(profile, InfluencerProfile)
    assert services.profile_get_or_create(user=influencer).pk == profile.pk
    assert isinstance(services.profile_get_or_create(user=vendor), VendorProfile)
    assert InfluencerProfile.objects.count() == VendorProfile.objects.count() == 1
    with pytest.raises(services.NotAllowed):
        services.profile_get_or_create(user=AdminFactory())


def test_each_role_updates_only_its_own_profile():
    with pytest.raises(services.NotAllowed):
        services.influencer_profile_update(user=VendorFactory(), bio="Hi")
    with pytest.raises(services.NotAllowed):
        services.vendor_profile_update(user=InfluencerFactory(), website="https://x.example")
    assert not InfluencerProfile.objects.exists()
    assert not VendorProfile.objects.exists()


def test_vendor_profile_refuses_an_unknown_time_zone_and_keeps_names_on_the_user():
    vendor = VendorFactory()
    profile = services.vendor_profile_update(user=vendor, business_name="Chai & Co", time_zone="Asia/Dubai")
    vendor.refresh_from_db()
    assert (vendor.business_name, profile.time_zone) == ("Chai & Co", "Asia/Dubai")
    with pytest.raises(services.ProfileError) as caught:
        services.vendor_profile_update(user=vendor, time_zone="Mars/Olympus")
    assert "time_zone" in caught.value.errors
    profile.refresh_from_db()
    assert profile.time_zone == "Asia/Dubai"
