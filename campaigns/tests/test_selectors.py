import pytest

from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory, give_tokens
from campaigns import selectors, services
from campaigns.tests.factories import CampaignFactory
from profiles.tests.factories import InfluencerProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign_with_applications():
    campaign = CampaignFactory()
    give_tokens(campaign.vendor, 50)
    applicant, guest = (InfluencerProfileFactory(niches=["food"]).user for _ in range(2))
    applied = services.application_create(campaign=campaign, influencer=applicant, pitch="Me!")
    invited = services.campaign_invite(campaign=campaign, vendor=campaign.vendor, influencer=guest)
    CampaignFactory(vendor=campaign.vendor)  # another of theirs, with none
    return campaign, [invited, applied]


def test_the_campaigns_vendor_sees_its_applications_and_invitations_newest_first(campaign_with_applications):
    campaign, newest_first = campaign_with_applications
    assert list(selectors.applications_of_campaign(campaign.vendor, campaign)) == newest_first


def test_a_foreign_vendor_sees_none_of_a_campaigns_applications(campaign_with_applications):
    campaign, _ = campaign_with_applications
    assert not selectors.applications_of_campaign(VendorFactory(), campaign).exists()


def test_influencers_and_admins_see_none_of_a_campaigns_applications(campaign_with_applications):
    campaign, applications = campaign_with_applications
    applicant = applications[1].influencer
    assert not selectors.applications_of_campaign(applicant, campaign).exists()
    assert not selectors.applications_of_campaign(InfluencerFactory(), campaign).exists()
    assert not selectors.applications_of_campaign(AdminFactory(), campaign).exists()


def test_the_campaign_object_cannot_vouch_for_a_foreign_vendor(campaign_with_applications):
    """Ownership is read from the database, not from the object the caller passes in."""
    campaign, _ = campaign_with_applications
    intruder = VendorFactory()
    campaign.vendor_id = intruder.pk
    assert not selectors.applications_of_campaign(intruder, campaign).exists()


def test_the_applications_list_reads_in_a_fixed_number_of_queries(
    campaign_with_applications, django_assert_num_queries
):
    campaign, _ = campaign_with_applications
    with django_assert_num_queries(2):  # the applications with their people, then the niches
        niches = [
            [n.slug for n in a.influencer.influencer_profile.niches.all()]
            for a in selectors.applications_of_campaign(campaign.vendor, campaign)
        ]
    assert niches == [["food"], ["food"]]
