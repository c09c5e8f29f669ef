import pytest

from accounts.tests.factories import VendorFactory
from accounts.wallet import wallet_grant
from anwariya.celery import app as celery_app
from campaigns.tests.factories import CampaignFactory

# The fake Bot API and the webhook poster of chat's tests, for broadcasts sent on Telegram.
from chat.tests.conftest import on_commit, post_update, telegram  # noqa: F401


@pytest.fixture
def vendor():
    """A vendor with 5000 tokens."""
    vendor = VendorFactory(business_name="Chai Co")
    wallet_grant(user=vendor, amount=5000, reason="test tokens")
    return vendor


@pytest.fixture
def campaign(vendor):
    return CampaignFactory(vendor=vendor, title="Diwali chai")


@pytest.fixture
def worker_down():
    """Queued tasks wait in the broker instead of running: the test drives the fan-out itself."""
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = True
