"""Vendor analytics, computed in the database: aggregates with Sum/Count, buckets with Trunc*.

Every function takes the vendor and an inclusive date range in the vendor's time zone and
runs a fixed number of queries, whatever the range or the number of buckets.
"""

import datetime
from decimal import Decimal
from operator import itemgetter

from django.conf import settings
from django.db.models import Count, DateField, DecimalField, F, Q, Sum, Value, Window
from django.db.models.functions import Coalesce, RowNumber, TruncDay, TruncMonth, TruncWeek, TruncYear

from analytics import rollup
from analytics.base import Period, in_period, paid_bills, paid_lines
from analytics.models import DailyProductSales, DailySales
from analytics.services import rollup_refresh
from billing.models import Bill
from catalog.models import Product, low_stock_q
from profiles.selectors import user_time_zone

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)
TRUNC = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth, "year": TruncYear}
BUCKETS = tuple(TRUNC)
ITEMS_PER_BUCKET = 50


def period_for(vendor, start=None, end=None, *, default_days=30) -> Period:
    """A range of the vendor's days: in their zone (``profiles.selectors.user_time_zone``), the
    zone they see every time in, chat times too."""
    tz = user_time_zone(vendor)
    today = datetime.datetime.now(tz).date()
    end = end or today
    start = start or end - datetime.timedelta(days=default_days - 1)
    return Period(start, end, tz)


def _cents(value) -> Decimal:
    """Money at two places whatever the database hands back (SQLite drops trailing zeros)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _money(expression):
    return Coalesce(expression, Value(ZERO), output_field=MONEY)


def _change(current, previous):
    """Change in percent from ``previous`` to ``current``; None when there is nothing to compare."""
    current, previous = Decimal(current or 0), Decimal(previous or 0)
    if previous == 0:
        return None
    return ((current - previous) / previous * 100).quantize(Decimal("0.1"))


def _margin(profit, revenue):
    revenue = Decimal(revenue or 0)
    return (Decimal(profit or 0) / revenue * 100).quantize(Decimal("0.1")) if revenue else None


# --- Summary ------------------------------------------------------------------------------


def sales_summary(vendor, period: Period) -> dict:
    """KPIs for the period, each with its change against the previous period of the same length."""
    previous = period.previous()
    now_q, before_q = in_period(period), in_period(previous)
    bills = (
        paid_bills(vendor)
        .filter(in_period(Period(previous.start, period.end, period.tz)))
        .aggregate(
            # Aliases must not shadow the fields they sum (Bill has cost and profit columns).
            sum_revenue=_money(Sum("total", filter=now_q)),
            sum_cost=_money(Sum("cost", filter=now_q)),
            sum_profit=_money(Sum("profit", filter=now_q)),
            count_bills=Count("pk", filter=now_q),
            previous_revenue=_money(Sum("total", filter=before_q)),
            previous_cost=_money(Sum("cost", filter=before_q)),
            previous_profit=_money(Sum("profit", filter=before_q)),
            previous_bills=Count("pk", filter=before_q),
        )
    )
    for key in ("revenue", "cost", "profit"):
        bills[key] = _cents(bills.pop(f"sum_{key}"))
        bills[f"previous_{key}"] = _cents(bills[f"previous_{key}"])
    bills["bills"] = bills.pop("count_bills")
    units = (
        paid_lines(vendor)
        .filter(in_period(Period(previous.start, period.end, period.tz), "bill__created_at"))
        .aggregate(
            units=Coalesce(Sum("quantity", filter=in_period(period, "bill__created_at")), 0),
            previous_units=Coalesce(Sum("quantity", filter=in_period(previous, "bill__created_at")), 0),
        )
    )
    products = Product.objects.filter(vendor=vendor).aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        low_stock=Count("pk", filter=Q(is_active=True) & low_stock_q()),
    )

    def kpis(prefix=""):
        revenue, profit, count = bills[f"{prefix}revenue"], bills[f"{prefix}profit"], bills[f"{prefix}bills"]
        return {
            "revenue": revenue,
            "cost": bills[f"{prefix}cost"],
            "profit": profit,
            "margin_pct": _margin(profit, revenue),
            "units": units[f"{prefix}units"],
            "bills": count,
            "avg_bill": (Decimal(revenue) / count).quantize(Decimal("0.01")) if count else ZERO,
        }

    current, before = kpis(), kpis("previous_")
    return {
        "start": period.start,
        "end": period.end,
        "previous_start": previous.start,
        "previous_end": previous.end,
        **current,
        "active_products": products["active"],
        "low_stock_products": products["low_stock"],
        "previous": before,
        "change_pct": {key: _change(current[key], before[key]) for key in current if key != "margin_pct"},
    }


# --- Tables -------------------------------------------------------------------------------


def product_table(vendor, period: Period) -> list[dict]:
    """Per product: units, revenue, cost, profit, margin, current stock, days of cover."""
    previous = period.previous()
    rows = (
        paid_lines(vendor)
        .filter(in_period(Period(previous.start, period.end, period.tz), "bill__created_at"))
        .values("product_id", "product__name", "product__sku", "product__quantity", "product__low_stock_threshold")
        .annotate(
            units=Coalesce(Sum("quantity", filter=in_period(period, "bill__created_at")), 0),
            revenue=_money(Sum("line_total", filter=in_period(period, "bill__created_at"))),
            cost=_money(Sum("line_cost", filter=in_period(period, "bill__created_at"))),
            profit=_money(Sum("line_profit", filter=in_period(period, "bill__created_at"))),
            previous_units=Coalesce(Sum("quantity", filter=in_period(previous, "bill__created_at")), 0),
        )
        .order_by("-revenue", "product__name")
    )
    table = []
    for row in rows:
        if not row["units"] and not row["previous_units"]:
            continue
        daily = Decimal(row["units"]) / period.days
        table.append(
            {
                "product": row["product_id"],
                "name": row["product__name"],
                "sku": row["product__sku"],
                "units": row["units"],
                "revenue": _cents(row["revenue"]),
                "cost": _cents(row["cost"]),
                "profit": _cents(row["profit"]),
                "margin_pct": _margin(row["profit"], row["revenue"]),
                "units_change_pct": _change(row["units"], row["previous_units"]),
                "stock": row["product__quantity"],
                "low_stock_threshold": row["product__low_stock_threshold"],
                "days_of_cover": (Decimal(row["product__quantity"]) / daily).quantize(Decimal("0.1"))
                if daily
                else None,
            }
        )
    return [row for row in table if row["units"]] + [row for row in table if not row["units"]]


def category_table(vendor, period: Period) -> list[dict]:
    rows = (
        paid_lines(vendor)
        .filter(in_period(period, "bill__created_at"))
        .values("product__category_id", "product__category__name")
        .annotate(
            revenue=_money(Sum("line_total")),
            profit=_money(Sum("line_profit")),
            units=Coalesce(Sum("quantity"), 0),
            bills=Count("bill", distinct=True),
        )
        .order_by("-revenue")
    )
    return [
        {
            "category": row["product__category_id"],
            "name": row["product__category__name"] or "Uncategorised",
            "revenue": _cents(row["revenue"]),
            "profit": _cents(row["profit"]),
            "margin_pct": _margin(row["profit"], row["revenue"]),
            "units": row["units"],
            "bills": row["bills"],
        }
        for row in rows
    ]


def campaign_table(vendor, period: Period) -> list[dict]:
    """Sales attributed through referral codes, per campaign and influencer."""
    rows = (
        paid_bills(vendor)
        .filter(in_period(period), referral__isnull=False)
        .values(
            "referral__campaign_id",
            "referral__campaign__title",
            "referral__influencer_id",
            "referral__influencer__display_name",
        )
        .annotate(revenue=_money(Sum("total")), profit=_money(Sum("profit")), bills=Count("pk"))
        .order_by("-revenue")
    )
    return [
        {
            "campaign": row["referral__campaign_id"],
            "campaign_title": row["referral__campaign__title"],
            "influencer": row["referral__influencer_id"],
            "influencer_name": row["referral__influencer__display_name"],
            "revenue": _cents(row["revenue"]),
            "profit": _cents(row["profit"]),
            "bills": row["bills"],
        }
        for row in rows
    ]


# --- Series -------------------------------------------------------------------------------


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
        entry["revenue"], entry["profit"] = _cents(entry["revenue"]), _cents(entry["profit"])
        for part in entry["by_category"].values():
            part["revenue"] = _cents(part["revenue"])
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
            revenue=_money(Sum("line_total")),
            units=Coalesce(Sum("quantity"), 0),
            profit=_money(Sum("line_profit")),
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
                    "total": _cents(bill["total"]),
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


def low_stock_table(vendor, period: Period) -> list[dict]:
    """Active products at or below their threshold, with days of cover at the period's pace."""
    sold = dict(
        paid_lines(vendor)
        .filter(in_period(period, "bill__created_at"), low_stock_q(prefix="product__"))
        .values("product_id")
        .annotate(units=Sum("quantity"))
        .values_list("product_id", "units")
        .order_by()
    )
    products = Product.objects.filter(vendor=vendor, is_active=True).low_stock().order_by("quantity", "name")
    table = []
    for product in products.only("pk", "name", "sku", "quantity", "low_stock_threshold"):
        daily = Decimal(sold.get(product.pk, 0)) / period.days
        table.append(
            {
                "product": product.pk,
                "name": product.name,
                "sku": product.sku,
                "stock": product.quantity,
                "low_stock_threshold": product.low_stock_threshold,
                "units_sold": sold.get(product.pk, 0),
                "days_of_cover": (Decimal(product.quantity) / daily).quantize(Decimal("0.1")) if daily else None,
                # Two weeks of sales, and never less than twice the threshold.
                "suggested_reorder": max(int((daily * 14).to_integral_value()), product.low_stock_threshold * 2)
                - product.quantity,
            }
        )
    return table


# --- Facts for insights ---------------------------------------------------------------------


def insight_facts(vendor, period: Period) -> dict:
    """A compact, JSON-safe summary of the vendor's numbers, to reason about (no customer data)."""
    summary = sales_summary(vendor, period)

    def text(value):
        return None if value is None else str(value)

    return {
        "currency": settings.CURRENCY,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(), "days": period.days},
        "summary": {
            **{key: text(summary[key]) for key in ("revenue", "cost", "profit", "margin_pct", "avg_bill")},
            "units": summary["units"],
            "bills": summary["bills"],
            **{
                f"{key}_change_pct": text(summary["change_pct"][key]) for key in ("revenue", "profit", "units", "bills")
            },
        },
        "products": [
            {
                "id": row["product"],
                "name": row["name"],
                "sku": row["sku"],
                "units": row["units"],
                "revenue": text(row["revenue"]),
                "profit": text(row["profit"]),
                "margin_pct": text(row["margin_pct"]),
                "units_change_pct": text(row["units_change_pct"]),
                "stock": row["stock"],
                "low_stock_threshold": row["low_stock_threshold"],
                "days_of_cover": text(row["days_of_cover"]),
            }
            for row in product_table(vendor, period)[:20]
        ],
        "categories": [
            {
                "name": row["name"],
                "revenue": text(row["revenue"]),
                "profit": text(row["profit"]),
                "margin_pct": text(row["margin_pct"]),
                "bills": row["bills"],
            }
            for row in category_table(vendor, period)[:10]
        ],
        "campaigns": [
            {
                "campaign": row["campaign_title"],
                "influencer": row["influencer_name"],
                "revenue": text(row["revenue"]),
                "profit": text(row["profit"]),
                "bills": row["bills"],
            }
            for row in campaign_table(vendor, period)[:10]
        ],
    }
