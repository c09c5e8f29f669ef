"""The Celery app, and the one way the code queues a task: after the transaction commits."""

import functools
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from celery import Celery
from django.conf import settings
from django.db import close_old_connections, transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anwariya.settings")

app = Celery("anwariya")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)

_background: ThreadPoolExecutor | None = None
_background_lock = threading.Lock()


def enqueue_on_commit(task, *args, using=None, background=False, **kwargs):
    """Queue ``task`` with these arguments once the current transaction commits.

    A rolled-back transaction queues nothing, so a worker never sees a row that
    does not exist. Outside a transaction the task is queued at once.

    ``background``: a task that takes a while (rendering a PDF). With a broker every task goes
    to the workers anyway; without one (``make run``: tasks run in the web process) such a task
    runs on the process's background thread, one after another, instead of inside the request
    that queued it, unless ``EAGER_TASKS_IN_BACKGROUND`` is off (the tests turn it off to see
    each task's effect at once).
    """
    send = functools.partial(task.delay, *args, **kwargs)
    if background and app.conf.task_always_eager and settings.EAGER_TASKS_IN_BACKGROUND:
        send = functools.partial(_submit, send)
    transaction.on_commit(send, using=using)


def background_tasks_done(timeout=None) -> bool:
    """Wait until the background thread has run everything queued so far; False on timeout."""
    if _background is None:
        return True
    try:
        _executor().submit(lambda: None).result(timeout=timeout)
    except TimeoutError:
        return False
    return True


def _submit(send):
    _executor().submit(_run, send)


def _executor() -> ThreadPoolExecutor:
    global _background
    with _background_lock:
        if _background is None:
            # One thread: tasks run in order and never compete with each other for SQLite's lock.
            # Python waits for it at exit, so a command's last invoices are still sent.
            _background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="anwariya-tasks")
        return _background


def _run(send):
    try:
        send()
    except Exception:  # a task's own failures are recorded by the task; this is anything else
        logger.exception("A background task failed")
    finally:
        close_old_connections()  # this thread's database connection, as after a request
