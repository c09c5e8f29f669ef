"""Broadcast lifecycle calls racing the batches that send it, with real threads on PostgreSQL,
and the in-process fan-out (no broker) with real commits."""

import smtplib
import time

import pytest
from django.db.models import Count

from accounts.models import Role, User
from accounts.tests.factories import VendorFactory
from accounts.wallet import wallet_for_user, wallet_grant
from anwariya.errors import Conflict
from anwariya.tests.concurrency import run_concurrently
from broadcasts import sending, services
from broadcasts.models import DELIVERY_ACTIVE, Broadcast, Delivery
from campaigns.models import Application
from campaigns.tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db(transaction=True)


def setup_broadcast(count, channels=("email",)):
    vendor = VendorFactory()
    wallet_grant(user=vendor, amount=5000, reason="test tokens")
    campaign = CampaignFactory(vendor=vendor)
    fans = User.objects.bulk_create(
        [User(email=f"racer{i}@example.com", display_name=f"Racer {i}", role=Role.INFLUENCER) for i in range(count)]
    )
    Application.objects.bulk_create(
        [
            Application(campaign=campaign, influencer=fan, status=Application.Status.ACCEPTED, message="!")
            for fan in fans
        ]
    )
    broadcast = services.broadcast_create(
        vendor=vendor, actor=vendor, title="Race", body="Hi {name}", campaign=campaign, channels=list(channels)
    )
    return vendor, broadcast


@pytest.mark.postgres
def test_cancel_while_a_batch_is_sending_keeps_what_went_out_and_refunds_the_rest(settings, worker_down, monkeypatch):
    settings.BROADCAST_RATE_PER_SECOND = 3
    vendor, broadcast = setup_broadcast(6)
    services.broadcast_start(broadcast=broadcast)
    broadcast.refresh_from_db()

    def slow_send(self, *args, **kwargs):
        time.sleep(0.4)
        return 1

    monkeypatch.setattr("django.core.mail.EmailMessage.send", slow_send)

    def batch_or_cancel(index):
        if index == 0:
            return sending.broadcast_send_batch_now(broadcast_id=broadcast.pk, run=broadcast.run)
        time.sleep(0.5)  # the batch is sending by now
        return services.broadcast_cancel(broadcast=Broadcast.objects.get(pk=broadcast.pk)).status

    claimed, cancelled = run_concurrently(batch_or_cancel, 2)

    assert not isinstance(claimed, Exception), claimed
    assert cancelled == Broadcast.Status.CANCELLED
    broadcast.refresh_from_db()
    sent = Delivery.objects.filter(status=Delivery.Status.SENT).count()
    assert 1 <= sent <= 3  # the one in flight was finished, the rest of the batch stopped
    assert broadcast.sent == sent
    assert broadcast.sent + broadcast.skipped == 6
    assert not Delivery.objects.filter(status__in=DELIVERY_ACTIVE).exists()
    # Every token of a recipient nothing reached came back, and only those.
    assert (broadcast.tokens_reserved, broadcast.tokens_refunded) == (6, 6 - sent)
    assert wallet_for_user(vendor).balance == 5000 - sent


def test_a_stale_edit_or_delete_after_the_start_is_refused(worker_down):
    _, broadcast = setup_broadcast(2)
    stale = Broadcast.objects.get(pk=broadcast.pk)
    services.broadcast_start(broadcast=broadcast)
    with pytest.raises(Conflict):
        services.broadcast_update(broadcast=stale, title="Changed after the start")
    with pytest.raises(Conflict):
        services.broadcast_delete(broadcast=stale)
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.title, broadcast.tokens_reserved) == ("running", "Race", 2)


def test_in_process_fan_out_survives_many_failures_without_recursing(settings, monkeypatch):
    """No broker: the fan-out loops in the request; 300 recipients failing three times each."""
    settings.BROADCAST_MAX_ERRORS = 10_000

    def refused(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refused)
    _, broadcast = setup_broadcast(300)

    services.broadcast_start(broadcast=broadcast)  # on_commit runs the fan-out right away

    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.failed, broadcast.sent) == ("finished", 300, 0)
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {3}
    assert broadcast.tokens_refunded == 300


@pytest.mark.postgres
def test_a_resume_while_the_old_run_is_sending_delivers_each_chat_message_once(settings, worker_down, monkeypatch):
    """The old run's worker is alive and in the middle of a chat message when the vendor
    resumes: the resume waits for that message, takes back the rest of the old batch, and the
    new run's batch (in another thread, at once) sends them. Nobody gets two, nobody none."""
    from chat import services as chat_services
    from chat.models import Message

    settings.BROADCAST_RATE_PER_SECOND = 5
    _, broadcast = setup_broadcast(10, channels=("chat",))
    services.broadcast_start(broadcast=broadcast)
    broadcast.refresh_from_db()
    old_run = broadcast.run
    real_send = chat_services.message_send

    def slow_send(**kwargs):
        time.sleep(0.3)  # inside the delivery's transaction: its row stays locked
        return real_send(**kwargs)

    monkeypatch.setattr(chat_services, "message_send", slow_send)

    def old_batch_or_resume_and_new_batches(index):
        if index == 0:
            return sending.broadcast_send_batch_now(broadcast_id=broadcast.pk, run=old_run, chain=False)
        time.sleep(0.45)  # the old batch is sending its second message
        services.broadcast_resume(broadcast=Broadcast.objects.get(pk=broadcast.pk))
        claimed = 0
        while sent := sending.broadcast_send_batch_now(broadcast_id=broadcast.pk, run=old_run + 1, chain=False):
            claimed += sent
        return claimed

    old_claimed, new_claimed = run_concurrently(old_batch_or_resume_and_new_batches, 2)

    assert not isinstance(old_claimed, Exception), old_claimed
    assert not isinstance(new_claimed, Exception), new_claimed
    assert old_claimed == 5
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.run, broadcast.sent, broadcast.total) == ("finished", old_run + 1, 10, 10)
    old_sent = 10 - new_claimed
    assert 1 <= old_sent <= 5  # what the old run sent before it saw the new one, the rest by the new run
    per_fan = Message.objects.values("chat__influencer").annotate(n=Count("pk")).values_list("n", flat=True)
    assert sorted(per_fan) == [1] * 10
    assert Delivery.objects.filter(status=Delivery.Status.SENT, message__isnull=False).count() == 10


@pytest.mark.postgres
def test_a_resume_after_the_worker_died_mid_batch_sends_every_email_with_the_new_run(settings, worker_down):
    """A dead run's claims (rows left ``sending``) go out with the run the resume starts, while
    the beat's stall timer is far off."""
    settings.BROADCAST_RATE_PER_SECOND = 4
    settings.BROADCAST_STALLED_AFTER_SECONDS = 3600
    _, broadcast = setup_broadcast(8)
    services.broadcast_start(broadcast=broadcast)
    broadcast.refresh_from_db()
    dead_run = broadcast.run
    orphans = list(Delivery.objects.order_by("pk").values_list("pk", flat=True)[:4])
    Delivery.objects.filter(pk__in=orphans).update(status=Delivery.Status.SENDING, claimed_run=dead_run, attempts=1)

    services.broadcast_resume(broadcast=broadcast)
    results = run_concurrently(
        lambda index: sending.broadcast_send_batch_now(broadcast_id=broadcast.pk, run=dead_run + 1, chain=False), 2
    )

    assert sorted(results) == [4, 4]  # two workers of the new run, each its own rows
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.sent) == ("finished", 8)
    from django.core import mail

    assert len(mail.outbox) == 8
    assert len({email.to[0] for email in mail.outbox}) == 8
