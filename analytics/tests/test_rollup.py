import datetime
import random
import zoneinfo
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import VendorFactory
from analytics import selectors
from analytics.models import DailyProductSales, DailySales
from analytics.rollup import RollupCheck, rollup_check
from analytics.selectors import Period
from analytics.services import rollup_refresh
from billing.models import Bill
from billing.services import bill_void
from billing.tests.factories import make_bill
from catalog.tests.factories import CategoryFactory, ProductFactory
from profiles.models import VendorProfile
from profiles.selectors import user_time_zone

pytestmark = pytest.mark.django_db

KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")
START = datetime.date(2026, 3, 1)
PERIOD = Period(START, datetime.date(2026, 5, 31), KOLKATA)


def sell_at(vendor, when, *lines):
    bill = make_bill(vendor, *lines)
    Bill.objects.filter(pk=bill.pk).update(created_at=when)
    return bill


def series(settings, source, vendor, period, bucket, **filters):
    settings.ANALYTICS_ROLLUP_MIN_BILLS = 0 if source == "rollup" else 10**9
    return selectors.sales_series(vendor, period, bucket, **filters)


@pytest.fixture
def busy_shop():
    """Three products in two categories, 40 bills at random times over three months."""
    vendor = VendorFactory()
    tea, cups = CategoryFactory(name="Tea", slug="tea"), CategoryFactory(name="Cups", slug="cups")
    products = [
        ProductFactory(vendor=vendor, name=name, category=category, quantity=10_000, sale_price=price)
        for name, category, price in (
            ("Chai", tea, Decimal("100.00")),
            ("Green", tea, Decimal("180.50")),
            ("Mug", cups, Decimal("250.00")),
        )
    ]
    rng = random.Random(7)
    for _ in range(40):
        when = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC) + datetime.timedelta(minutes=rng.randrange(92 * 1440))
        lines = [(product, rng.randint(1, 4)) for product in rng.sample(products, rng.randint(1, 3))]
        sell_at(vendor, when, *lines)
    return vendor, products


@pytest.mark.parametrize("bucket", ["day", "week", "month", "year"])
def test_rollup_gives_the_same_series_as_the_bills(settings, busy_shop, bucket):
    vendor, products = busy_shop
    live = series(settings, "live", vendor, PERIOD, bucket)
    assert sum(entry["bills"] for entry in live) == 40
    assert series(settings, "rollup", vendor, PERIOD, bucket) == live
    for product in products:
        assert series(settings, "rollup", vendor, PERIOD, bucket, product=product.pk) == series(
            settings, "live", vendor, PERIOD, bucket, product=product.pk
        )
    # Category filters are read live on both paths; the answer must not depend on the setting.
    category = products[0].category_id
    assert series(settings, "rollup", vendor, PERIOD, bucket, category=category) == series(
        settings, "live", vendor, PERIOD, bucket, category=category
    )


def test_a_new_sale_recomputes_only_its_day(settings, busy_shop):
    vendor, products = busy_shop
    series(settings, "rollup", vendor, PERIOD, "month")
    before = dict(DailySales.objects.filter(vendor=vendor).values_list("day", "pk"))
    new_day = datetime.date(2026, 5, 30)
    sell_at(vendor, datetime.datetime(2026, 5, 30, 10, tzinfo=KOLKATA), (products[2], 3))

    rolled = series(settings, "rollup", vendor, PERIOD, "day")

    assert rolled == series(settings, "live", vendor, PERIOD, "day")
    after = dict(DailySales.objects.filter(vendor=vendor).values_list("day", "pk"))
    assert {day for day in after if after[day] != before.get(day)} == {new_day}
    assert rolled[-2]["units"] >= 3

    # A sale on the period's last day (usually today) takes the short path: only that day is redone.
    before = dict(DailySales.objects.filter(vendor=vendor).values_list("day", "pk"))
    sell_at(vendor, datetime.datetime(2026, 5, 31, 23, 30, tzinfo=KOLKATA), (products[0], 1))
    assert series(settings, "rollup", vendor, PERIOD, "day") == series(settings, "live", vendor, PERIOD, "day")
    after = dict(DailySales.objects.filter(vendor=vendor).values_list("day", "pk"))
    assert {day for day in after if after[day] != before.get(day)} == {PERIOD.end}


def test_rewritten_history_and_voids_are_noticed(settings, busy_shop):
    vendor, _ = busy_shop
    series(settings, "rollup", vendor, PERIOD, "week")
    oldest, newest = Bill.objects.filter(vendor=vendor).order_by("created_at")[::39]
    # Move the oldest bill into April by hand (no service, no signal) and void the newest one.
    Bill.objects.filter(pk=oldest.pk).update(created_at=datetime.datetime(2026, 4, 15, 9, tzinfo=KOLKATA))
    bill_void(bill=newest)

    rolled = series(settings, "rollup", vendor, PERIOD, "week")

    assert rolled == series(settings, "live", vendor, PERIOD, "week")
    assert sum(entry["bills"] for entry in rolled) == 39
    assert DailySales.objects.filter(vendor=vendor).aggregate(n=Sum("bills"))["n"] == 39


def test_a_new_time_zone_recomputes_every_day(settings, busy_shop):
    vendor, _ = busy_shop
    series(settings, "rollup", vendor, PERIOD, "day")
    VendorProfile.objects.create(user=vendor, time_zone="America/New_York")
    vendor.refresh_from_db()
    new_york = user_time_zone(vendor)
    period = Period(PERIOD.start, PERIOD.end, new_york)

    assert series(settings, "rollup", vendor, period, "day") == series(settings, "live", vendor, period, "day")
    assert set(DailySales.objects.filter(vendor=vendor).values_list("time_zone", flat=True)) == {"America/New_York"}


def test_other_vendors_rollups_are_their_own(settings, busy_shop):
    vendor, _ = busy_shop
    other = VendorFactory()
    sell_at(other, datetime.datetime(2026, 4, 1, 12, tzinfo=KOLKATA), (ProductFactory(vendor=other), 1))
    series(settings, "rollup", vendor, PERIOD, "month")
    mine = series(settings, "rollup", other, PERIOD, "month")
    assert [entry["bills"] for entry in mine] == [0, 1, 0]
    assert not DailyProductSales.objects.filter(vendor=other).exclude(product__vendor=other).exists()


def test_rollup_query_count_does_not_grow_with_the_range(settings, busy_shop):
    vendor, _ = busy_shop
    series(settings, "rollup", vendor, PERIOD, "day")  # brings the rollup up to date
    with CaptureQueriesContext(connection) as short:
        series(settings, "rollup", vendor, Period(START, START + datetime.timedelta(days=6), KOLKATA), "day")
    with CaptureQueriesContext(connection) as long:
        assert len(series(settings, "rollup", vendor, Period(START, datetime.date(2027, 2, 28), KOLKATA), "day")) == 365
    assert len(long) == len(short) == 5


def test_the_series_leaves_writing_the_rollup_to_its_service(settings, busy_shop, monkeypatch):
    """The selector reads; a stale rollup is recomputed by ``rollup_refresh`` alone. When the
    refresh cannot run (a concurrent one got there first), the series is read live, unchanged."""
    vendor, _ = busy_shop
    calls = []

    def refresh_lost_the_race(**kwargs):
        calls.append(kwargs)
        return False

    monkeypatch.setattr(selectors.series, "rollup_refresh", refresh_lost_the_race)
    assert series(settings, "rollup", vendor, PERIOD, "week") == series(settings, "live", vendor, PERIOD, "week")
    assert calls == [{"vendor": vendor, "period": PERIOD, "days": None}]
    assert not DailySales.objects.exists()
    assert not DailyProductSales.objects.exists()


def test_rollup_refresh_brings_the_periods_days_in_step_and_a_current_rollup_is_not_rewritten(settings, busy_shop):
    vendor, _ = busy_shop
    settings.ANALYTICS_ROLLUP_MIN_BILLS = 0
    assert rollup_check(vendor, PERIOD) == RollupCheck(wanted=True)
    assert rollup_refresh(vendor=vendor, period=PERIOD) is True
    assert rollup_check(vendor, PERIOD) == RollupCheck(wanted=True, current=True)
    assert DailySales.objects.filter(vendor=vendor).aggregate(n=Sum("bills"))["n"] == 40
    rows = set(DailySales.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as reading:
        series(settings, "rollup", vendor, PERIOD, "month")
    assert set(DailySales.objects.values_list("pk", flat=True)) == rows
    assert not [query for query in reading if query["sql"].lstrip().upper().startswith(("INSERT", "DELETE", "UPDATE"))]
