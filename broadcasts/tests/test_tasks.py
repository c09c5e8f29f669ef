"""The fan-out's Celery tasks: their names, the beat's schedule, and the previous release's names."""

import pytest
from django.conf import settings
from django.core import mail

from anwariya.celery import app as celery_app
from broadcasts import services, tasks
from broadcasts.models import Broadcast
from broadcasts.tests.factories import accepted_on, influencers, make_broadcast

pytestmark = pytest.mark.django_db

NAMES = ("broadcast_dispatch", "broadcast_send_batch", "broadcasts_tick")


def test_the_tasks_are_registered_under_the_broadcasts_app_and_the_beat_ticks_them():
    celery_app.loader.import_default_modules()  # what a worker does on start: every app's tasks module
    for name in NAMES:
        assert getattr(tasks, name).name == f"broadcasts.tasks.{name}"
        assert f"broadcasts.tasks.{name}" in celery_app.tasks
    assert settings.CELERY_BEAT_SCHEDULE["broadcasts-tick"]["task"] == "broadcasts.tasks.broadcasts_tick"
    assert all(entry["task"] in celery_app.tasks for entry in settings.CELERY_BEAT_SCHEDULE.values())


def test_messages_queued_under_the_old_campaigns_names_still_run(vendor, campaign, worker_down):
    """A worker of the new release takes what the old one queued: ``campaigns.tasks.*``."""
    assert {f"campaigns.tasks.{name}" for name in NAMES} <= set(celery_app.tasks)
    accepted_on(campaign, influencers(3))
    broadcast = make_broadcast(vendor, campaign, channels=["email"])
    services.broadcast_start(broadcast=broadcast)
    broadcast.refresh_from_db()

    claimed = celery_app.tasks["campaigns.tasks.broadcast_send_batch"].apply((broadcast.pk, broadcast.run)).get()

    assert claimed == 3
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.sent) == (Broadcast.Status.FINISHED, 3)
    assert len(mail.outbox) == 3
    assert celery_app.tasks["campaigns.tasks.broadcasts_tick"].apply().get() == {
        "started": 0,
        "revived": 0,
        "settled": 0,
    }


def test_an_old_dispatch_runs_the_whole_fan_out_in_process(vendor, campaign, worker_down):
    accepted_on(campaign, influencers(2))
    broadcast = make_broadcast(vendor, campaign, channels=["email"])
    services.broadcast_start(broadcast=broadcast)
    broadcast.refresh_from_db()
    celery_app.conf.task_always_eager = True  # no broker: the dispatch sends everything itself

    celery_app.tasks["campaigns.tasks.broadcast_dispatch"].apply((broadcast.pk, broadcast.run))

    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.sent) == (Broadcast.Status.FINISHED, 2)
