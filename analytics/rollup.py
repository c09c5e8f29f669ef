"""Whether the daily rollups (``analytics.models``) are in step with the bills table: reads only.

A vendor with few bills is always read live. Above ``ANALYTICS_ROLLUP_MIN_BILLS`` the series is
read from the rollup, after one cheap check: the fingerprint of all the vendor's paid bills
(count, revenue, sum of epoch seconds, read from one index) must equal the sum of the rollup's
day fingerprints. When it does not, the days whose fingerprints differ, and only those, are
recomputed from the bills by ``analytics.services.rollup_refresh``, the one writer of the rollup.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import BigIntegerField, Count, Func, Q, Sum

from analytics.base import Period, in_period, paid_bills
from analytics.models import DailySales

# Beyond this many stale days, one span of dates is cheaper than naming each day.
MAX_DAYS_BY_NAME = 60


class EpochSeconds(Func):
    """Whole seconds since 1970 of a datetime column (PostgreSQL, SQLite, MariaDB and MySQL)."""

    output_field = BigIntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        # date_part is double precision: much cheaper to sum than EXTRACT's numeric.
        template = "date_part('epoch', %(expressions)s)::bigint"
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "CAST(ROUND((julianday(%(expressions)s) - 2440587.5) * 86400) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_mysql(self, compiler, connection, **extra_context):
        # Arithmetic on the stored UTC value: UNIX_TIMESTAMP would read it in the session's zone.
        template = "ROUND(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', %(expressions)s) / 1000000)"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def fingerprint(bills=None, revenue=None, seconds=None) -> tuple[int, Decimal, int]:
    """Bills, revenue and epoch seconds as compared: what the database returned, normalised."""
    return (int(bills or 0), Decimal(revenue or 0).quantize(Decimal("0.01")), int(seconds or 0))


def live_fingerprint(vendor, period) -> tuple[int, Decimal, int]:
    """Count, revenue and epoch-seconds sum of the period's paid bills: one index-only scan."""
    return fingerprint(
        **paid_bills(vendor)
        .filter(in_period(period))
        .aggregate(bills=Count("*"), revenue=Sum("total"), seconds=Sum(EpochSeconds("created_at")))
    )


def day_ranges(days, tz, field) -> Q:
    """The instants of these local days: one range each, or one span when there are many."""
    if len(days) > MAX_DAYS_BY_NAME:
        return in_period(Period(min(days), max(days), tz), field)
    ranges = Q()
    for day in days:
        ranges |= in_period(Period(day, day, tz), field)
    return ranges


@dataclass(frozen=True)
class RollupCheck:
    """How the rollup of a vendor's period compares with the bills."""

    wanted: bool  # the period holds enough paid bills for the rollup to pay off
    current: bool = False  # every day of the period matches the bills
    stale_days: frozenset[datetime.date] | None = None  # the days known to differ; None: compare each day


def rollup_check(vendor, period) -> RollupCheck:
    """Whether to read the vendor's series for ``period`` from the rollup, and whether its days are
    up to date. Two queries when nothing changed, three when something did."""
    live = live_fingerprint(vendor, period)
    if live[0] < settings.ANALYTICS_ROLLUP_MIN_BILLS:
        return RollupCheck(wanted=False)
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
    stored_all = fingerprint(stored["all_bills"], stored["all_revenue"], stored["all_seconds"])
    if live == stored_all:
        return RollupCheck(wanted=True, current=True)
    # The usual change is today's new sales: if everything before the last day still matches,
    # only that day is stale.
    stored_last = fingerprint(stored["last_bills"], stored["last_revenue"], stored["last_seconds"])
    live_last = live_fingerprint(vendor, Period(period.end, period.end, period.tz))
    only_last_day = all(
        live_part - live_last_part == stored_part - stored_last_part
        for live_part, live_last_part, stored_part, stored_last_part in zip(
            live, live_last, stored_all, stored_last, strict=True
        )
    )
    return RollupCheck(wanted=True, stale_days=frozenset({period.end}) if only_last_day else None)
