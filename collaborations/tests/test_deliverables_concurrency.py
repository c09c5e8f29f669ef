"""Real threads on PostgreSQL: the collaboration's row lock makes reviews and submissions take turns."""

from decimal import Decimal

import pytest

from anwariya.errors import Conflict
from anwariya.tests.concurrency import run_concurrently
from collaborations import deliverables
from collaborations.models import Collaboration, Deliverable, LedgerEntry, Submission
from collaborations.tests.factories import deliverable, first_deliverable, make_active, submit

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def fresh(pk) -> Deliverable:
    return Deliverable.objects.select_related(
        "collaboration__vendor", "collaboration__influencer", "collaboration__campaign", "terms"
    ).get(pk=pk)


def test_the_last_two_approvals_at_once_approve_the_collaboration_and_book_the_fee_once():
    collaboration = make_active(deliverables=[deliverable(5), deliverable(6, "post")], fee=Decimal("2000.00"))
    pks = [first_deliverable(collaboration, position).pk for position in (1, 2)]
    for pk in pks:
        submit(fresh(pk))

    def approve(index):
        item = fresh(pks[index % 2])
        return deliverables.deliverable_approve(item, item.collaboration.vendor).status

    results = run_concurrently(approve, 4)
    assert sorted(r for r in results if isinstance(r, str)) == ["approved", "approved"], results
    assert all(isinstance(r, Conflict) for r in results if not isinstance(r, str)), results
    assert Collaboration.objects.get(pk=collaboration.pk).stage == "approved"
    fee = LedgerEntry.objects.get(collaboration=collaboration)
    assert (fee.kind, fee.payable) == ("fee", Decimal("2000.00"))
    assert Collaboration.objects.get(pk=collaboration.pk).payable == Decimal("2000.00")


def test_parallel_submissions_of_one_deliverable_make_one_round():
    collaboration = make_active()
    pk = first_deliverable(collaboration).pk

    def send(index):
        item = fresh(pk)
        return deliverables.deliverable_submit(
            item, item.collaboration.influencer, url=f"https://example.com/p/{index}", caption="#ad"
        ).round

    results = run_concurrently(send, 4)
    assert [r for r in results if isinstance(r, int)] == [1], results
    assert all(isinstance(r, Conflict) for r in results if not isinstance(r, int)), results
    assert Submission.objects.filter(deliverable_id=pk).count() == 1
    assert Collaboration.objects.get(pk=collaboration.pk).stage == "content_submitted"
