"""Deterministic insights from the numbers alone: no network, same input, same answer."""

import math
from decimal import Decimal

from analytics.insights.common import (
    CLICKS_WITHOUT_SALES,
    FALLING_UNITS_PCT,
    LOW_COVER_DAYS,
    MARGIN_GAP_POINTS,
    MAX_INSIGHTS,
    MIN_INSIGHTS,
    REORDER_COVER_DAYS,
    as_int,
    format_days,
    format_number,
    format_pct,
    has_sales,
    make_insight,
)
from anwariya.inputs import as_decimal
from catalog.models import is_low_stock

# --- Rules -------------------------------------------------------------------------------------


def rule_insights(facts: dict) -> list[dict]:
    """3–5 deterministic insights from the numbers alone; the same facts give the same insights.

    One insight per finding, in this order: best seller, most falling product, most urgent
    reorder, the influencer who cost most beyond the profit they brought, worst margin outlier,
    the influencer with the best return (else the best campaign by revenue), the tracking link
    with most clicks and no sale; general observations fill up to three. With no sales at all,
    the influencer findings that apply, then first steps for a new shop.
    """
    parsed = _Facts(facts)
    if not has_sales(facts):
        spent = [insight for insight in (_costly_influencer(parsed), _clicks_without_sales(parsed)) if insight]
        return (spent + _first_steps())[:MAX_INSIGHTS]
    found = [
        insight
        for insight in (
            _best_seller(parsed),
            _falling(parsed),
            _reorder(parsed),
            _costly_influencer(parsed),
            _margin_outlier(parsed),
            _best_influencer(parsed) or _best_campaign(parsed),
            _clicks_without_sales(parsed),
        )
        if insight is not None
    ]
    for general in _general(parsed):
        if len(found) >= MIN_INSIGHTS:
            break
        found.append(general)
    return found[:MAX_INSIGHTS]


class _Facts:
    """The facts with numbers parsed and products ordered, tolerant of missing keys."""

    def __init__(self, raw: dict):
        summary = raw.get("summary") or {}
        self.currency = raw.get("currency") or ""
        self.days = max(as_int((raw.get("period") or {}).get("days")) or 0, 1)
        self.revenue = as_decimal(summary.get("revenue")) or Decimal(0)
        self.profit = as_decimal(summary.get("profit")) or Decimal(0)
        self.margin = as_decimal(summary.get("margin_pct"))
        if self.margin is None and self.revenue > 0:
            self.margin = self.profit * 100 / self.revenue
        self.bills = as_int(summary.get("bills")) or 0
        self.avg_bill = as_decimal(summary.get("avg_bill"))
        self.revenue_change = as_decimal(summary.get("revenue_change_pct"))
        products = [_product(product) for product in raw.get("products") or []]
        # Ties broken by id so the order never depends on the input's order.
        self.products = sorted(products, key=lambda product: (-product["revenue"], product["id"] or 0))
        self.categories = sorted(
            (
                {**category, "revenue": as_decimal(category.get("revenue")) or Decimal(0)}
                for category in raw.get("categories") or []
            ),
            key=lambda category: (-category["revenue"], str(category.get("name"))),
        )
        self.campaigns = sorted(
            (
                {
                    **campaign,
                    "revenue": as_decimal(campaign.get("revenue")) or Decimal(0),
                    "profit": as_decimal(campaign.get("profit")) or Decimal(0),
                }
                for campaign in raw.get("campaigns") or []
            ),
            key=lambda campaign: (-campaign["revenue"], str(campaign.get("campaign"))),
        )
        self.influencers = sorted(
            (_influencer(row) for row in raw.get("influencer_roi") or []),
            key=lambda row: (-row["cost"], row["name"]),
        )

    def money(self, amount: Decimal) -> str:
        return f"{self.currency} {amount:,.0f}".strip()


def _influencer(raw: dict) -> dict:
    """What an influencer cost and brought (``influencer_roi``), parsed."""
    return {
        "name": str(raw.get("influencer") or "An influencer"),
        **{key: as_decimal(raw.get(key)) or Decimal(0) for key in ("cost", "revenue", "profit")},
        "roi": as_decimal(raw.get("roi_pct")),
        "bills": as_int(raw.get("bills")) or 0,
        "unique_clicks": as_int(raw.get("unique_clicks")) or 0,
    }


def _product(raw: dict) -> dict:
    return {
        "id": as_int(raw.get("id")),
        "name": str(raw.get("name") or raw.get("sku") or "A product"),
        "units": as_int(raw.get("units")) or 0,
        "revenue": as_decimal(raw.get("revenue")) or Decimal(0),
        "profit": as_decimal(raw.get("profit")) or Decimal(0),
        "margin": as_decimal(raw.get("margin_pct")),
        "units_change": as_decimal(raw.get("units_change_pct")),
        "stock": as_int(raw.get("stock")),
        "threshold": as_int(raw.get("low_stock_threshold")),
        "cover": as_decimal(raw.get("days_of_cover")),
    }


def _best_seller(facts: _Facts) -> dict | None:
    selling = [product for product in facts.products if product["revenue"] > 0]
    if not selling:
        return None
    top = selling[0]
    share = f" ({format_pct(top['revenue'] * 100 / facts.revenue)} of revenue)" if facts.revenue > 0 else ""
    margin = f" at a {format_pct(top['margin'])} margin" if top["margin"] is not None else ""
    return make_insight(
        "best_seller",
        f"{top['name']} is your best seller",
        f"{top['name']} brought in {facts.money(top['revenue'])} from {top['units']} units{share}{margin}.",
        f"Feature {top['name']} on your storefront and in your next campaign, and keep it in stock.",
        product_id=top["id"],
    )


def _falling(facts: _Facts) -> dict | None:
    falling = sorted(
        (
            product
            for product in facts.products
            if product["units_change"] is not None and product["units_change"] <= FALLING_UNITS_PCT
        ),
        key=lambda product: (product["units_change"], -product["revenue"], product["id"] or 0),
    )
    if not falling:
        return None
    worst, others = falling[0], falling[1:3]
    drop = format_pct(-worst["units_change"])
    detail = f"Units sold fell {drop} against the previous {facts.days} days, to {worst['units']}."
    if others:
        detail += " Also falling: " + ", ".join(f"{p['name']} ({format_pct(p['units_change'])})" for p in others) + "."
    best = facts.products[0]["name"] if facts.products and facts.products[0]["id"] != worst["id"] else None
    bundle = f" or bundle it with {best}" if best else ""
    return make_insight(
        "falling",
        f"{worst['name']} sales fell {drop}",
        detail,
        f"Check {worst['name']}'s price, photos and reviews, and try a short discount{bundle}.",
        product_id=worst["id"],
    )


def _reorder(facts: _Facts) -> dict | None:
    low = []
    for product in facts.products:
        if product["units"] <= 0 or product["stock"] is None:
            continue  # an item that is not selling needs no urgent reorder
        daily = Decimal(product["units"]) / facts.days
        cover = product["cover"] if product["cover"] is not None else Decimal(max(product["stock"], 0)) / daily
        below_threshold = product["threshold"] is not None and is_low_stock(product["stock"], product["threshold"])
        if below_threshold or cover < LOW_COVER_DAYS:
            quantity = max(math.ceil(daily * REORDER_COVER_DAYS), 1)
            low.append({**product, "daily": daily, "days_left": cover, "quantity": quantity})
    if not low:
        return None
    low.sort(key=lambda product: (product["days_left"], product["stock"], product["id"] or 0))
    first, others = low[0], low[1:3]
    cover, daily = format_days(first["days_left"]), format_number(first["daily"])
    detail = f"{first['stock']} left, about {cover} of cover at {daily} sold a day."
    if others:
        detail += " Also low: " + ", ".join(f"{p['name']} (order ~{p['quantity']})" for p in others) + "."
    return make_insight(
        "reorder",
        f"Reorder {first['name']}: about {first['quantity']} units",
        detail,
        f"Order about {first['quantity']} units of {first['name']} to cover {REORDER_COVER_DAYS} days of sales.",
        product_id=first["id"],
    )


def _margin_outlier(facts: _Facts) -> dict | None:
    if facts.margin is None:
        return None
    outliers = sorted(
        (
            product
            for product in facts.products
            if product["revenue"] > 0
            and product["margin"] is not None
            and (product["margin"] < 0 or product["margin"] <= facts.margin - MARGIN_GAP_POINTS)
        ),
        key=lambda product: (product["margin"], -product["revenue"], product["id"] or 0),
    )
    if not outliers:
        return None
    worst = outliers[0]
    title = f"{worst['name']} sells at a loss" if worst["margin"] < 0 else f"{worst['name']} earns a thin margin"
    return make_insight(
        "margin",
        title,
        f"{worst['name']}'s margin is {format_pct(worst['margin'])} ({facts.money(worst['profit'])} profit on "
        f"{facts.money(worst['revenue'])}), against your average of {format_pct(facts.margin)}.",
        f"Raise {worst['name']}'s price or renegotiate its cost, and stop discounting it until the margin recovers.",
        product_id=worst["id"],
    )


def _best_campaign(facts: _Facts) -> dict | None:
    if not facts.campaigns or facts.campaigns[0]["revenue"] <= 0:
        return None
    best = facts.campaigns[0]
    name = best.get("campaign") or "A campaign"
    influencer = best.get("influencer")
    with_influencer = f" with {influencer}" if influencer else ""
    partner = influencer or "the same influencers"
    return make_insight(
        "campaign",
        f"{name} is your best campaign",
        f"{name}{with_influencer} brought {facts.money(best['revenue'])} in revenue and "
        f"{facts.money(best['profit'])} in profit from {as_int(best.get('bills')) or 0} bills.",
        f"Plan a follow-up campaign with {partner}, built around your best seller.",
    )


def _costly_influencer(facts: _Facts) -> dict | None:
    """The influencer whose cost most exceeds the profit their sales brought."""
    losing = sorted(
        (row for row in facts.influencers if row["cost"] > 0 and row["profit"] < row["cost"]),
        key=lambda row: (row["profit"] - row["cost"], row["name"]),
    )
    if not losing:
        return None
    worst = losing[0]
    name = worst["name"]
    if worst["bills"]:
        brought = f"brought {facts.money(worst['profit'])} in profit from {worst['bills']} bills"
        if worst["roi"] is not None:
            brought += f" (ROI {format_pct(worst['roi'])})"
    else:
        brought = "brought no sale with their code yet"
    best = _best_influencer_row(facts)
    if best is not None and best["name"] != name:
        action = (
            f"Move budget from {name} to {best['name']} (ROI {format_pct(best['roi'])}), or pay {name} more "
            "on commission and less as a fee."
        )
    else:
        action = f"Pay {name} more on commission and less as a fee or gifts, so you pay for the sales they bring."
    return make_insight(
        "campaign",
        f"{name} cost more than they brought",
        f"{name} cost {facts.money(worst['cost'])} in fees, commission and gifts over {facts.days} days and {brought}.",
        action,
    )


def _best_influencer_row(facts: _Facts) -> dict | None:
    paying = [row for row in facts.influencers if row["cost"] > 0 and row["roi"] is not None and row["roi"] > 0]
    if not paying:
        return None
    return sorted(paying, key=lambda row: (-row["roi"], -row["profit"], row["name"]))[0]


def _best_influencer(facts: _Facts) -> dict | None:
    """The influencer with the best return on what they cost."""
    best = _best_influencer_row(facts)
    if best is None:
        return None
    name = best["name"]
    return make_insight(
        "campaign",
        f"{name} returns {format_pct(best['roi'])} on what they cost",
        f"{name} cost {facts.money(best['cost'])} and brought {facts.money(best['revenue'])} in revenue and "
        f"{facts.money(best['profit'])} in profit from {best['bills']} bills.",
        f"Plan another collaboration with {name}, built around your best seller.",
    )


def _clicks_without_sales(facts: _Facts) -> dict | None:
    """The tracking link with most unique visitors and not one attributed bill."""
    idle = sorted(
        (row for row in facts.influencers if row["bills"] == 0 and row["unique_clicks"] >= CLICKS_WITHOUT_SALES),
        key=lambda row: (-row["unique_clicks"], row["name"]),
    )
    if not idle:
        return None
    row = idle[0]
    name = row["name"]
    return make_insight(
        "campaign",
        f"{name}'s link got {row['unique_clicks']} visitors but no sale",
        f"{row['unique_clicks']} unique visitors came through {name}'s tracking link in {facts.days} days, and "
        "none of them bought with the referral code.",
        f"Check the page {name}'s link opens, and give their followers a reason to use the code, such as a "
        "first-order discount.",
    )


def _general(facts: _Facts) -> list[dict]:
    """General observations, most specific first, used to reach three insights."""
    general = []
    if facts.revenue_change is not None and facts.revenue_change != 0:
        fell = facts.revenue_change < 0
        general.append(
            make_insight(
                "general",
                f"Revenue {'fell' if fell else 'rose'} {format_pct(abs(facts.revenue_change))}",
                f"Revenue was {facts.money(facts.revenue)} over {facts.days} days, "
                f"{format_pct(abs(facts.revenue_change))} {'below' if fell else 'above'} the previous period.",
                "Plan a promotion on your top products this week to win sales back."
                if fell
                else "Keep the momentum: restock your best sellers and repeat what worked.",
            )
        )
    if not facts.campaigns or facts.campaigns[0]["revenue"] <= 0:
        general.append(
            make_insight(
                "general",
                "No campaign has brought sales yet",
                "None of this period's sales came through an influencer campaign.",
                "Open a campaign and invite influencers in your niche to promote your best seller.",
            )
        )
    if facts.categories and facts.categories[0]["revenue"] > 0:
        top = facts.categories[0]
        general.append(
            make_insight(
                "general",
                f"{top.get('name')} is your strongest category",
                f"{top.get('name')} brought in {facts.money(top['revenue'])} of your "
                f"{facts.money(facts.revenue)} revenue.",
                f"Add one or two new products to {top.get('name')} and feature the category on your storefront.",
            )
        )
    if facts.avg_bill and facts.avg_bill > 0 and facts.bills > 0:
        # A bundle threshold about a fifth above today's average bill, rounded up to a hundred.
        target = Decimal(math.ceil(facts.avg_bill * Decimal("1.2") / 100) * 100)
        general.append(
            make_insight(
                "general",
                f"Average bill is {facts.money(facts.avg_bill)}",
                f"{facts.bills} bills averaged {facts.money(facts.avg_bill)} over {facts.days} days.",
                f"Offer a bundle or free delivery on orders above {facts.money(target)} to raise it.",
            )
        )
    # Always true, so that three insights can always be given.
    general.append(
        make_insight(
            "general",
            "Turn buyers into repeat customers",
            "Every buyer this period is a chance for a second order, which costs far less than a new customer.",
            "Add a thank-you note with a discount code for the next order to every bill this week.",
        )
    )
    general.append(
        make_insight(
            "general",
            "Keep product costs and stock up to date",
            "Margins and reorder advice are only as good as the cost prices and stock counts behind them.",
            "Check that every product has its cost price, stock and low-stock threshold filled in.",
        )
    )
    return general


def _first_steps() -> list[dict]:
    return [
        make_insight(
            "general",
            "Record your first sale",
            "There are no sales in this period yet, so there is nothing to analyse.",
            "Create a bill for your next order so revenue, profit and stock are tracked from day one.",
        ),
        make_insight(
            "general",
            "Complete your product catalogue",
            "Products with a cost price, stock and low-stock threshold give you margin and reorder advice.",
            "Add your products with price, cost price and stock, and set a low-stock threshold for each.",
        ),
        make_insight(
            "general",
            "Open your first campaign",
            "Influencer campaigns bring new customers, and their sales are tracked here per campaign.",
            "Open a campaign for your best product and invite influencers in your niche.",
        ),
    ]
