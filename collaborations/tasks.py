"""Collaborations' periodic work (``CELERY_BEAT_SCHEDULE``): thin, the rules are in the modules."""

from celery import shared_task


@shared_task
def commission_release():
    """Commission whose hold period has ended becomes payable (``collaborations.commission``)."""
    from collaborations.commission import commission_release_due

    return commission_release_due()


@shared_task
def tracking_prune():
    """Delete the tracking salts and visitor marks of the days before today (``collaborations.tracking``)."""
    from collaborations.tracking import tracking_prune as prune

    return prune()
