import pytest

from accounts.tests.factories import InfluencerFactory
from accounts.wallet import wallet_for_user, wallet_grant
from campaigns import services as campaign_services
from campaigns.models import Application
from campaigns.tests.factories import CampaignFactory
from chat import services
from chat.models import Chat

pytestmark = pytest.mark.django_db


def test_an_invitation_opens_the_campaign_chat_and_accepting_it_keeps_that_chat():
    campaign = CampaignFactory()
    influencer = InfluencerFactory()
    wallet_grant(user=campaign.vendor, amount=50, reason="test")
    invitation = campaign_services.campaign_invite(campaign=campaign, vendor=campaign.vendor, influencer=influencer)
    chat = Chat.objects.get()
    assert (chat.vendor, chat.influencer, chat.campaign) == (campaign.vendor, influencer, campaign)
    assert wallet_for_user(campaign.vendor).balance == 0  # the invitation's price, no contact price on top
    campaign_services.application_accept(application=invitation, actor=influencer)
    assert list(Chat.objects.all()) == [chat]


def test_a_chat_that_cannot_open_rolls_the_acceptance_back(monkeypatch):
    campaign = CampaignFactory()
    application = campaign_services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="A")

    def broken_chat_open(**kwargs):
        raise services.ChatError(errors={"other_user": ["Broken."]})

    monkeypatch.setattr(services, "chat_open", broken_chat_open)
    with pytest.raises(services.ChatError):
        campaign_services.application_accept(application=application, actor=campaign.vendor)
    application.refresh_from_db()
    assert (application.status, application.referral_code) == (Application.Status.PENDING, None)
    assert not Chat.objects.exists()


def test_a_chat_that_cannot_open_rolls_the_invitation_back(monkeypatch):
    campaign = CampaignFactory()
    wallet_grant(user=campaign.vendor, amount=50, reason="test")

    def broken_chat_open(**kwargs):
        raise services.ChatError(errors={"other_user": ["Broken."]})

    monkeypatch.setattr(services, "chat_open", broken_chat_open)
    with pytest.raises(services.ChatError):
        campaign_services.campaign_invite(campaign=campaign, vendor=campaign.vendor, influencer=InfluencerFactory())
    assert not Application.objects.exists()
    assert wallet_for_user(campaign.vendor).balance == 50
