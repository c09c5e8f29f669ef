import smtplib

import pytest
from django.utils import timezone

from accounts.models import WalletTransaction
from accounts.tests.factories import InfluencerFactory, VendorFactory
from accounts.wallet import wallet_for_user
from anwariya.celery import app as celery_app
from anwariya.errors import Conflict, DomainError
from broadcasts import selectors, sending, services
from broadcasts.models import Broadcast, Delivery
from broadcasts.tests.factories import accepted_on, influencers, make_broadcast
from broadcasts.validation import BroadcastError
from campaigns import services as campaign_services
from campaigns.models import Campaign
from campaigns.tests.factories import CampaignFactory
from chat.models import Chat, Message

pytestmark = pytest.mark.django_db


def test_pause_stops_the_run_and_resume_continues_where_it_stopped(
    vendor, campaign, settings, worker_down, django_capture_on_commit_callbacks
):
    settings.BROADCAST_RATE_PER_SECOND = 4
    accepted_on(campaign, influencers(10))
    broadcast = make_broadcast(vendor, campaign)
    services.broadcast_start(broadcast=broadcast)
    broadcast.refresh_from_db()
    first_run = broadcast.run
    sending.broadcast_send_batch_now(broadcast_id=broadcast.pk, run=first_run)

    services.broadcast_pause(broadcast=broadcast)
    # Batches of the paused run that were already queued send nothing.
    assert sending.broadcast_send_batch_now(broadcast_id=broadcast.pk, run=first_run) == 0
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.sent, broadcast.pending) == (Broadcast.Status.PAUSED, 4, 6)
    with pytest.raises(Conflict):
        services.broadcast_pause(broadcast=broadcast)

    celery_app.conf.task_always_eager = True
    with django_capture_on_commit_callbacks(execute=True):
        services.broadcast_resume(broadcast=broadcast)
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.sent, broadcast.run) == (Broadcast.Status.FINISHED, 10, first_run + 1)
    assert sending.broadcast_send_batch_now(broadcast_id=broadcast.pk, run=first_run) == 0
    assert Message.objects.count() == 10


def test_retry_failed_sends_them_again_and_reserves_again_what_was_refunded(
    vendor, campaign, monkeypatch, django_capture_on_commit_callbacks
):
    fans = influencers(4)
    accepted_on(campaign, fans)
    InfluencerFactory(is_active=False)  # never in an audience
    broadcast = make_broadcast(vendor, campaign, channels=["email"])
    broken = {fans[1].email}
    real_send = __import__("django.core.mail", fromlist=["EmailMessage"]).EmailMessage.send

    def flaky(self, *args, **kwargs):
        if set(self.to) & broken:
            raise smtplib.SMTPRecipientsRefused({self.to[0]: (550, b"mailbox full")})
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr("django.core.mail.EmailMessage.send", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        services.broadcast_start(broadcast=broadcast)
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.sent, broadcast.failed) == (Broadcast.Status.FINISHED, 3, 1)
    assert (broadcast.tokens_reserved, broadcast.tokens_refunded) == (4, 1)
    assert wallet_for_user(vendor).balance == 4997

    broken.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.broadcast_retry_failed(broadcast=broadcast) == 1
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.sent, broadcast.failed) == (Broadcast.Status.FINISHED, 4, 0)
    assert (broadcast.tokens_reserved, broadcast.tokens_refunded) == (5, 1)
    assert wallet_for_user(vendor).balance == 4996
    with pytest.raises(Conflict):
        services.broadcast_retry_failed(broadcast=broadcast)


def test_tokens_are_reserved_at_start_and_unused_ones_refunded_on_cancel(
    vendor, campaign, settings, worker_down, django_capture_on_commit_callbacks
):
    settings.TOKEN_PRICE_BROADCAST_RECIPIENT = 3
    settings.BROADCAST_RATE_PER_SECOND = 2
    accepted_on(campaign, influencers(5))
    broadcast = make_broadcast(vendor, campaign)
    services.broadcast_start(broadcast=broadcast)
    assert wallet_for_user(vendor).balance == 5000 - 15
    broadcast.refresh_from_db()
    sending.broadcast_send_batch_now(broadcast_id=broadcast.pk, run=broadcast.run)

    services.broadcast_cancel(broadcast=broadcast)

    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.sent, broadcast.skipped) == (Broadcast.Status.CANCELLED, 2, 3)
    assert (broadcast.tokens_reserved, broadcast.tokens_refunded) == (15, 9)
    assert wallet_for_user(vendor).balance == 5000 - 6
    refund = WalletTransaction.objects.get(kind=WalletTransaction.Kind.REFUND)
    assert (refund.amount, refund.reference) == (9, f"broadcast:{broadcast.pk}")
    with pytest.raises(Conflict):
        services.broadcast_cancel(broadcast=broadcast)


def test_start_without_enough_tokens_changes_nothing():
    poor = VendorFactory()  # no tokens
    campaign = CampaignFactory(vendor=poor)
    accepted_on(campaign, influencers(3))
    broadcast = make_broadcast(poor, campaign)
    from accounts.wallet import InsufficientTokens

    with pytest.raises(InsufficientTokens):
        services.broadcast_start(broadcast=broadcast)
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.total) == (Broadcast.Status.DRAFT, 0)
    assert not Delivery.objects.exists()


def test_a_vendor_cannot_broadcast_to_another_vendors_campaign(vendor):
    theirs = CampaignFactory()
    with pytest.raises(BroadcastError) as refused:
        make_broadcast(vendor, theirs)
    assert "campaign" in refused.value.errors


def test_recipients_who_are_not_influencers_are_refused(vendor):
    fan, other_vendor = InfluencerFactory(), VendorFactory()
    with pytest.raises(BroadcastError) as refused:
        make_broadcast(vendor, None, audience="list", recipients=[fan.pk, other_vendor.pk], body="Hi {name}")
    assert str(other_vendor.pk) in refused.value.errors["recipients"][0]


def test_placeholders_are_checked_and_filled_in_safely(vendor, campaign):
    with pytest.raises(BroadcastError) as refused:
        make_broadcast(vendor, campaign, body="Hi {name.__class__}")
    assert "Unknown placeholder" in refused.value.errors["body"][0]
    with pytest.raises(BroadcastError) as refused:
        make_broadcast(vendor, None, audience="list", recipients=[InfluencerFactory().pk], body="{campaign}")
    assert "needs a campaign" in refused.value.errors["body"][0]
    fan = InfluencerFactory(display_name="<b>{campaign}</b>")
    broadcast = make_broadcast(vendor, campaign, body="Hi {name}: {campaign} :-{ }")
    assert selectors.render_message(broadcast, fan) == "Festive drop\n\nHi <b>{campaign}</b>: Diwali chai :-{ }"


def test_telegram_deliveries_are_skipped_for_recipients_without_a_link(vendor, campaign, settings):
    settings.TELEGRAM_BOT_TOKEN, settings.TELEGRAM_WEBHOOK_SECRET = "1:token", "secret"
    accepted_on(campaign, influencers(2))
    broadcast = make_broadcast(vendor, campaign, channels=["telegram"])
    services.broadcast_start(broadcast=broadcast)
    broadcast.refresh_from_db()
    assert (broadcast.total, broadcast.skipped) == (2, 2)
    assert set(Delivery.objects.values_list("last_error", flat=True)) == {"No Telegram account linked."}
    assert not Chat.objects.exists()


def test_scheduled_broadcasts_start_when_due(vendor, campaign, django_capture_on_commit_callbacks):
    import datetime

    accepted_on(campaign, influencers(2))
    broadcast = make_broadcast(vendor, campaign, scheduled_at=timezone.now() + datetime.timedelta(hours=1))
    services.broadcast_start(broadcast=broadcast)
    broadcast.refresh_from_db()
    assert broadcast.status == Broadcast.Status.SCHEDULED
    assert sending.broadcasts_tick()["started"] == 0

    Broadcast.objects.filter(pk=broadcast.pk).update(scheduled_at=timezone.now() - datetime.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.broadcasts_tick()["started"] == 1
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.sent) == (Broadcast.Status.FINISHED, 2)


def test_placeholders_in_the_title_are_checked_like_the_body(vendor, campaign):
    with pytest.raises(BroadcastError) as refused:
        make_broadcast(vendor, campaign, title="For {first_name}")
    assert refused.value.errors == {"title": ["Unknown placeholder {first_name}: use {name} or {campaign}."]}
    with pytest.raises(BroadcastError) as refused:
        make_broadcast(
            vendor, None, audience="list", recipients=[InfluencerFactory().pk], title="{campaign} news", body="Hi"
        )
    assert refused.value.errors == {"title": ["{campaign} needs a campaign: choose one, or take the placeholder out."]}
    broadcast = make_broadcast(vendor, campaign, title="{campaign} news", body="Hi")
    with pytest.raises(BroadcastError) as refused:
        services.broadcast_update(
            broadcast=broadcast, audience="list", campaign=None, recipients=[InfluencerFactory().pk]
        )
    assert list(refused.value.errors) == ["title"]


def test_a_title_is_one_line(vendor, campaign):
    with pytest.raises(DomainError) as refused:
        make_broadcast(vendor, campaign, title="Festive\ndrop")
    assert refused.value.errors["title"] == [
        "A title is one line (it is the email's subject): take out the line breaks."
    ]


def test_a_draft_campaign_with_a_broadcast_is_not_deleted_under_it(vendor):
    """The broadcast's PROTECT on its campaign is the rule; ``campaign_delete`` (which does not
    know broadcasts) answers it with a 409 and deletes nothing."""
    draft_campaign = CampaignFactory(vendor=vendor, status="draft")
    broadcast = make_broadcast(vendor, draft_campaign, body="Hi {name}")
    with pytest.raises(Conflict) as refused:
        campaign_services.campaign_delete(campaign=draft_campaign)
    assert refused.value.detail == "This campaign has broadcasts; delete those drafts first."
    assert Campaign.objects.filter(pk=draft_campaign.pk).exists()
    assert Broadcast.objects.filter(pk=broadcast.pk, campaign=draft_campaign).exists()

    services.broadcast_delete(broadcast=broadcast)
    campaign_services.campaign_delete(campaign=draft_campaign)
    assert not Campaign.objects.filter(pk=draft_campaign.pk).exists()
