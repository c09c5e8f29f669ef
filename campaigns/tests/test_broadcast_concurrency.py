"""Broadcast lifecycle calls racing the batches that send it, with real threads on PostgreSQL,
and the in-process fan-out (no broker) with real commits."""

import smtplib
import time

import pytest

from accounts.models import Role, User
from accounts.tests.factories import VendorFactory
from accounts.wallet import wallet_for_user, wallet_grant
from anwariya.celery import app as celery_app
from anwariya.errors import Conflict
from anwariya.tests.concurrency import run_concurrently
from campaigns import broadcasts
from campaigns.models import Application, Broadcast, Delivery
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
    broadcast = broadcasts.broadcast_create(
        vendor=vendor, actor=vendor, title="Race", body="Hi {name}", campaign=campaign, channels=list(channels)
    )
    return vendor, broadcast


@pytest.fixture
def worker_down():
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = True


@pytest.mark.postgres
def test_cancel_while_a_batch_is_sending_keeps_what_went_out_and_refunds_the_rest(settings, worker_down, monkeypatch):
    settings.BROADCAST_RATE_PER_SECOND = 3
    vendor, broadcast = setup_broadcast(6)
    broadcasts.broadcast_start(broadcast=broadcast)
    broadcast.refresh_from_db()

    def slow_send(self, *args, **kwargs):
        time.sleep(0.4)
        return 1

    monkeypatch.setattr("django.core.mail.EmailMessage.send", slow_send)

    def batch_or_cancel(index):
        if index == 0:
            return broadcasts.broadcast_send_batch_now(broadcast_id=broadcast.pk, run=broadcast.run)
        time.sleep(0.5)  # the batch is sending by now
        return broadcasts.broadcast_cancel(broadcast=Broadcast.objects.get(pk=broadcast.pk)).status

    claimed, cancelled = run_concurrently(batch_or_cancel, 2)

    assert not isinstance(claimed, Exception), claimed
    assert cancelled == Broadcast.Status.CANCELLED
    broadcast.refresh_from_db()
    sent = Delivery.objects.filter(status=Delivery.Status.SENT).count()
    assert 1 <= sent <= 3  # the one in flight was finished, the rest of the batch stopped
    assert broadcast.sent == sent
    assert broadcast.sent + broadcast.skipped == 6
    assert not Delivery.objects.filter(status__in=broadcasts.ACTIVE).exists()
    # Every token of a recipient nothing reached came back, and only those.
    assert (broadcast.tokens_reserved, broadcast.tokens_refunded) == (6, 6 - sent)
    assert wallet_for_user(vendor).balance == 5000 - sent


def test_a_stale_edit_or_delete_after_the_start_is_refused(worker_down):
    _, broadcast = setup_broadcast(2)
    stale = Broadcast.objects.get(pk=broadcast.pk)
    broadcasts.broadcast_start(broadcast=broadcast)
    with pytest.raises(Conflict):
        broadcasts.broadcast_update(broadcast=stale, title="Changed after the start")
    with pytest.raises(Conflict):
        broadcasts.broadcast_delete(broadcast=stale)
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.title, broadcast.tokens_reserved) == ("running", "Race", 2)


def test_in_process_fan_out_survives_many_failures_without_recursing(settings, monkeypatch):
    """No broker: the fan-out loops in the request; 300 recipients failing three times each."""
    settings.BROADCAST_MAX_ERRORS = 10_000

    def refused(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refused)
    _, broadcast = setup_broadcast(300)

    broadcasts.broadcast_start(broadcast=broadcast)  # on_commit runs the fan-out right away

    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.failed, broadcast.sent) == ("finished", 300, 0)
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {3}
    assert broadcast.tokens_refunded == 300
