import pytest

from accounts.tests.factories import InfluencerFactory
from broadcasts import selectors, services
from broadcasts.models import Delivery
from broadcasts.tests.factories import accepted_on, influencers, make_broadcast
from broadcasts.validation import BroadcastError

pytestmark = pytest.mark.django_db


def test_filter_audience_matches_the_directory_filters(vendor):
    from profiles.models import InfluencerProfile

    keen = InfluencerFactory()
    InfluencerProfile.objects.create(user=keen, country="India", engagement_rate="5.5", follower_band="10k-50k")
    lukewarm = InfluencerFactory()
    InfluencerProfile.objects.create(user=lukewarm, country="India", engagement_rate="1.0")
    preview = selectors.audience_preview(
        vendor=vendor, audience="filter", filters={"country": "india", "min_engagement": 3}
    )
    assert preview["count"] == 1
    assert preview["sample"][0]["id"] == keen.pk
    with pytest.raises(BroadcastError) as refused:
        selectors.audience_preview(vendor=vendor, audience="filter", filters={"follower_band": "lots"})
    assert "follower_band" in refused.value.errors["filters"][0]


def test_the_delivery_log_is_in_order_and_filtered_by_status_and_channel(vendor, campaign, worker_down):
    fans = influencers(2)
    accepted_on(campaign, fans)
    broadcast = make_broadcast(vendor, campaign, channels=["chat", "email", "telegram"])
    services.broadcast_start(broadcast=broadcast)  # nobody linked Telegram: those are skipped
    everything = selectors.deliveries_of_broadcast(broadcast)
    assert [(d.recipient, d.channel) for d in everything] == [
        (fan, channel) for fan in fans for channel in ("chat", "email", "telegram")
    ]
    skipped = selectors.deliveries_of_broadcast(broadcast, status=Delivery.Status.SKIPPED)
    assert {d.channel for d in skipped} == {"telegram"}
    assert [d.recipient for d in selectors.deliveries_of_broadcast(broadcast, channel="email")] == fans
    assert not selectors.deliveries_of_broadcast(broadcast, status=Delivery.Status.SENT, channel="chat").exists()


def test_telegram_deliveries_waiting_are_those_still_to_send_on_telegram(vendor, campaign, worker_down):
    accepted_on(campaign, influencers(4))
    broadcast = make_broadcast(vendor, campaign, channels=["chat", "telegram"])
    services.broadcast_start(broadcast=broadcast)
    telegram = Delivery.objects.filter(channel="telegram")
    telegram.update(status=Delivery.Status.PENDING, last_error="")  # as if every fan had linked it
    assert selectors.telegram_deliveries_waiting() == 4
    first, second, third, _ = telegram.order_by("pk")
    Delivery.objects.filter(pk=first.pk).update(status=Delivery.Status.SENDING)
    Delivery.objects.filter(pk=second.pk).update(status=Delivery.Status.RETRYING)
    Delivery.objects.filter(pk=third.pk).update(status=Delivery.Status.FAILED)
    assert selectors.telegram_deliveries_waiting() == 3  # pending, sending, retrying; chat ones never count
