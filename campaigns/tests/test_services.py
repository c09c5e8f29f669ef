import pytest
from django.db import IntegrityError

from accounts.tests.factories import InfluencerFactory, VendorFactory
from accounts.wallet import InsufficientTokens, wallet_for_user, wallet_grant
from anwariya.errors import DomainError
from campaigns import services
from campaigns.models import Application, Campaign
from campaigns.tests.factories import CampaignFactory
from profiles.tests.factories import niche

pytestmark = pytest.mark.django_db


def test_campaign_lifecycle_draft_open_closed():
    campaign = CampaignFactory(status="draft", niches=[niche("food")])
    assert campaign.status == Campaign.Status.DRAFT
    services.campaign_open(campaign=campaign)
    services.campaign_update(campaign=campaign, title="Renamed while open")
    services.campaign_close(campaign=campaign)
    campaign.refresh_from_db()
    assert (campaign.status, campaign.title) == (Campaign.Status.CLOSED, "Renamed while open")
    with pytest.raises(DomainError):
        services.campaign_update(campaign=campaign, title="Too late")
    with pytest.raises(DomainError):
        services.campaign_delete(campaign=campaign)


def test_only_drafts_are_deleted():
    draft = CampaignFactory(status="draft")
    services.campaign_delete(campaign=draft)
    assert not Campaign.objects.filter(pk=draft.pk).exists()


def test_end_before_start_is_refused():
    campaign = CampaignFactory(status="draft")
    with pytest.raises(DomainError) as caught:
        services.campaign_update(campaign=campaign, end_date=campaign.start_date.replace(year=2000))
    assert "end_date" in caught.value.errors


def test_influencer_cannot_create_campaign():
    with pytest.raises(DomainError):
        CampaignFactory(vendor=InfluencerFactory())


def test_apply_once_and_not_to_closed():
    campaign = CampaignFactory()
    influencer = InfluencerFactory()
    services.application_create(campaign=campaign, influencer=influencer, pitch="I love tea.")
    with pytest.raises(DomainError) as caught:
        services.application_create(campaign=campaign, influencer=influencer, pitch="Again")
    assert caught.value.status_code == 409
    closed = CampaignFactory(status="closed")
    with pytest.raises(DomainError):
        services.application_create(campaign=closed, influencer=influencer, pitch="Late")


def test_vendor_cannot_apply():
    with pytest.raises(DomainError) as caught:
        services.application_create(campaign=CampaignFactory(), influencer=VendorFactory(), pitch="Me?")
    assert caught.value.status_code == 403


def test_accept_gives_unique_referral_code_and_reject_gives_none():
    campaign = CampaignFactory()
    first = services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="A")
    second = services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="B")
    third = services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="C")
    services.application_accept(application=first, actor=campaign.vendor)
    services.application_accept(application=second, actor=campaign.vendor)
    services.application_reject(application=third, actor=campaign.vendor)
    codes = list(Application.objects.filter(status="accepted").values_list("referral_code", flat=True))
    assert len(codes) == len(set(codes)) == 2
    assert all(len(code) == 8 for code in codes)
    third.refresh_from_db()
    assert (third.status, third.referral_code) == ("rejected", None)
    with pytest.raises(IntegrityError):
        Application.objects.filter(pk=second.pk).update(referral_code=first.referral_code)


def test_only_the_campaigns_vendor_decides():
    campaign = CampaignFactory()
    application = services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="A")
    with pytest.raises(DomainError) as caught:
        services.application_accept(application=application, actor=VendorFactory())
    assert caught.value.status_code == 403
    with pytest.raises(DomainError):
        services.application_accept(application=application, actor=application.influencer)


def test_withdraw_only_while_pending():
    campaign = CampaignFactory()
    application = services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="A")
    services.application_withdraw(application=application, actor=application.influencer)
    assert application.status == "withdrawn"
    with pytest.raises(DomainError):
        services.application_accept(application=application, actor=campaign.vendor)


def test_invitation_costs_tokens_and_influencer_answers():
    campaign = CampaignFactory()
    wallet_grant(user=campaign.vendor, amount=60, reason="test")
    influencer = InfluencerFactory()
    invitation = services.campaign_invite(campaign=campaign, vendor=campaign.vendor, influencer=influencer)
    assert wallet_for_user(campaign.vendor).balance == 10
    assert invitation.status == "invited"
    with pytest.raises(DomainError):
        services.application_accept(application=invitation, actor=campaign.vendor)
    services.application_accept(application=invitation, actor=influencer)
    assert invitation.referral_code


def test_invitation_without_tokens_is_402_and_writes_nothing():
    campaign = CampaignFactory()
    with pytest.raises(InsufficientTokens) as caught:
        services.campaign_invite(campaign=campaign, vendor=campaign.vendor, influencer=InfluencerFactory())
    assert caught.value.status_code == 402
    assert not Application.objects.exists()


def test_application_beyond_free_quota_costs_tokens(settings):
    settings.TOKEN_PRICE_APPLICATION = 5
    settings.TOKEN_FREE_APPLICATIONS_PER_MONTH = 1
    influencer = InfluencerFactory()
    services.application_create(campaign=CampaignFactory(), influencer=influencer, pitch="free")
    with pytest.raises(InsufficientTokens):
        services.application_create(campaign=CampaignFactory(), influencer=influencer, pitch="paid")
    assert Application.objects.filter(influencer=influencer).count() == 1
    wallet_grant(user=influencer, amount=5, reason="test")
    services.application_create(campaign=CampaignFactory(), influencer=influencer, pitch="paid")
    assert wallet_for_user(influencer).balance == 0
