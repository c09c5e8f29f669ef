"""Sales over time in day, week, month or year buckets, read live or from the daily rollup."""

import datetime
from operator import itemgetter

from django.db.models import Count, DateField, F, Sum, Window
from django.db.models.functions import Coalesce, RowNumber, TruncDay, TruncMonth, TruncWeek, TruncYear

from analytics import rollup
from analytics.base import Period, in_period, paid_bills, paid_lines
from analytics.models import DailyProductSales, DailySales
from analytics.selectors.common import ZERO, cents, money
from analytics.services import rollup_refresh
from billing.models import Bill
from catalog.models import Product

TRUNC = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth, "year": TruncYear}
BUCKETS = tuple(TRUNC)
ITEMS_PER_BUCKET = 50


def bucket_bounds(period: Period, bucket: str) -> list[tuple[datetime.date, datetime.date]]:
    """Every bucket from the period's start to its end, each clipped to the period."""
    bounds, cursor = [], _bucket_start(period.start, bucket)
    while cursor <= period.end:
        following = _next_bucket(cursor, bucket)
        bounds.append((max(cursor, period.start), min(following - datetime.timedelta(days=1), period.end)))
        cursor = following
    return bounds


def _bucket_start(day, bucket):
    if bucket == "week":
        return day - datetime.timedelta(days=day.weekday())  # weeks start on Monday
    if bucket == "month":
        return day.replace(day=1)
    if bucket == "year":
        return day.replace(month=1, day=1)
    return day


def _next_bucket(start, bucket):
    if bucket == "day":
        return start + datetime.timedelta(days=1)
    if bucket == "week":
        return start + datetime.timedelta(days=7)
    if bucket == "month":
        return (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return start.replace(year=start.year + 1)


def sales_series(
    vendor, period: Period, bucket: str, *, product=None, category=None, include_items=False
) -> list[dict]:
    """Revenue, units and profit per bucket, with every bucket present (empty ones as zeros),
    and revenue and units by product and by category. A fixed number of queries whatever the range:
    read live for small vendors, from the daily rollup for big ones (see ``analytics.rollup``),
    which ``analytics.services.rollup_refresh`` brings up to date first when the bills changed."""
    trunc = TRUNC[bucket]
    lines = paid_lines(vendor).filter(in_period(period, "bill__created_at"))
    if product is not None:
        lines = lines.filter(product_id=product)
    if category is not None:
        lines = lines.filter(product__category_id=category)
    # The rollup keeps no per-category bill counts (a bill may hold several of a category's products).
    if category is None and _read_from_rollup(vendor, period):
        grouped, bills_per_bucket = _rolled_up_rows(vendor, period, bucket, product)
    else:
        grouped, bills_per_bucket = _live_rows(vendor, period, trunc, lines, filtered=product is not None)
    products = {
        pk: (name, category_id, category_name or "Uncategorised")
        for pk, name, category_id, category_name in Product.objects.filter(
            pk__in={row[1] for row in grouped}
        ).values_list("pk", "name", "category_id", "category__name")
    }

    buckets = {}
    for start, end in bucket_bounds(period, bucket):
        buckets[_bucket_start(start, bucket)] = {
            "start": start,
            "end": end,
            "revenue": ZERO,
            "units": 0,
            "profit": ZERO,
            "bills": 0,
            "by_product": [],
            "by_category": {},
        }
    # A long day series has tens of thousands of rows: this loop is kept lean on purpose.
    for bucket_key, product_id, revenue, units, profit in grouped:
        entry = buckets.get(_as_date(bucket_key, period.tz))
        if entry is None:  # pragma: no cover - rows always fall inside the period's buckets
            continue
        name, category_id, category_name = products[product_id]
        entry["revenue"] += revenue
        entry["units"] += units
        entry["profit"] += profit
        # One row per bucket and product: no merging needed. Sums of money columns come back
        # with two places already (their output field is a DecimalField(decimal_places=2)).
        entry["by_product"].append({"product": product_id, "name": name, "revenue": revenue, "units": units})
        by_category = entry["by_category"]
        part = by_category.get(category_id)
        if part is None:
            by_category[category_id] = {
                "category": category_id,
                "name": category_name,
                "revenue": revenue,
                "units": units,
            }
        else:
            part["revenue"] += revenue
            part["units"] += units
    for bucket_start, count in bills_per_bucket.items():
        entry = buckets.get(_as_date(bucket_start, period.tz))
        if entry is not None:
            entry["bills"] = count

    series = []
    for entry in buckets.values():
        entry["revenue"], entry["profit"] = cents(entry["revenue"]), cents(entry["profit"])
        for part in entry["by_category"].values():
            part["revenue"] = cents(part["revenue"])
        entry["by_product"] = _by_revenue_then_name(entry["by_product"])
        entry["by_category"] = _by_revenue_then_name(entry["by_category"].values())
        series.append(entry)
    if include_items:
        _attach_items(series, lines, period, trunc, bucket)
    return series


def _read_from_rollup(vendor, period) -> bool:
    """Whether to sum the series from the daily rollup: for a period with many bills, once its
    days match the bills. Stale days are first recomputed by the rollup's service,
    ``analytics.services.rollup_refresh``: the one write on this read path, named as such."""
    check = rollup.rollup_check(vendor, period)
    if not check.wanted or check.current:
        return check.current
    return rollup_refresh(vendor=vendor, period=period, days=check.stale_days)


def _by_revenue_then_name(parts) -> list[dict]:
    """Highest revenue first, ties by name: two stable C-level sorts, no key tuples to build."""
    parts = sorted(parts, key=itemgetter("name"))
    parts.sort(key=itemgetter("revenue"), reverse=True)
    return parts


def _live_rows(vendor, period, trunc, lines, *, filtered):
    """Per bucket and product, and bills per bucket, straight from the bill lines."""
    # Grouped by product id only (narrow sort keys); names and categories come in one small query.
    grouped = list(
        lines.annotate(bucket=trunc("bill__created_at", tzinfo=period.tz))
        .values("bucket", "product_id")
        .annotate(
            revenue=money(Sum("taxable_value")),
            units=Coalesce(Sum("quantity"), 0),
            profit=money(Sum("line_profit")),
        )
        .values_list("bucket", "product_id", "revenue", "units", "profit")
        .order_by()
    )
    if filtered:
        counted = (
            lines.annotate(bucket=trunc("bill__created_at", tzinfo=period.tz))
            .values("bucket")
            .annotate(n=Count("bill", distinct=True))
        )
    else:
        # Counting on the bills alone avoids joining every line (about 10x faster at 1M lines).
        counted = (
            paid_bills(vendor)
            .filter(in_period(period))
            .annotate(bucket=trunc("created_at", tzinfo=period.tz))
            .values("bucket")
            .annotate(n=Count("pk"))
        )
    return grouped, dict(counted.values_list("bucket", "n").order_by())


def _rolled_up_rows(vendor, period, bucket, product):
    """The same rows as ``_live_rows``, summed from the daily rollup."""
    days = {"vendor": vendor, "day__gte": period.start, "day__lte": period.end}
    if product is not None:
        days["product_id"] = product
    rows = DailyProductSales.objects.filter(**days)
    counted = (DailyProductSales if product is not None else DailySales).objects.filter(**days)
    if product is None:
        counted = counted.filter(time_zone=period.tz.key)
    if bucket == "day":  # rollup rows are already one per day and product
        grouped = list(rows.values_list("day", "product_id", "revenue", "units", "profit").order_by())
        if product is not None:
            return grouped, {day: bills for day, _, bills in rows.values_list("day", "product_id", "bills")}
        return grouped, dict(counted.values_list("day", "bills").order_by())
    bucket_of = TRUNC[bucket]("day", output_field=DateField())
    grouped = list(
        rows.annotate(bucket=bucket_of)
        .values("bucket", "product_id")
        .annotate(sum_revenue=Sum("revenue"), sum_units=Sum("units"), sum_profit=Sum("profit"))
        .values_list("bucket", "product_id", "sum_revenue", "sum_units", "sum_profit")
        .order_by()
    )
    counted = counted.annotate(bucket=bucket_of).values("bucket").annotate(n=Sum("bills"))
    return grouped, dict(counted.values_list("bucket", "n").order_by())


def _attach_items(series, lines, period, trunc, bucket):
    """The newest bills of each bucket (at most ITEMS_PER_BUCKET), in one windowed query."""
    bill_ids = lines.values("bill_id")
    ranked = (
        Bill.objects.filter(pk__in=bill_ids)
        .annotate(bucket=trunc("created_at", tzinfo=period.tz))
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("bucket")], order_by=[F("created_at").desc(), F("pk").desc()])
        )
        .filter(rank__lte=ITEMS_PER_BUCKET)
        .values("pk", "number", "created_at", "customer_name", "total", "bucket")
        .order_by("-created_at", "-pk")
    )
    by_start = {_bucket_start(entry["start"], bucket): entry for entry in series}
    for entry in series:
        entry["items"] = []
    for bill in ranked:
        entry = by_start.get(_as_date(bill["bucket"], period.tz))
        if entry is not None:
            entry["items"].append(
                {
                    "id": bill["pk"],
                    "number": bill["number"],
                    "created_at": bill["created_at"],
                    "customer_name": bill["customer_name"],
                    "total": cents(bill["total"]),
                }
            )
    for entry in series:
        entry["items_count"] = entry["bills"]


def _as_date(value, tz):
    if type(value) is datetime.date:
        return value
    if isinstance(value, datetime.datetime):
        return value.astimezone(tz).date() if value.tzinfo else value.date()
    return value


# --- Low stock ------------------------------------------------------------------------------
