"""collaborations.results: the numbers of a constructed scenario, what does not count, ranges, isolation, queries."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.tests.factories import VendorFactory
from collaborations import results, selectors
from collaborations.models import Collaboration
from collaborations.tests.factories import (
    book_fee,
    chai_and_mug,
    earn_commission,
    make_attributed_bill,
    make_clicks,
    make_collaboration,
    make_gift_rows,
    make_results_scenario,
    void_attributed_bill,
)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Days:
    """A range of local days, as ``results.Span`` describes (analytics' ``Period`` is another)."""

    start: datetime.date
    end: datetime.date

    @property
    def since(self):
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def until(self):
        return timezone.make_aware(datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min))


@pytest.fixture
def scenario():
    made = make_results_scenario()
    return {**made, "days": Days(made["start"], made["end"])}


def test_one_collaborations_results_add_up(scenario):
    row = results.collaboration_results(scenario["ira"])

    assert (row["clicks"], row["unique_clicks"]) == (15, 10)
    assert row["bills"] == 2  # the void bill and the bill without a code are not counted
    assert row["revenue"] == Decimal("550.00")
    assert row["profit"] == Decimal("270.00")
    assert row["fee"] == Decimal("500.00")
    assert row["commission"] == Decimal("55.00")  # 30 + 25 + 20 earned, the void's 20 reversed
    assert row["gift_cost"] == Decimal("220.00")  # the returned mug counts zero, the one preparing counts
    assert row["cost"] == Decimal("775.00")
    assert (row["held"], row["payable"], row["paid"]) == (Decimal("30.00"), Decimal("325.00"), Decimal("200.00"))
    assert row["roi_pct"] == Decimal("-65.2")  # (270 - 775) / 775
    assert row["cost_per_bill"] == Decimal("387.50")
    assert row["conversion_pct"] == Decimal("20.0")  # 2 bills / 10 unique clicks
    assert row["deliverables"] == {"pending": 1, "submitted": 1, "changes_requested": 0, "approved": 1, "total": 3}
    assert (row["products_received"], row["products_on_the_way"]) == (2, 1)


def test_a_new_collaboration_has_zeros_and_no_ratios():
    row = results.collaboration_results(make_collaboration())

    assert (row["clicks"], row["bills"], row["revenue"], row["cost"]) == (0, 0, Decimal("0.00"), Decimal("0.00"))
    assert (row["roi_pct"], row["cost_per_bill"], row["conversion_pct"]) == (None, None, None)
    assert row["deliverables"]["total"] == 0


def test_a_reversal_from_held_takes_the_commission_back_too():
    collaboration = make_collaboration()
    (chai, _) = chai_and_mug(collaboration.vendor)
    bill = make_attributed_bill(collaboration, (chai, 1))
    earning = earn_commission(collaboration, bill, "10.00")
    void_attributed_bill(bill, earning)

    row = results.collaboration_results(collaboration)

    assert (row["bills"], row["revenue"], row["commission"], row["held"]) == (0, 0, 0, 0)


def test_influencer_totals_cover_every_vendor_of_theirs(scenario):
    ira = scenario["ira"].influencer
    totals = results.results_totals(selectors.collaborations_for_user(ira))

    assert totals["collaborations"] == 3
    assert (totals["clicks"], totals["unique_clicks"]) == (15 + 50 + 99, 10 + 25 + 90)
    assert totals["bills"] == 3
    assert totals["revenue"] == Decimal("550.00") + Decimal("400.00")
    assert totals["held"] == Decimal("30.00") + Decimal("40.00")
    assert totals["payable"] == Decimal("325.00") + Decimal("1000.00") + Decimal("300.00")
    assert totals["paid"] == Decimal("200.00")
    assert totals["deliverables"]["total"] == 3
    assert totals["products_received"] == 2 + 1


def test_each_collaboration_of_a_list_carries_its_own_results(scenario):
    ira = scenario["ira"].influencer
    rows = {
        c.pk: results.results_row(c)
        for c in results.collaborations_with_results(selectors.collaborations_for_user(ira))
    }

    assert rows[scenario["ira"].pk]["revenue"] == Decimal("550.00")
    assert rows[scenario["ira_again"].pk]["clicks"] == 50
    assert rows[scenario["ira_again"].pk]["cost"] == Decimal("1000.00")
    assert rows[scenario["other"].pk]["bills"] == 1
    assert scenario["kabir"].pk not in rows


def test_products_received_lists_delivered_shipments_only(scenario):
    received = results.products_received([scenario["ira"].pk, scenario["kabir"].pk])

    assert received == {scenario["ira"].pk: [{"name": "Chai", "quantity": 2}]}


def test_influencer_rows_for_a_vendor(scenario):
    rows = {
        row["display_name"]: row for row in results.influencer_results(vendor=scenario["vendor"], span=scenario["days"])
    }

    ira, kabir = rows["Ira"], rows["Kabir"]
    # Both of Ira's collaborations with this vendor, and nothing of the other vendor's.
    assert ira["collaborations"] == 2
    assert (ira["clicks"], ira["unique_clicks"], ira["bills"]) == (65, 35, 2)
    assert (ira["revenue"], ira["profit"]) == (Decimal("550.00"), Decimal("270.00"))
    assert (ira["fee"], ira["commission"], ira["gift_cost"]) == (
        Decimal("1500.00"),
        Decimal("55.00"),
        Decimal("220.00"),
    )
    assert ira["cost"] == Decimal("1775.00")
    assert ira["roi_pct"] == Decimal("-84.8")
    assert kabir["cost"] == Decimal("25.00")
    assert kabir["roi_pct"] == Decimal("500.0")  # (150 - 25) / 25
    assert kabir["conversion_pct"] == Decimal("3.3")
    assert list(rows) == ["Ira", "Kabir"]  # most revenue first


def test_campaign_rows_for_a_vendor(scenario):
    rows = results.campaign_results(vendor=scenario["vendor"], span=scenario["days"])

    launch, second = rows
    assert (launch["title"], launch["collaborations"]) == ("Launch", 2)
    assert launch["revenue"] == Decimal("800.00")
    assert launch["cost"] == Decimal("800.00")  # Ira's 775 and Kabir's 25
    assert launch["roi_pct"] == Decimal("-47.5")  # (420 - 800) / 800
    assert (second["pk"], second["cost"], second["bills"], second["roi_pct"]) == (
        scenario["ira_again"].campaign_id,
        Decimal("1000.00"),
        0,
        Decimal("-100.0"),
    )
    assert second["cost_per_bill"] is None
    assert second["conversion_pct"] == Decimal("0.0")


def test_another_vendors_rows_hold_only_their_own(scenario):
    other = scenario["other"]
    [row] = results.influencer_results(vendor=other.vendor, span=scenario["days"])

    assert (row["display_name"], row["collaborations"]) == ("Ira", 1)
    assert (row["clicks"], row["bills"], row["revenue"]) == (99, 1, Decimal("400.00"))
    assert row["cost"] == Decimal("300.00") + Decimal("40.00") + Decimal("60.00")
    assert results.influencer_results(vendor=VendorFactory(), span=scenario["days"]) == []


def test_ranges_count_bills_by_day_clicks_by_day_and_costs_by_booking():
    collaboration = make_collaboration()
    (chai, _) = chai_and_mug(collaboration.vendor)
    today = timezone.localdate()
    long_ago = timezone.now() - datetime.timedelta(days=40)
    old_bill = make_attributed_bill(collaboration, (chai, 1), when=long_ago)
    old_earning = earn_commission(collaboration, old_bill, "10.00", when=long_ago)
    book_fee(collaboration, "500.00", when=long_ago)
    make_gift_rows(collaboration, (chai, 1), when=long_ago)
    make_clicks(collaboration, today - datetime.timedelta(days=40), 9)
    # In the range: a bill and its earning, clicks, a gift; and the old earning's reversal, which
    # belongs with the old earning, not with the range it happens in.
    new_bill = make_attributed_bill(collaboration, (chai, 2))
    earn_commission(collaboration, new_bill, "20.00")
    void_attributed_bill(old_bill, old_earning)
    make_gift_rows(collaboration, (chai, 3))
    make_clicks(collaboration, today, 4)

    [row] = results.influencer_results(
        vendor=collaboration.vendor, span=Days(today - datetime.timedelta(days=6), today)
    )
    assert (row["bills"], row["revenue"], row["clicks"]) == (1, Decimal("200.00"), 4)
    assert (row["fee"], row["commission"], row["gift_cost"]) == (Decimal("0.00"), Decimal("20.00"), Decimal("180.00"))

    [before] = results.influencer_results(
        vendor=collaboration.vendor, span=Days(today - datetime.timedelta(days=45), today - datetime.timedelta(days=30))
    )
    assert (before["bills"], before["clicks"]) == (0, 9)  # the old bill was voided
    assert (before["fee"], before["commission"], before["gift_cost"]) == (Decimal("500.00"), 0, Decimal("60.00"))

    all_time = results.collaboration_results(collaboration)
    assert (all_time["bills"], all_time["clicks"], all_time["cost"]) == (1, 13, Decimal("760.00"))


def test_a_range_with_nothing_in_it_has_no_rows(scenario):
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    assert results.influencer_results(vendor=scenario["vendor"], span=Days(long_ago, long_ago)) == []
    assert results.campaign_results(vendor=scenario["vendor"], span=Days(long_ago, long_ago)) == []


def test_query_counts_do_not_grow_with_the_rows(scenario, django_assert_num_queries):
    vendor, days = scenario["vendor"], scenario["days"]
    with django_assert_num_queries(1):
        results.collaboration_results(scenario["ira"])
    with django_assert_num_queries(1):
        results.results_totals(selectors.collaborations_for_user(vendor))
    with django_assert_num_queries(1):
        [results.results_row(c) for c in results.collaborations_with_results(selectors.collaborations_for_user(vendor))]
    ids = list(Collaboration.objects.values_list("pk", flat=True))
    with django_assert_num_queries(1):
        results.products_received(ids)
    for _ in range(3):
        extra = make_collaboration(vendor=vendor)
        book_fee(extra, "10.00")
    with django_assert_num_queries(1):
        assert len(results.influencer_results(vendor=vendor, span=days)) == 5
    with django_assert_num_queries(1):
        assert len(results.campaign_results(vendor=vendor, span=days)) == 5
