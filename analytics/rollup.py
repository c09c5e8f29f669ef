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

from analytics.base import Period, in_period, paid_bills, paid_lines
from analytics.models import DailyProductSales, DailySales

# Beyond this many stale days, one span of dates is cheaper than naming each day.
MAX_DAYS_BY_NAME = 60
DAY = datetime.timedelta(days=1)


class EpochSeconds(Func):
    """Whole seconds since 1970 of a datetime column (PostgreSQL and SQLite)."""

    output_field = BigIntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        # date_part is double precision: much cheaper to sum than EXTRACT's numeric.
        template = "date_part('epoch', %(expressions)s)::bigint"
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "CAST(ROUND((julianday(%(expressions)s) - 2440587.5) * 86400) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def _fingerprint(bills=None, revenue=None, seconds=None):
    return (int(bills or 0), Decimal(revenue or 0).quantize(Decimal("0.01")), int(seconds or 0))


def _live_fingerprint(vendor, period):
    """Count, revenue and epoch-seconds sum of the period's paid bills: one index-only scan."""
    return _fingerprint(
        **paid_bills(vendor)
        .filter(in_period(period))
        .aggregate(bills=Count("*"), revenue=Sum("total"), seconds=Sum(EpochSeconds("created_at")))
    )


def use_rollup(vendor, period) -> bool:
    """Whether to read the vendor's series for ``period`` from the rollup, bringing the period's
    days up to date first. Two queries when nothing changed."""
    live = _live_fingerprint(vendor, period)
    if live[0] < settings.ANALYTICS_ROLLUP_MIN_BILLS:
        return False
    last_day = Q(day=period.end)
    # Aliases must not shadow the fields they sum.
    stored = DailySales.objects.filter(
        vendor=vendor, time_zone=period.tz.key, day__gte=period.start, day__lte=period.end
    ).aggregate(
        all_bills=Sum("bills"),
        all_revenue=Sum("revenue"),
        all_seconds=Sum("seconds"),
        last_bills=Sum("bills", filter=last_day),
        last_revenue=Sum("revenue", filter=last_day),
        last_seconds=Sum("seconds", filter=last_day),
    )
    stored_all = _fingerprint(stored["all_bills"], stored["all_revenue"], stored["all_seconds"])
    if live == stored_all:
        return True
    # The usual change is today's new sales: if everything before the last day still matches,
    # only that day is recomputed.
    stored_last = _fingerprint(stored["last_bills"], stored["last_revenue"], stored["last_seconds"])
    live_last = _live_fingerprint(vendor, Period(period.end, period.end, period.tz))
    only_last_day = all(
        live_part - live_last_part == stored_part - stored_last_part
        for live_part, live_last_part, stored_part, stored_last_part in zip(
            live, live_last, stored_all, stored_last, strict=True
        )
    )
    return rollup_refresh(vendor=vendor, period=period, days={period.end} if only_last_day else None)


def rollup_refresh(*, vendor, period, days=None) -> bool:
    """Recompute the period's rollup days that no longer match the bills (or just ``days``).
    False if a concurrent refresh of the same vendor got there first (the caller then reads
    live, this once)."""
    tz = period.tz
    bills = paid_bills(vendor).filter(in_period(period) if days is None else _day_ranges(days, tz, "created_at"))
    live = {
        row["day"]: row
        for row in bills.annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day")
        .annotate(bills=Count("pk"), revenue=Sum("total"), seconds=Sum(EpochSeconds("created_at")))
        .order_by()
    }
    other_zone = DailySales.objects.filter(vendor=vendor).exclude(time_zone=tz.key).exists()
    if days is None:
        stored = {}
        if not other_zone:
            stored = {
                day: _fingerprint(bills, revenue, seconds)
                for day, bills, revenue, seconds in DailySales.objects.filter(
                    vendor=vendor, day__gte=period.start, day__lte=period.end
                ).values_list("day", "bills", "revenue", "seconds")
            }
        days = {
            day
            for day in live.keys() | stored.keys()
            if day not in live
            or stored.get(day) != _fingerprint(live[day]["bills"], live[day]["revenue"], live[day]["seconds"])
        }
    if not days:
        return True
    try:
        with transaction.atomic():
            if other_zone:  # days counted in another zone are all wrong now
                DailySales.objects.filter(vendor=vendor).delete()
                DailyProductSales.objects.filter(vendor=vendor).delete()
            else:
                _delete_days(vendor, days)
            _insert_days(vendor, tz, days, live)
    except IntegrityError:
        return False
    return True


def _day_ranges(days, tz, field):
    """The instants of these local days: one range each, or one span when there are many."""
    if len(days) > MAX_DAYS_BY_NAME:
        return in_period(Period(min(days), max(days), tz), field)
    ranges = Q()
    for day in days:
        ranges |= in_period(Period(day, day, tz), field)
    return ranges


def _delete_days(vendor, days):
    for model in (DailySales, DailyProductSales):
        rows = model.objects.filter(vendor=vendor)
        if len(days) > MAX_DAYS_BY_NAME:
            rows = rows.filter(day__gte=min(days), day__lte=max(days))
        else:
            rows = rows.filter(day__in=days)
        rows.delete()


def _insert_days(vendor, tz, days, live):
    lines = paid_lines(vendor).filter(_day_ranges(days, tz, "bill__created_at"))
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
    if len(days) > MAX_DAYS_BY_NAME:  # a span: every day in it was deleted and is recomputed
        first, last = min(days), max(days)
        days = {first + DAY * offset for offset in range((last - first).days + 1)}
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
