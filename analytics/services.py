"""Analytics writes: the daily rollup, the only thing analytics writes (it reads everything else).

``rollup_refresh`` recomputes the rollup days that no longer match the bills, in one
transaction. The sales series (``analytics.selectors.sales_series``) calls it when
``analytics.rollup.rollup_check`` finds stale days, before it reads the rollup; a changed time
zone recomputes every day.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate

from analytics.base import in_period, paid_bills, paid_lines
from analytics.models import DailyProductSales, DailySales
from analytics.rollup import MAX_DAYS_BY_NAME, EpochSeconds, day_ranges, fingerprint

DAY = datetime.timedelta(days=1)


def rollup_refresh(*, vendor, period, days=None) -> bool:
    """Recompute the period's rollup days that no longer match the bills (or just ``days``), in
    one transaction. False if a concurrent refresh of the same vendor got there first (the
    caller then reads live, this once)."""
    tz = period.tz
    bills = paid_bills(vendor).filter(in_period(period) if days is None else day_ranges(days, tz, "created_at"))
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
                day: fingerprint(bills, revenue, seconds)
                for day, bills, revenue, seconds in DailySales.objects.filter(
                    vendor=vendor, day__gte=period.start, day__lte=period.end
                ).values_list("day", "bills", "revenue", "seconds")
            }
        days = {
            day
            for day in live.keys() | stored.keys()
            if day not in live
            or stored.get(day) != fingerprint(live[day]["bills"], live[day]["revenue"], live[day]["seconds"])
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


def _delete_days(vendor, days):
    for model in (DailySales, DailyProductSales):
        rows = model.objects.filter(vendor=vendor)
        if len(days) > MAX_DAYS_BY_NAME:
            rows = rows.filter(day__gte=min(days), day__lte=max(days))
        else:
            rows = rows.filter(day__in=days)
        rows.delete()


def _insert_days(vendor, tz, days, live):
    lines = paid_lines(vendor).filter(day_ranges(days, tz, "bill__created_at"))
    per_product = (
        lines.annotate(day=TruncDate("bill__created_at", tzinfo=tz))
        .values("day", "product_id")
        .annotate(
            units=Sum("quantity"),
            revenue=Sum("taxable_value"),
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
