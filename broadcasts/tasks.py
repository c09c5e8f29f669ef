"""Broadcast fan-out tasks: thin wrappers, the rules live in ``broadcasts.sending``.

The tasks are registered as ``broadcasts.tasks.*``. Until the broadcasts app (issue #12) they
were ``campaigns.tasks.*``, and a broker may still hold messages under those names when a new
release starts: a run's next batch (queued with a countdown), a dispatch queued just before the
deploy, a beat tick. A worker drops a message whose task it does not know, and the run would
stop until the beat's tick revived it. So, for one release, the old names are registered too,
as aliases that run the same code (the ``legacy_*`` tasks below); the release after removes them. Start
the new workers before the new web and beat processes (docs/operations.md).
"""

from celery import shared_task

from broadcasts import sending


@shared_task(ignore_result=True)
def broadcast_dispatch(broadcast_id: int, run: int) -> None:
    sending.broadcast_dispatch(broadcast_id=broadcast_id, run=run)


@shared_task(ignore_result=True)
def broadcast_send_batch(broadcast_id: int, run: int) -> int:
    """One batch of a run's chain; it queues the next one itself."""
    return sending.broadcast_send_batch_now(broadcast_id=broadcast_id, run=run)


@shared_task(ignore_result=True)
def broadcasts_tick() -> dict:
    return sending.broadcasts_tick()


# --- The names of the previous release, for the messages already queued under them ---------
# Remove them in the release after the one that moved the tasks here.


@shared_task(name="campaigns.tasks.broadcast_dispatch", ignore_result=True)
def legacy_broadcast_dispatch(broadcast_id: int, run: int) -> None:
    broadcast_dispatch(broadcast_id, run)


@shared_task(name="campaigns.tasks.broadcast_send_batch", ignore_result=True)
def legacy_broadcast_send_batch(broadcast_id: int, run: int) -> int:
    return broadcast_send_batch(broadcast_id, run)


@shared_task(name="campaigns.tasks.broadcasts_tick", ignore_result=True)
def legacy_broadcasts_tick() -> dict:
    return broadcasts_tick()
