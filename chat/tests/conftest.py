import functools

import pytest

from chat.telegram import client as telegram_client
from chat.tests.telegram import API_BASE, BOT_USERNAME, SECRET, SECRET_HEADER, TOKEN, WEBHOOK, FakeBotApi

REAL_MAKE_CLIENT = telegram_client.make_client


@pytest.fixture
def telegram(monkeypatch, settings):
    """The bot configured, its client made by the production factory with the fake Bot API as transport."""
    settings.TELEGRAM_BOT_TOKEN = TOKEN
    settings.TELEGRAM_WEBHOOK_SECRET = SECRET
    settings.TELEGRAM_API_BASE = API_BASE
    settings.TELEGRAM_BOT_USERNAME = BOT_USERNAME
    settings.TELEGRAM_TIMEOUT_SECONDS = 3
    fake = FakeBotApi()
    monkeypatch.setattr(telegram_client, "make_client", functools.partial(REAL_MAKE_CLIENT, transport=fake.transport()))
    return fake


@pytest.fixture
def post_update(django_capture_on_commit_callbacks):
    """Post an update to the webhook as Telegram does; the tasks it queues run after it commits."""
    from anwariya.tests.api import api_client

    def post(update, headers=SECRET_HEADER, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return api_client().post(WEBHOOK, update, format="json", **headers, **kwargs)

    return post


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the callable, then what it queued on commit (the Celery tasks run eagerly)."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run
