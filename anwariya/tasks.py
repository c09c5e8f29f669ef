from celery import shared_task

from anwariya.idempotency import idempotency_keys_prune


@shared_task
def prune_idempotency_keys():
    return idempotency_keys_prune()
