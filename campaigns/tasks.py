"""Broadcast fan-out tasks: thin wrappers, the rules live in ``campaigns.broadcasts``."""

from celery import shared_task

from campaigns import broadcasts


@shared_task(name="campaigns.tasks.broadcast_dispatch", ignore_result=True)
def broadcast_dispatch(broadcast_id: int, run: int) -> None:
    broadcasts.broadcast_dispatch(broadcast_id=broadcast_id, run=run)


@shared_task(name="campaigns.tasks.broadcast_send_batch", ignore_result=True)
def broadcast_send_batch(broadcast_id: int, run: int) -> int:
    """One batch of a run's chain; it queues the next one itself."""
    return broadcasts.broadcast_send_batch_now(broadcast_id=broadcast_id, run=run)


@shared_task(name="campaigns.tasks.broadcasts_tick", ignore_result=True)
def broadcasts_tick() -> dict:
    return broadcasts.broadcasts_tick()
