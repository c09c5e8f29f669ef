import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import InfluencerFactory
from accounts.wallet import wallet_for_user
from anwariya.celery import app as celery_app
from broadcasts import sending, services
from broadcasts.models import DELIVERY_ACTIVE, Broadcast, Delivery
from broadcasts.tests.factories import accepted_on, influencers, make_broadcast
from chat.models import Message

pytestmark = pytest.mark.django_db


def test_a_broadcast_to_1000_recipients_finishes_with_one_delivery_each(
    vendor, campaign, settings, django_capture_on_commit_callbacks
):
    settings.BROADCAST_RATE_PER_SECOND = 100
    fans = influencers(1000)
    accepted_on(campaign, fans)
    broadcast = make_broadcast(vendor, campaign, channels=["chat", "email"])

    with django_capture_on_commit_callbacks(execute=True):
        services.broadcast_start(broadcast=broadcast)

    broadcast.refresh_from_db()
    assert broadcast.status == Broadcast.Status.FINISHED
    assert (broadcast.recipient_count, broadcast.total, broadcast.sent, broadcast.failed, broadcast.skipped) == (
        1000,
        2000,
        2000,
        0,
        0,
    )
    per_pair = Delivery.objects.values("recipient", "channel").annotate(n=Count("pk"))
    assert per_pair.count() == 2000
    assert {row["n"] for row in per_pair} == {1}
    assert Message.objects.filter(chat__vendor=vendor).count() == 1000
    assert len(mail.outbox) == 1000
    first = Message.objects.get(chat__influencer=fans[0])
    assert first.text == "Festive drop\n\nHi Fan 0, Diwali chai starts Monday."
    assert first.chat.campaign == campaign
    assert wallet_for_user(vendor).balance == 4000  # 1 token a recipient, all reached: nothing refunded


def test_killed_mid_run_then_resumed_sends_no_duplicates(
    vendor, campaign, settings, worker_down, monkeypatch, django_capture_on_commit_callbacks
):
    settings.BROADCAST_RATE_PER_SECOND = 5
    fans = influencers(23)
    accepted_on(campaign, fans)
    broadcast = make_broadcast(vendor, campaign)
    services.broadcast_start(broadcast=broadcast)
    broadcast.refresh_from_db()
    assert sending.broadcast_send_batch_now(broadcast_id=broadcast.pk, run=broadcast.run) == 5

    # The worker dies in the middle of the next batch: the third message never commits.
    from chat import services as chat_services

    real_send, calls = chat_services.message_send, []

    def dying_send(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt("worker killed")
        return real_send(**kwargs)

    monkeypatch.setattr(chat_services, "message_send", dying_send)
    with pytest.raises(KeyboardInterrupt):
        sending.broadcast_send_batch_now(broadcast_id=broadcast.pk, run=broadcast.run)
    monkeypatch.setattr(chat_services, "message_send", real_send)
    assert Message.objects.count() == 7
    assert Delivery.objects.filter(status=Delivery.Status.SENDING).count() == 3  # claimed, then orphaned

    # Running the fan-out again (twice, even) sends what is left; the orphaned rows come back
    # with the next run, on resume (or the beat's tick). Nobody gets a message twice.
    celery_app.conf.task_always_eager = True
    with django_capture_on_commit_callbacks(execute=True):
        sending.broadcast_dispatch(broadcast_id=broadcast.pk, run=broadcast.run)
        services.broadcast_resume(broadcast=broadcast)
        sending.broadcast_dispatch(broadcast_id=broadcast.pk, run=broadcast.run + 1)
    broadcast.refresh_from_db()
    assert broadcast.status == Broadcast.Status.FINISHED
    assert (broadcast.total, broadcast.sent) == (23, 23)
    per_fan = Message.objects.values("chat__influencer").annotate(n=Count("pk"))
    assert len(per_fan) == 23
    assert {row["n"] for row in per_fan} == {1}


def test_the_beat_revives_a_broadcast_whose_worker_died(
    vendor, campaign, settings, worker_down, django_capture_on_commit_callbacks
):
    settings.BROADCAST_RATE_PER_SECOND = 2
    accepted_on(campaign, influencers(3))
    broadcast = make_broadcast(vendor, campaign)
    services.broadcast_start(broadcast=broadcast)
    Delivery.objects.filter(pk=Delivery.objects.first().pk).update(status=Delivery.Status.SENDING, attempts=1)
    settings.BROADCAST_STALLED_AFTER_SECONDS = 0

    celery_app.conf.task_always_eager = True
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.broadcasts_tick()["revived"] == 1
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.sent) == (Broadcast.Status.FINISHED, 3)
    assert Message.objects.count() == 3


def refuse_email(monkeypatch):
    def refused(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server went away")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refused)


def test_a_failing_delivery_is_tried_three_times_then_failed(
    vendor, campaign, monkeypatch, django_capture_on_commit_callbacks
):
    accepted_on(campaign, influencers(2))
    broadcast = make_broadcast(vendor, campaign, channels=["email"])
    refuse_email(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        services.broadcast_start(broadcast=broadcast)

    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.sent, broadcast.failed) == (Broadcast.Status.FINISHED, 0, 2)
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {3}
    assert "mail server went away" in Delivery.objects.first().last_error
    assert broadcast.tokens_refunded == broadcast.tokens_reserved == 2


def test_too_many_errors_pause_the_broadcast_until_resumed(
    vendor, campaign, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.BROADCAST_MAX_ERRORS = 3
    settings.BROADCAST_RATE_PER_SECOND = 2
    accepted_on(campaign, influencers(5))
    broadcast = make_broadcast(vendor, campaign, channels=["email"])
    refuse_email(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        services.broadcast_start(broadcast=broadcast)

    broadcast.refresh_from_db()
    assert broadcast.status == Broadcast.Status.PAUSED
    assert broadcast.pause_reason.startswith("Paused after 3 failed attempts in a row")
    assert len(mail.outbox) == 0
    assert sum(Delivery.objects.values_list("attempts", flat=True)) == 3
    assert not Delivery.objects.filter(status__in=["failed", "sending", "sent"]).exists()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.broadcast_resume(broadcast=broadcast)
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.sent, broadcast.run_errors) == (Broadcast.Status.FINISHED, 5, 0)
    assert len(mail.outbox) == 5


def test_recipients_who_left_before_their_turn_are_skipped(
    vendor, campaign, settings, worker_down, django_capture_on_commit_callbacks
):
    settings.BROADCAST_RATE_PER_SECOND = 10
    fans = influencers(3)
    accepted_on(campaign, fans)
    broadcast = make_broadcast(vendor, campaign)
    services.broadcast_start(broadcast=broadcast)
    User.objects.filter(pk=fans[1].pk).update(is_active=False)
    broadcast.refresh_from_db()

    sending.broadcast_send_batch_now(broadcast_id=broadcast.pk, run=broadcast.run)

    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.sent, broadcast.skipped, broadcast.failed) == ("finished", 2, 1, 0)
    assert Delivery.objects.get(recipient=fans[1]).last_error == "The recipient's account is no longer active."
    assert broadcast.tokens_refunded == 1


def test_the_title_is_filled_in_like_the_body_in_chat_and_email(vendor, campaign, django_capture_on_commit_callbacks):
    fan = InfluencerFactory(display_name="Asha")
    accepted_on(campaign, [fan])
    broadcast = make_broadcast(
        vendor, campaign, channels=["chat", "email"], title="{name}, {campaign} is here", body="Hi {name}!"
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.broadcast_start(broadcast=broadcast)

    assert Message.objects.get(chat__influencer=fan).text == "Asha, Diwali chai is here\n\nHi Asha!"
    assert [email.subject for email in mail.outbox] == ["Asha, Diwali chai is here"]
    assert mail.outbox[0].body.startswith("Asha, Diwali chai is here\n\nHi Asha!")
    assert "{" not in mail.outbox[0].body


def kill_the_worker_on(monkeypatch, target, name, call):
    """Make the ``call``-th call of ``target.name`` die like a SIGKILLed worker (nothing after it runs)."""
    real, calls = getattr(target, name), []

    def dying(*args, **kwargs):
        calls.append(1)
        if len(calls) == call:
            raise KeyboardInterrupt("worker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, dying)
    return real


def test_one_resume_finishes_a_run_whose_worker_died_mid_batch(
    vendor, campaign, settings, worker_down, monkeypatch, django_capture_on_commit_callbacks
):
    """Rows the dead run left ``sending`` go back in line at once: no waiting out
    BROADCAST_STALLED_AFTER_SECONDS, no second resume, nobody messaged twice, nobody left out."""
    from chat import services as chat_services

    settings.BROADCAST_RATE_PER_SECOND = 10
    settings.BROADCAST_STALLED_AFTER_SECONDS = 120
    fans = influencers(23)
    accepted_on(campaign, fans)
    broadcast = make_broadcast(vendor, campaign, channels=["chat", "email"])
    services.broadcast_start(broadcast=broadcast)
    broadcast.refresh_from_db()
    dead_run = broadcast.run
    kill_the_worker_on(monkeypatch, chat_services, "message_send", 3)
    with pytest.raises(KeyboardInterrupt):
        sending.broadcast_send_batch_now(broadcast_id=broadcast.pk, run=dead_run)
    monkeypatch.undo()
    left_sending = Delivery.objects.filter(status=Delivery.Status.SENDING)
    assert left_sending.count() == 6  # claimed by the dead run: the third chat message and five more
    assert set(left_sending.values_list("claimed_run", flat=True)) == {dead_run}
    assert (Message.objects.count(), len(mail.outbox)) == (2, 2)

    celery_app.conf.task_always_eager = True
    with django_capture_on_commit_callbacks(execute=True):
        services.broadcast_resume(broadcast=broadcast)

    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.run) == (Broadcast.Status.FINISHED, dead_run + 1)
    assert (broadcast.total, broadcast.sent, broadcast.pending) == (46, 46, 0)
    per_fan = Message.objects.values("chat__influencer").annotate(n=Count("pk"))
    assert sorted(row["n"] for row in per_fan) == [1] * 23
    assert sorted(email.to[0] for email in mail.outbox) == sorted(fan.email for fan in fans)
    # The dead run's batch, delivered again by the broker, sends nothing: its run is over.
    assert sending.broadcast_send_batch_now(broadcast_id=broadcast.pk, run=dead_run) == 0


def test_the_old_runs_batch_neither_sends_nor_takes_back_what_the_new_run_owns(
    vendor, campaign, settings, worker_down, monkeypatch
):
    """A resume while the old run's worker is still busy: the old batch records its email in
    flight (the new run has not taken that row yet), then stops; the new run sends the rest."""
    settings.BROADCAST_RATE_PER_SECOND = 4
    fans = influencers(6)
    accepted_on(campaign, fans)
    broadcast = make_broadcast(vendor, campaign, channels=["email"])
    services.broadcast_start(broadcast=broadcast)
    broadcast.refresh_from_db()
    old_run = broadcast.run
    real_send = __import__("django.core.mail", fromlist=["EmailMessage"]).EmailMessage.send

    def send_then_resume(self, *args, **kwargs):
        sent = real_send(self, *args, **kwargs)
        if len(mail.outbox) == 1:  # the vendor resumes while the first email is on its way
            services.broadcast_resume(broadcast=broadcast)
        return sent

    monkeypatch.setattr("django.core.mail.EmailMessage.send", send_then_resume)
    assert sending.broadcast_send_batch_now(broadcast_id=broadcast.pk, run=old_run, chain=False) == 4
    assert len(mail.outbox) == 1
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 1
    assert Delivery.objects.filter(status=Delivery.Status.PENDING).count() == 5

    while sending.broadcast_send_batch_now(broadcast_id=broadcast.pk, run=old_run + 1, chain=False):
        pass
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.sent) == (Broadcast.Status.FINISHED, 6)
    assert sorted(email.to[0] for email in mail.outbox) == sorted(fan.email for fan in fans)


def worker_died_mid_batch(vendor, campaign, monkeypatch, fans=5):
    """A started broadcast whose batch's worker died while sending its third chat message."""
    from chat import services as chat_services

    accepted_on(campaign, influencers(fans))
    broadcast = make_broadcast(vendor, campaign, channels=["chat"])
    services.broadcast_start(broadcast=broadcast)
    broadcast.refresh_from_db()
    kill_the_worker_on(monkeypatch, chat_services, "message_send", 3)
    with pytest.raises(KeyboardInterrupt):
        sending.broadcast_send_batch_now(broadcast_id=broadcast.pk, run=broadcast.run)
    monkeypatch.undo()
    assert Delivery.objects.filter(status=Delivery.Status.SENDING).count() == 3
    return broadcast


def test_cancelling_after_the_worker_died_settles_at_once_once_its_claims_are_stale(
    vendor, campaign, settings, worker_down, monkeypatch
):
    settings.BROADCAST_RATE_PER_SECOND = 10
    broadcast = worker_died_mid_batch(vendor, campaign, monkeypatch)
    Delivery.objects.filter(status=Delivery.Status.SENDING).update(
        updated_at=timezone.now() - timedelta(seconds=settings.BROADCAST_STALLED_AFTER_SECONDS + 1)
    )
    before = wallet_for_user(vendor).balance

    services.broadcast_cancel(broadcast=broadcast)

    broadcast.refresh_from_db()
    assert broadcast.status == Broadcast.Status.CANCELLED
    assert not Delivery.objects.filter(status__in=DELIVERY_ACTIVE).exists()
    assert (broadcast.sent, broadcast.skipped) == (2, 3)
    assert broadcast.tokens_refunded == 3
    assert wallet_for_user(vendor).balance == before + 3


def test_the_tick_settles_a_cancelled_broadcast_whose_last_batch_never_reported(
    vendor, campaign, settings, worker_down, monkeypatch
):
    settings.BROADCAST_RATE_PER_SECOND = 10
    broadcast = worker_died_mid_batch(vendor, campaign, monkeypatch)
    services.broadcast_cancel(broadcast=broadcast)  # the claims are fresh: a live batch may hold them
    broadcast.refresh_from_db()
    assert (broadcast.tokens_refunded, Delivery.objects.filter(status=Delivery.Status.SENDING).count()) == (0, 3)
    assert sending.broadcasts_tick()["settled"] == 0

    Delivery.objects.filter(status=Delivery.Status.SENDING).update(
        updated_at=timezone.now() - timedelta(seconds=settings.BROADCAST_STALLED_AFTER_SECONDS + 1)
    )
    assert sending.broadcasts_tick()["settled"] == 1
    broadcast.refresh_from_db()
    assert (broadcast.sent, broadcast.skipped, broadcast.tokens_refunded) == (2, 3, 3)
    assert sending.broadcasts_tick()["settled"] == 0


def test_a_recipient_name_with_a_line_break_still_gets_the_email(vendor, campaign, worker_down):
    fan = InfluencerFactory(display_name="Asha\nRao")
    accepted_on(campaign, [fan])
    broadcast = make_broadcast(vendor, campaign, channels=["email"], title="Hi {name}")
    services.broadcast_start(broadcast=broadcast)
    broadcast.refresh_from_db()
    sending.broadcast_send_batch_now(broadcast_id=broadcast.pk, run=broadcast.run)
    assert [message.subject for message in mail.outbox] == ["Hi Asha Rao"]
