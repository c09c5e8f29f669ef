"""Suite-wide fixtures and the markers that need real services."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connection, transaction

from anwariya.celery import app as celery_app


def pytest_configure(config):
    # Tests run tasks in-process whatever the environment, so each test sees their effects.
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = False
    settings.EAGER_TASKS_IN_BACKGROUND = False  # a test that wants the background thread says so
    # Passwords are hashed with Argon2 at its lowest cost (``anwariya.tests.hashers``).
    settings.PASSWORD_HASHERS = ["anwariya.tests.hashers.FastArgon2PasswordHasher", *settings.PASSWORD_HASHERS]
    # The processes pytest-xdist runs side by side share one Redis: each keeps its cache keys and
    # channel-layer groups under its own prefix (their databases hold the same ids), so one never
    # clears the other's throttle counters or hears the other's chat messages.
    worker = getattr(config, "workerinput", {}).get("workerid")
    if worker and settings.REDIS_URL:
        prefix = f"{settings.REDIS_KEY_PREFIX}-{worker}"
        settings.CACHES["default"]["KEY_PREFIX"] = prefix
        settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"{prefix}:asgi"


def _clear_cache_keys():
    """Drop this project's cache entries. On Redis only our prefix goes: ``cache.clear()`` would
    flush the whole database, channel-layer messages of running sockets included."""
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(None, write=True)
        keys = list(client.scan_iter(match=f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:*"))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle counters and cached answers must not leak between tests."""
    _clear_cache_keys()
    yield
    _clear_cache_keys()


# Databases with real row locks (SELECT ... FOR UPDATE blocks another transaction): the threaded
# concurrency tests run on these. SQLite locks the whole file instead.
ROW_LOCKING_VENDORS = {"postgresql", "mysql"}  # "mysql" is MySQL and MariaDB


@pytest.fixture(autouse=True)
def _service_markers(request):
    # ``postgres`` (the older name) and ``concurrency`` mean the same: real row locks.
    wants_row_locks = request.node.get_closest_marker("concurrency") or request.node.get_closest_marker("postgres")
    if wants_row_locks and connection.vendor not in ROW_LOCKING_VENDORS:
        pytest.skip("needs real row locks: set DATABASE_URL=postgres://... or mysql://...")
    if request.node.get_closest_marker("database_unique_rules") and connection.vendor == "mysql":
        pytest.skip(
            f"{connection.display_name} ignores conditional/expression unique constraints: their "
            "services enforce them instead (anwariya/tests/test_database_rules.py)"
        )
    if request.node.get_closest_marker("exact_text_unique") and connection.vendor == "mysql":
        pytest.skip(f"{connection.display_name}'s case- and accent-insensitive collation refuses these rows already")
    if request.node.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
        pytest.skip("needs Redis: set REDIS_URL=redis://...")


@pytest.fixture(autouse=True)
def _managed_lists(request):
    """Niches and content types (and the GST rates) come from data migrations; a transactional
    test's flush deletes them, so put them back for every test that uses the database."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    from profiles.managed_lists import seed_managed_lists
    from profiles.models import ContentFormat, Niche

    if not Niche.objects.exists():
        seed_managed_lists(Niche, ContentFormat)
    from catalog.gst_rates import seed_gst_rates
    from catalog.models import GstRate

    try:
        with transaction.atomic():
            if not GstRate.objects.exists():
                seed_gst_rates(GstRate)
    except DatabaseError:
        pass  # a failed migration test left older tables behind; the tests needing rates will say so


@pytest.fixture(autouse=True)
def _email_backend(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    # Browser tests last: Playwright's sync API keeps an event loop running while it is open,
    # which async (websocket) tests cannot share.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by Playwright; skipped where it is not installed."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make between page actions are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Opens fresh pages (each its own cookies) and closes them after the test."""
    contexts = []

    def open_page():
        context = browser.new_context()
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Files a test stores (invoice PDFs) go to a private temporary folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def vendor_client(client, db):
    """The test client logged in as a new vendor (``client.vendor``)."""
    from accounts.tests.factories import VendorFactory

    client.vendor = VendorFactory()
    client.force_login(client.vendor)
    return client
