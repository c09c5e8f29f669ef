"""The Celery app, and the one way the code queues a task: after the transaction commits."""

import functools
import os

from celery import Celery
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anwariya.settings")

app = Celery("anwariya")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue_on_commit(task, *args, using=None, **kwargs):
    """Queue ``task`` with these arguments once the current transaction commits.

    A rolled-back transaction queues nothing, so a worker never sees a row that
    does not exist. Outside a transaction the task is queued at once.
    """
    transaction.on_commit(functools.partial(task.delay, *args, **kwargs), using=using)
