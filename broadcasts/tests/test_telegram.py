"""Broadcasts reach linked influencers on Telegram, and their replies land in the vendor's chat."""

import pytest

from accounts.tests.factories import InfluencerFactory
from accounts.wallet import wallet_grant
from broadcasts import services
from broadcasts.models import Broadcast, Delivery
from campaigns.models import Application
from campaigns.tests.factories import CampaignFactory
from chat.models import Message, TelegramMessage
from chat.tests.factories import link_telegram
from chat.tests.telegram import telegram_update

pytestmark = pytest.mark.django_db

ASHA_CHAT = 5551


@pytest.fixture
def campaign_with_fans():
    campaign = CampaignFactory(title="Chai week")
    wallet_grant(user=campaign.vendor, amount=10, reason="test tokens")
    fans = [InfluencerFactory(display_name=name) for name in ("Asha", "Bilal")]
    for fan in fans:
        Application.objects.create(campaign=campaign, influencer=fan, status=Application.Status.ACCEPTED, message="!")
    link_telegram(fans[0], ASHA_CHAT, username="asha_tg")
    return campaign, fans


def start(on_commit, campaign, channels, title="Free samples"):
    broadcast = services.broadcast_create(
        vendor=campaign.vendor,
        actor=campaign.vendor,
        title=title,
        body="Hi {name}, samples for {campaign} ship today.",
        audience="campaign",
        campaign=campaign,
        channels=channels,
    )
    on_commit(services.broadcast_start, broadcast=broadcast)
    broadcast.refresh_from_db()
    return broadcast


def test_linked_influencers_get_the_broadcast_on_telegram_once(telegram, on_commit, campaign_with_fans):
    campaign, fans = campaign_with_fans
    broadcast = start(on_commit, campaign, ["chat", "telegram"])

    assert (broadcast.status, broadcast.total, broadcast.sent, broadcast.skipped) == ("finished", 4, 3, 1)
    skipped = Delivery.objects.get(status=Delivery.Status.SKIPPED)
    assert (skipped.recipient, skipped.channel, skipped.last_error) == (
        fans[1],
        "telegram",
        "No Telegram account linked.",
    )
    # One Telegram message: the broadcast's own, not also a relay of its chat message.
    sent = telegram.sent()
    assert len(sent) == 1
    assert sent[0]["chat_id"] == ASHA_CHAT
    assert sent[0]["text"] == "Free samples\n\nHi Asha, samples for Chai week ship today."
    assert Message.objects.filter(chat__influencer__in=fans).count() == 2


def test_a_reply_on_telegram_lands_in_the_vendors_chat(telegram, on_commit, post_update, campaign_with_fans):
    campaign, fans = campaign_with_fans
    start(on_commit, campaign, ["telegram"])
    assert Delivery.objects.get(recipient=fans[0]).status == Delivery.Status.SENT
    notification = TelegramMessage.objects.get(user=fans[0])

    response = post_update(
        telegram_update(
            "Count me in!", chat_id=ASHA_CHAT, username="asha_tg", reply_to=notification.telegram_message_id
        )
    )

    assert response.json()["outcome"] == "posted"
    reply = Message.objects.get(sender=fans[0])
    assert reply.text == "Count me in!"
    assert (reply.chat.vendor, reply.chat.campaign) == (campaign.vendor, campaign)


def test_without_the_bot_set_up_telegram_deliveries_are_skipped(on_commit, campaign_with_fans):
    campaign, _ = campaign_with_fans
    broadcast = start(on_commit, campaign, ["telegram"])
    assert (broadcast.status, broadcast.skipped, broadcast.tokens_refunded) == (Broadcast.Status.FINISHED, 2, 2)
    assert set(Delivery.objects.values_list("last_error", flat=True)) == {"The Telegram bot is not set up."}


def test_the_title_on_telegram_is_filled_in_like_the_body(telegram, on_commit, campaign_with_fans):
    campaign, _ = campaign_with_fans
    start(on_commit, campaign, ["telegram"], title="{name}: free samples for {campaign}")
    assert [sent["text"] for sent in telegram.sent()] == [
        "Asha: free samples for Chai week\n\nHi Asha, samples for Chai week ship today."
    ]


def test_the_bots_status_counts_the_broadcast_deliveries_waiting_for_telegram(
    telegram, worker_down, campaign_with_fans
):
    """``chat`` counts them through the waiting counter ``broadcasts`` registers (chat does not
    import broadcasts): a delivery still to send on Telegram waits; one skipped or sent does not."""
    from anwariya.tests.api import api_client
    from broadcasts import sending

    campaign, fans = campaign_with_fans
    status = api_client(campaign.vendor).get("/api/v1/bot/status/")
    assert status.json()["deliveries_waiting"] == 0
    broadcast = services.broadcast_create(
        vendor=campaign.vendor,
        actor=campaign.vendor,
        title="Free samples",
        body="Hi {name}",
        campaign=campaign,
        channels=["chat", "telegram"],
    )
    services.broadcast_start(broadcast=broadcast)  # the batches wait in the broker
    waiting = Delivery.objects.filter(channel="telegram", status=Delivery.Status.PENDING)
    assert list(waiting.values_list("recipient", flat=True)) == [fans[0].pk]  # Bilal's is skipped: no link
    assert api_client(campaign.vendor).get("/api/v1/bot/status/").json()["deliveries_waiting"] == 1

    broadcast.refresh_from_db()
    sending.broadcast_send_batch_now(broadcast_id=broadcast.pk, run=broadcast.run, chain=False)
    assert Delivery.objects.get(channel="telegram", recipient=fans[0]).status == Delivery.Status.SENT
    assert api_client(campaign.vendor).get("/api/v1/bot/status/").json()["deliveries_waiting"] == 0
