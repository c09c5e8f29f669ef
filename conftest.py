"""Suite-wide fixtures and the markers that need real services."""

import os

import pytest
from django.core.cache import cache
from django.db import connection

from anwariya.celery import app as celery_app


def pytest_configure(config):
    # Tests run tasks in-process whatever the environment, so each test sees their effects.
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = False


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle counters and cached answers must not leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _service_markers(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")
    if request.node.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
        pytest.skip("needs Redis: set REDIS_URL=redis://...")


@pytest.fixture(autouse=True)
def _email_backend(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
