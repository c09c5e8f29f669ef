"""Keeping the daily rollups (``analytics.models``) in step with the bills table.

A vendor with few bills is always read live. Above ``ANALYTICS_ROLLUP_MIN_BILLS`` the series is
read from the rollup, after one cheap check: the fingerprint of all the vendor's paid bills
(count, revenue, sum of epoch seconds, read from one index) must equal the sum of the rollup's
day fingerprints. When it does not, the days whose fingerprints differ, and only those, are
recomputed from the bills, in one transaction. A changed time zone recomputes every day.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Count, Func, Q, Sum
from django.db.models.functions import TruncDate

from analytics.models import DailyProductSales, DailySales
from billing.models import Bill, BillItem

# Beyond this many stale days one DELETE of the vendor's rows is cheaper than naming them.
MAX_DAYS_BY_NAME = 500


class EpochSeconds(Func):
    """Whole seconds since 1970 of a datetime column (PostgreSQL and SQLite)."""

    output_field = BigIntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "FLOOR(EXTRACT(EPOCH FROM %(expressions)s))::bigint"
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "CAST(ROUND((julianday(%(expressions)s) - 2440587.5) * 86400) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def _fingerprint(bills=None, revenue=None, seconds=None):
    return (int(bills or 0), Decimal(revenue or 0).quantize(Decimal("0.01")), int(seconds or 0))


def _paid_bills(vendor):
    return Bill.objects.filter(vendor=vendor, status=Bill.Status.PAID)


def use_rollup(vendor, tz) -> bool:
    """Whether to read the vendor's series from the rollup, bringing it up to date first."""
    live = _paid_bills(vendor).aggregate(
        bills=Count("pk"), revenue=Sum("total"), seconds=Sum(EpochSeconds("created_at"))
    )
    if live["bills"] < settings.ANALYTICS_ROLLUP_MIN_BILLS:
        return False
    stored = DailySales.objects.filter(vendor=vendor, time_zone=tz.key).aggregate(
        bills=Sum("bills"), revenue=Sum("revenue"), seconds=Sum("seconds")
    )
    if _fingerprint(**live) == _fingerprint(**stored):
        return True
    return rollup_refresh(vendor=vendor, tz=tz)


def rollup_refresh(*, vendor, tz) -> bool:
    """Recompute the vendor's rollup days that no longer match the bills. False if a concurrent
    refresh of the same vendor got there first (the caller then reads live, this once)."""
    live = {
        row["day"]: row
        for row in _paid_bills(vendor)
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day")
        .annotate(bills=Count("pk"), revenue=Sum("total"), seconds=Sum(EpochSeconds("created_at")))
        .order_by()
    }
    stored, other_zone = {}, False
    for day, zone, bills, revenue, seconds in DailySales.objects.filter(vendor=vendor).values_list(
        "day", "time_zone", "bills", "revenue", "seconds"
    ):
        other_zone = other_zone or zone != tz.key
        stored[day] = _fingerprint(bills, revenue, seconds)
    if other_zone:
        stored = {}
    stale = {
        day
        for day in live.keys() | stored.keys()
        if day not in live
        or stored.get(day) != _fingerprint(live[day]["bills"], live[day]["revenue"], live[day]["seconds"])
    }
    if not stale:
        return True
    wipe = other_zone or len(stale) > MAX_DAYS_BY_NAME
    try:
        with transaction.atomic():
            _delete_days(vendor, None if wipe else stale)
            _insert_days(vendor, tz, stale, live, everything=wipe)
    except IntegrityError:
        return False
    return True


def _delete_days(vendor, days):
    for model in (DailySales, DailyProductSales):
        rows = model.objects.filter(vendor=vendor)
        (rows if days is None else rows.filter(day__in=days)).delete()


def _insert_days(vendor, tz, days, live, *, everything):
    lines = BillItem.objects.filter(bill__vendor=vendor, bill__status=Bill.Status.PAID)
    if not everything:
        # Each stale day as a range of instants, so the (vendor, status, created_at) index is used.
        ranges = Q()
        for day in days:
            since = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
            until = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
            ranges |= Q(bill__created_at__gte=since, bill__created_at__lt=until)
        lines = lines.filter(ranges)
    per_product = (
        lines.annotate(day=TruncDate("bill__created_at", tzinfo=tz))
        .values("day", "product_id")
        .annotate(
            units=Sum("quantity"),
            revenue=Sum("line_total"),
            profit=Sum("line_profit"),
            bills=Count("bill_id", distinct=True),
        )
        .order_by()
    )
    DailySales.objects.bulk_create(
        [
            DailySales(
                vendor=vendor,
                day=day,
                time_zone=tz.key,
                bills=live[day]["bills"],
                revenue=live[day]["revenue"],
                seconds=live[day]["seconds"],
            )
            for day in days
            if day in live
        ],
        batch_size=2000,
    )
    DailyProductSales.objects.bulk_create(
        [
            DailyProductSales(
                vendor=vendor,
                day=row["day"],
                product_id=row["product_id"],
                units=row["units"],
                revenue=row["revenue"],
                profit=row["profit"],
                bills=row["bills"],
            )
            for row in per_product
            if row["day"] in days
        ],
        batch_size=2000,
    )
