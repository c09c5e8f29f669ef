"""The KPI summary, the product, category, campaign and low-stock tables, and the facts behind the insights."""

from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from analytics.base import Period, in_period, paid_bills, paid_lines
from analytics.selectors.common import ZERO, cents, change_pct, margin_pct, money
from analytics.selectors.roi import campaign_roi_table, influencer_roi_table
from catalog.models import Product, low_stock_q


def sales_summary(vendor, period: Period) -> dict:
    """KPIs for the period, each with its change against the previous period of the same length."""
    previous = period.previous()
    now_q, before_q = in_period(period), in_period(previous)
    bills = (
        paid_bills(vendor)
        .filter(in_period(Period(previous.start, period.end, period.tz)))
        .aggregate(
            # Aliases must not shadow the fields they sum (Bill has cost and profit columns).
            # Revenue is the taxable value: the GST collected on top is the government's.
            sum_revenue=money(Sum("taxable_total", filter=now_q)),
            sum_tax=money(Sum("tax_total", filter=now_q)),
            sum_cost=money(Sum("cost", filter=now_q)),
            sum_profit=money(Sum("profit", filter=now_q)),
            count_bills=Count("pk", filter=now_q),
            previous_revenue=money(Sum("taxable_total", filter=before_q)),
            previous_tax=money(Sum("tax_total", filter=before_q)),
            previous_cost=money(Sum("cost", filter=before_q)),
            previous_profit=money(Sum("profit", filter=before_q)),
            previous_bills=Count("pk", filter=before_q),
        )
    )
    for key in ("revenue", "tax", "cost", "profit"):
        bills[key] = cents(bills.pop(f"sum_{key}"))
        bills[f"previous_{key}"] = cents(bills[f"previous_{key}"])
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
            "tax_collected": bills[f"{prefix}tax"],
            "cost": bills[f"{prefix}cost"],
            "profit": profit,
            "margin_pct": margin_pct(profit, revenue),
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
        "change_pct": {key: change_pct(current[key], before[key]) for key in current if key != "margin_pct"},
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
            revenue=money(Sum("taxable_value", filter=in_period(period, "bill__created_at"))),
            cost=money(Sum("line_cost", filter=in_period(period, "bill__created_at"))),
            profit=money(Sum("line_profit", filter=in_period(period, "bill__created_at"))),
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
                "revenue": cents(row["revenue"]),
                "cost": cents(row["cost"]),
                "profit": cents(row["profit"]),
                "margin_pct": margin_pct(row["profit"], row["revenue"]),
                "units_change_pct": change_pct(row["units"], row["previous_units"]),
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
            revenue=money(Sum("taxable_value")),
            profit=money(Sum("line_profit")),
            units=Coalesce(Sum("quantity"), 0),
            bills=Count("bill", distinct=True),
        )
        .order_by("-revenue")
    )
    return [
        {
            "category": row["product__category_id"],
            "name": row["product__category__name"] or "Uncategorised",
            "revenue": cents(row["revenue"]),
            "profit": cents(row["profit"]),
            "margin_pct": margin_pct(row["profit"], row["revenue"]),
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
        .annotate(revenue=money(Sum("taxable_total")), profit=money(Sum("profit")), bills=Count("pk"))
        .order_by("-revenue")
    )
    return [
        {
            "campaign": row["referral__campaign_id"],
            "campaign_title": row["referral__campaign__title"],
            "influencer": row["referral__influencer_id"],
            "influencer_name": row["referral__influencer__display_name"],
            "revenue": cents(row["revenue"]),
            "profit": cents(row["profit"]),
            "bills": row["bills"],
        }
        for row in rows
    ]


# --- Series -------------------------------------------------------------------------------


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
            **{
                key: text(summary[key])
                for key in ("revenue", "tax_collected", "cost", "profit", "margin_pct", "avg_bill")
            },
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
        # What influencer marketing cost against what it brought (analytics.selectors.roi): the
        # biggest spends first, the ones most worth judging.
        "influencer_roi": [
            {"influencer": row["influencer_name"], **_roi_facts(row, text)}
            for row in _biggest_spends(influencer_roi_table(vendor, period))
        ],
        "campaign_roi": [
            {"campaign": row["campaign_title"], **_roi_facts(row, text)}
            for row in _biggest_spends(campaign_roi_table(vendor, period))
        ],
    }


def _biggest_spends(rows, count=10):
    return sorted(rows, key=lambda row: -row["cost"])[:count]


def _roi_facts(row, text):
    return {
        **{key: text(row[key]) for key in ("cost", "revenue", "profit", "roi_pct", "cost_per_bill", "conversion_pct")},
        **{key: row[key] for key in ("bills", "clicks", "unique_clicks")},
    }
