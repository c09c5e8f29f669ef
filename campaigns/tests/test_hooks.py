"""The join seam: ``campaigns.services`` runs the ``campaigns.hooks`` callbacks in its transaction,
and campaigns itself knows nothing of the apps that register them (chat)."""

import ast
from pathlib import Path

import pytest

from accounts.tests.factories import InfluencerFactory
from accounts.wallet import wallet_for_user, wallet_grant
from campaigns import hooks, services
from campaigns.models import Application
from campaigns.tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

CAMPAIGNS = Path(__file__).resolve().parents[1]
# Modules on their way out of campaigns, into chat itself (issue #12): the profile page's
# Telegram panel (a chat template tag). Everything else in campaigns must not import chat.
LEAVING = {"views.py"}


class JoinRefused(Exception):
    pass


@pytest.fixture
def joins(monkeypatch):
    """Record each join callback run, after the registered ones (chat's among them)."""
    seen = []

    def record(application):
        seen.append((application.pk, Application.objects.get(pk=application.pk).status))

    monkeypatch.setattr(hooks, "_joined_callbacks", [*hooks._joined_callbacks, record])
    return seen


@pytest.fixture
def refusing_join(monkeypatch):
    def refuse(application):
        raise JoinRefused(application.pk)

    monkeypatch.setattr(hooks, "_joined_callbacks", [*hooks._joined_callbacks, refuse])


def test_accepting_and_inviting_run_the_join_callbacks_once_the_join_is_written(joins):
    campaign = CampaignFactory()
    application = services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="A")
    assert joins == []
    services.application_accept(application=application, actor=campaign.vendor)
    assert joins == [(application.pk, "accepted")]
    wallet_grant(user=campaign.vendor, amount=50, reason="test")
    invitation = services.campaign_invite(campaign=campaign, vendor=campaign.vendor, influencer=InfluencerFactory())
    assert joins[1:] == [(invitation.pk, "invited")]


def test_rejecting_or_withdrawing_is_not_joining(joins):
    campaign = CampaignFactory()
    rejected = services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="A")
    withdrawn = services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="B")
    services.application_reject(application=rejected, actor=campaign.vendor)
    services.application_withdraw(application=withdrawn, actor=withdrawn.influencer)
    assert joins == []


def test_a_failing_join_callback_rolls_the_acceptance_back(refusing_join):
    campaign = CampaignFactory()
    application = services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="A")
    with pytest.raises(JoinRefused):
        services.application_accept(application=application, actor=campaign.vendor)
    application.refresh_from_db()
    assert (application.status, application.referral_code, application.decided_at) == ("pending", None, None)


def test_a_failing_join_callback_rolls_the_invitation_and_its_price_back(refusing_join):
    campaign = CampaignFactory()
    wallet_grant(user=campaign.vendor, amount=50, reason="test")
    with pytest.raises(JoinRefused):
        services.campaign_invite(campaign=campaign, vendor=campaign.vendor, influencer=InfluencerFactory())
    assert not Application.objects.exists()
    assert wallet_for_user(campaign.vendor).balance == 50


def test_a_callback_registered_twice_runs_once(monkeypatch):
    monkeypatch.setattr(hooks, "_joined_callbacks", [])
    seen = []
    hooks.on_campaign_joined(seen.append)
    hooks.on_campaign_joined(seen.append)
    hooks.campaign_joined("application")
    assert seen == ["application"]


def _imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_campaigns_does_not_import_chat():
    offenders, read = [], set()
    for path in sorted(CAMPAIGNS.rglob("*.py")):
        parts = path.relative_to(CAMPAIGNS).parts
        if parts[0] in {"tests", "migrations"} or parts[0] in LEAVING:
            continue
        read.add("/".join(parts))
        offenders += [
            f"{'/'.join(parts)} imports {name}"
            for name in _imported_modules(path)
            if name == "chat" or name.startswith("chat.")
        ]
    assert {"services.py", "hooks.py", "api.py", "selectors.py"} <= read
    assert offenders == []
