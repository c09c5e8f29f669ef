"""Real threads on PostgreSQL: the collaboration's row lock makes answers and new versions take turns."""

import pytest

from accounts.models import User
from anwariya.errors import Conflict
from anwariya.tests.concurrency import run_concurrently
from collaborations import services
from collaborations.models import Collaboration, TermsVersion
from collaborations.tests.factories import deliverable, make_collaboration, send_terms

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_parallel_accepts_accept_once():
    collaboration = make_collaboration()
    send_terms(collaboration)

    def accept(index):
        return services.terms_accept(
            collaboration=Collaboration.objects.get(pk=collaboration.pk),
            actor=User.objects.get(pk=collaboration.influencer_id),
        ).pk

    results = run_concurrently(accept, 4)
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert all(isinstance(r, Conflict) for r in results if not isinstance(r, int)), results
    assert Collaboration.objects.get(pk=collaboration.pk).stage == "active"
    assert TermsVersion.objects.get().status == "accepted"


def test_a_new_version_racing_an_accept_leaves_one_consistent_outcome():
    collaboration = make_collaboration()
    send_terms(collaboration)

    def act(index):
        current = Collaboration.objects.get(pk=collaboration.pk)
        if index % 2:
            return services.terms_accept(
                collaboration=current, actor=User.objects.get(pk=collaboration.influencer_id), version=1
            ).number
        return services.terms_send(
            collaboration=current,
            actor=User.objects.get(pk=collaboration.vendor_id),
            deliverables=[deliverable()],
            fee=100,
            commission_rate=5,
        ).number

    results = run_concurrently(act, 4)
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, Conflict)], results
    versions = list(TermsVersion.objects.order_by("number").values_list("number", "status"))
    assert [number for number, _ in versions] == [1, 2, 3]  # numbers without gaps or duplicates
    stage = Collaboration.objects.get(pk=collaboration.pk).stage
    first = versions[0][1]
    # Either v1 was accepted before the new versions (which then wait), or it was replaced first.
    assert first in ("accepted", "superseded")
    assert [status for _, status in versions[1:]] == ["superseded", "sent"]
    assert stage == "terms_sent"
    assert sum(status == "sent" for _, status in versions) == 1
