import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import VendorFactory
from analytics import selectors
from analytics.selectors import Period
from billing.models import Bill
from billing.tests.factories import make_bill
from catalog.tests.factories import CategoryFactory, ProductFactory
from profiles.models import VendorProfile
from profiles.selectors import user_time_zone

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["live", "rollup"])
def series_source(request, settings):
    """Every test runs on both paths: bills read live, and the daily rollup (analytics.rollup)."""
    settings.ANALYTICS_ROLLUP_MIN_BILLS = 10**9 if request.param == "live" else 0
    return request.param


KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")


def sell_at(vendor, when, *lines):
    bill = make_bill(vendor, *lines)
    Bill.objects.filter(pk=bill.pk).update(created_at=when)
    return bill


def at(day, hour=12, tz=KOLKATA):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)


@pytest.fixture
def shop():
    vendor = VendorFactory()
    tea = CategoryFactory(name="Tea", slug="tea")
    cups = CategoryFactory(name="Cups", slug="cups")
    chai = ProductFactory(
        vendor=vendor,
        name="Chai",
        category=tea,
        quantity=1000,
        sale_price=Decimal("100.00"),
        cost_price=Decimal("60.00"),
    )
    mug = ProductFactory(
        vendor=vendor,
        name="Mug",
        category=cups,
        quantity=1000,
        sale_price=Decimal("250.00"),
        cost_price=Decimal("100.00"),
    )
    return vendor, chai, mug


def test_weekly_series_has_every_bucket_monday_weeks_and_clipped_ends(shop):
    vendor, chai, mug = shop
    # Wed 2026-10-07 .. Tue 2026-10-27: buckets start on the Mondays 5th, 12th, 19th, 26th.
    sell_at(vendor, at(datetime.date(2026, 10, 7)), (chai, 2))
    sell_at(vendor, at(datetime.date(2026, 10, 11)), (mug, 1))  # Sunday: still the first week
    sell_at(vendor, at(datetime.date(2026, 10, 27)), (chai, 1), (mug, 2))  # the last day, inclusive
    sell_at(vendor, at(datetime.date(2026, 10, 28)), (chai, 9))  # after the range
    period = Period(datetime.date(2026, 10, 7), datetime.date(2026, 10, 27), KOLKATA)

    series = selectors.sales_series(vendor, period, "week")

    assert [(b["start"].isoformat(), b["end"].isoformat()) for b in series] == [
        ("2026-10-07", "2026-10-11"),
        ("2026-10-12", "2026-10-18"),
        ("2026-10-19", "2026-10-25"),
        ("2026-10-26", "2026-10-27"),
    ]
    assert [b["revenue"] for b in series] == [Decimal("450.00"), 0, 0, Decimal("600.00")]
    assert [b["units"] for b in series] == [3, 0, 0, 3]
    assert [b["bills"] for b in series] == [2, 0, 0, 1]
    assert series[0]["profit"] == Decimal("230.00")
    assert {p["name"]: p["units"] for p in series[3]["by_product"]} == {"Chai": 1, "Mug": 2}
    assert {c["name"]: c["revenue"] for c in series[3]["by_category"]} == {
        "Tea": Decimal("100.00"),
        "Cups": Decimal("500.00"),
    }


def test_monthly_buckets_and_empty_months(shop):
    vendor, chai, _ = shop
    sell_at(vendor, at(datetime.date(2026, 1, 31)), (chai, 1))
    sell_at(vendor, at(datetime.date(2026, 3, 1)), (chai, 3))
    period = Period(datetime.date(2026, 1, 15), datetime.date(2026, 3, 10), KOLKATA)
    series = selectors.sales_series(vendor, period, "month")
    assert [(b["start"].isoformat(), b["end"].isoformat(), b["units"]) for b in series] == [
        ("2026-01-15", "2026-01-31", 1),
        ("2026-02-01", "2026-02-28", 0),
        ("2026-03-01", "2026-03-10", 3),
    ]


def test_days_follow_the_vendors_time_zone(shop):
    vendor, chai, _ = shop
    # 20:00 UTC on the 1st is already the 2nd in Kolkata (UTC+5:30) but still the 1st in New York.
    sell_at(vendor, datetime.datetime(2026, 6, 1, 20, 0, tzinfo=datetime.UTC), (chai, 1))
    period = Period(datetime.date(2026, 6, 1), datetime.date(2026, 6, 2), KOLKATA)
    assert [b["units"] for b in selectors.sales_series(vendor, period, "day")] == [0, 1]

    VendorProfile.objects.create(user=vendor, time_zone="America/New_York")
    vendor.refresh_from_db()
    tz = user_time_zone(vendor)
    assert tz.key == "America/New_York"
    assert [b["units"] for b in selectors.sales_series(vendor, Period(period.start, period.end, tz), "day")] == [1, 0]


def test_product_and_category_filters(shop):
    vendor, chai, mug = shop
    sell_at(vendor, at(datetime.date(2026, 5, 5)), (chai, 2), (mug, 1))
    period = Period(datetime.date(2026, 5, 1), datetime.date(2026, 5, 31), KOLKATA)
    assert selectors.sales_series(vendor, period, "month", product=mug.pk)[0]["revenue"] == Decimal("250.00")
    assert selectors.sales_series(vendor, period, "month", category=chai.category_id)[0]["units"] == 2


def test_void_bills_and_other_vendors_are_not_counted(shop):
    vendor, chai, _ = shop
    from billing.services import bill_void

    bill = sell_at(vendor, at(datetime.date(2026, 5, 5)), (chai, 2))
    bill_void(bill=bill)
    other = VendorFactory()
    sell_at(other, at(datetime.date(2026, 5, 5)), (ProductFactory(vendor=other), 1))
    period = Period(datetime.date(2026, 5, 1), datetime.date(2026, 5, 31), KOLKATA)
    assert selectors.sales_series(vendor, period, "month")[0]["revenue"] == 0
    assert selectors.sales_summary(vendor, period)["bills"] == 0


def test_query_count_does_not_grow_with_buckets(shop):
    vendor, chai, _ = shop
    sell_at(vendor, at(datetime.date(2026, 5, 5)), (chai, 2))
    short = Period(datetime.date(2026, 5, 1), datetime.date(2026, 5, 7), KOLKATA)
    long = Period(datetime.date(2025, 5, 1), datetime.date(2026, 5, 7), KOLKATA)
    selectors.sales_series(vendor, short, "day")  # the rollup path brings itself up to date once
    with CaptureQueriesContext(connection) as few:
        selectors.sales_series(vendor, short, "day", include_items=True)
    with CaptureQueriesContext(connection) as many:
        assert len(selectors.sales_series(vendor, long, "day", include_items=True)) == 372
    assert len(many) == len(few)


def test_include_items_caps_bills_per_bucket(shop, settings):
    vendor, chai, _ = shop
    for hour in range(6):
        sell_at(vendor, at(datetime.date(2026, 5, 5), hour + 8), (chai, 1))
    period = Period(datetime.date(2026, 5, 5), datetime.date(2026, 5, 5), KOLKATA)
    from analytics.selectors import series as module

    original = module.ITEMS_PER_BUCKET
    module.ITEMS_PER_BUCKET = 4
    try:
        bucket = selectors.sales_series(vendor, period, "day", include_items=True)[0]
    finally:
        module.ITEMS_PER_BUCKET = original
    assert bucket["items_count"] == 6
    assert len(bucket["items"]) == 4


def test_summary_compares_with_previous_period_and_uses_snapshotted_cost(shop):
    vendor, chai, mug = shop
    sell_at(vendor, at(datetime.date(2026, 5, 3)), (chai, 1))  # previous period (May 1–10)
    sell_at(vendor, at(datetime.date(2026, 5, 15)), (chai, 2), (mug, 1))  # this period (May 11–20)
    from catalog.models import Product

    Product.objects.filter(pk=chai.pk).update(cost_price=Decimal("99.00"))  # today's cost must not matter
    summary = selectors.sales_summary(vendor, Period(datetime.date(2026, 5, 11), datetime.date(2026, 5, 20), KOLKATA))
    assert (summary["revenue"], summary["cost"], summary["profit"]) == (
        Decimal("450.00"),
        Decimal("220.00"),
        Decimal("230.00"),
    )
    assert summary["margin_pct"] == Decimal("51.1")
    assert (summary["units"], summary["bills"], summary["avg_bill"]) == (3, 1, Decimal("450.00"))
    assert summary["change_pct"]["revenue"] == Decimal("350.0")
    assert summary["previous"]["revenue"] == Decimal("100.00")


def test_product_table_days_of_cover(shop):
    vendor, chai, _ = shop
    sell_at(vendor, at(datetime.date(2026, 5, 2)), (chai, 10))
    rows = selectors.product_table(vendor, Period(datetime.date(2026, 5, 1), datetime.date(2026, 5, 10), KOLKATA))
    assert rows[0]["name"] == "Chai"
    assert rows[0]["days_of_cover"] == Decimal("990.0")  # 990 in stock ÷ 1 a day
