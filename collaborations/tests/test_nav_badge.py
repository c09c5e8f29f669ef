"""The Collaborations link in the top bar counts the collaborations whose next step is yours."""

import re
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from collaborations import ledger
from collaborations.models import Collaboration, Deliverable, LedgerEntry
from collaborations.selectors import waiting_count
from collaborations.tests.factories import make_collaboration, send_terms

pytestmark = pytest.mark.django_db


def badge(client, user):
    client.force_login(user)
    html = client.get(reverse("dashboard")).content.decode()
    found = re.search(r'data-testid="nav-badge-collaborations"[^>]*>(\d+)<', html)
    return int(found.group(1)) if found else 0


def test_the_badge_follows_whose_turn_it_is(client):
    collaboration = make_collaboration()
    vendor, influencer = collaboration.vendor, collaboration.influencer
    assert (badge(client, vendor), badge(client, influencer)) == (1, 0)  # terms to send

    send_terms(collaboration)
    assert (badge(client, vendor), badge(client, influencer)) == (0, 1)  # terms to answer

    Collaboration.objects.filter(pk=collaboration.pk).update(stage=Collaboration.Stage.CONTENT_SUBMITTED)
    assert (badge(client, vendor), badge(client, influencer)) == (1, 0)  # content to review


def test_changes_requested_wait_for_the_influencer_and_money_payable_for_the_vendor():
    collaboration = make_collaboration()
    terms = send_terms(collaboration)
    Collaboration.objects.filter(pk=collaboration.pk).update(stage=Collaboration.Stage.ACTIVE)
    Deliverable.objects.create(
        collaboration=collaboration,
        terms=terms,
        position=1,
        kind="reel",
        brief="A reel",
        due_date=terms.deliverables.get().due_date,
        status=Deliverable.Status.CHANGES_REQUESTED,
        revisions=1,
    )
    assert waiting_count(collaboration.influencer) == 1
    assert waiting_count(collaboration.vendor) == 0

    with transaction.atomic():
        locked = ledger.collaboration_lock(collaboration)
        ledger.ledger_post(locked, LedgerEntry.Kind.FEE, payable=Decimal("5000.00"), currency="INR")
    assert waiting_count(collaboration.vendor) == 1


def test_no_badge_for_someone_else_and_one_query(django_assert_num_queries):
    collaboration = make_collaboration()
    other = make_collaboration()
    assert waiting_count(other.vendor) == 1
    with django_assert_num_queries(1):
        assert waiting_count(collaboration.vendor) == 1
