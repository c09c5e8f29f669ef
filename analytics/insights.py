"""AI marketing insights for a vendor's sales numbers.

The caller passes ``facts``: a compact, JSON-safe summary of one vendor's period (built by the
analytics selectors; money as strings, dates ISO). With ``GEMINI_API_KEY`` set, Gemini is asked
through the google-genai SDK for 3–5 recommendations as structured JSON; without a key, or on any
error or malformed answer, deterministic rules derive them from the same numbers. Results are
cached per vendor, data fingerprint, mode and model, so reloading a page does not call again.

An insight is a dict: ``kind`` (one of ``KINDS``), ``title`` (≤ 100 chars), ``detail``
(≤ 400 chars), ``action`` (≤ 200 chars, a concrete next step) and optionally ``product_id``.
"""

import contextlib
import hashlib
import importlib
import json
import logging
import math
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from google import genai
from google.genai import errors as genai_errors
from google.genai import types as genai_types

logger = logging.getLogger(__name__)

KINDS = ("best_seller", "falling", "reorder", "margin", "campaign", "general")
TITLE_MAX, DETAIL_MAX, ACTION_MAX = 100, 400, 200
MIN_INSIGHTS, MAX_INSIGHTS = 3, 5

FALLING_UNITS_PCT = Decimal("-20")  # units change at or below this marks a falling product
LOW_COVER_DAYS = Decimal("7")  # fewer days of stock than this means reorder now
REORDER_COVER_DAYS = 14  # a suggested order covers this many days of average sales
MARGIN_GAP_POINTS = Decimal("15")  # this many points below the average margin is an outlier

CACHE_VERSION = "v1"  # bump when the shape of a cached result changes
# A failed call is retried after this long, not after the full cache period, while a broken
# or slow Gemini still does not cost every page load the whole timeout.
FALLBACK_CACHE_SECONDS = 300


def _timeout_errors() -> tuple[type[BaseException], ...]:
    """The SDK lets its HTTP library's timeouts through unwrapped; it uses httpx2 or httpx,
    whichever is installed, so recognise both."""
    errors: tuple[type[BaseException], ...] = (TimeoutError,)
    for module_name in ("httpx2", "httpx"):
        with contextlib.suppress(ImportError):
            errors += (importlib.import_module(module_name).TimeoutException,)
    return errors


_TIMEOUT_ERRORS = _timeout_errors()


class InsightsUnavailable(Exception):
    """Gemini gave no usable insights; ``reason`` is short, safe to show, and names no secret."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# --- Entry point -------------------------------------------------------------------------------


def insights_for_vendor(*, vendor_id: int, facts: dict) -> dict:
    """Insights for one vendor's facts, from Gemini when configured and working, else the rules.

    Returns ``{"source", "model", "insights", "generated_at", "cached", "fallback_reason"}``.
    Never raises for Gemini's sake: its failures become rule-based insights with a reason.
    """
    api_key = settings.GEMINI_API_KEY
    model = settings.GEMINI_MODEL
    # The mode is part of the key so that configuring a key is not masked by cached rule results.
    mode = "gemini" if api_key else "rules"
    cache_key = _cache_key(vendor_id=vendor_id, facts=facts, mode=mode, model=model if api_key else None)

    cached = _cache_get(cache_key)
    if cached is not None:
        return {**cached, "cached": True}

    cache_seconds = settings.INSIGHTS_CACHE_SECONDS
    if not api_key:
        result = _rules_result(facts, reason="no GEMINI_API_KEY")
    elif not _has_sales(facts):
        # Nothing to analyse: the first-steps insights are as good and cost no tokens.
        result = _rules_result(facts, reason="no sales in the period")
    else:
        try:
            insights = gemini_insights(facts, api_key=api_key, model=model, timeout=settings.GEMINI_TIMEOUT_SECONDS)
        except InsightsUnavailable as exc:
            logger.warning("AI insights for vendor %s fell back to rules: %s", vendor_id, exc.reason)
            result = _rules_result(facts, reason=exc.reason)
            cache_seconds = min(cache_seconds, FALLBACK_CACHE_SECONDS)
        else:
            result = _result(source="gemini", model=model, insights=insights, reason=None)

    _cache_set(cache_key, result, cache_seconds)
    return result


def _result(*, source: str, model: str | None, insights: list[dict], reason: str | None) -> dict:
    return {
        "source": source,
        "model": model,
        "insights": insights,
        "generated_at": timezone.now().isoformat(),
        "cached": False,
        "fallback_reason": reason,
    }


def _rules_result(facts: dict, *, reason: str) -> dict:
    return _result(source="rules", model=None, insights=rule_insights(facts), reason=reason)


def facts_fingerprint(facts: dict) -> str:
    """sha256 of the canonical JSON of ``facts``: equal numbers give an equal fingerprint."""
    canonical = json.dumps(facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _cache_key(*, vendor_id: int, facts: dict, mode: str, model: str | None) -> str:
    return f"analytics:insights:{CACHE_VERSION}:{vendor_id}:{mode}:{model or '-'}:{facts_fingerprint(facts)}"


# The cache only saves work: if it is down, insights are still computed and shown.
def _cache_get(key: str) -> dict | None:
    try:
        return cache.get(key)
    except Exception:  # any cache backend failure
        logger.warning("insights cache read failed", exc_info=True)
        return None


def _cache_set(key: str, value: dict, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception:  # any cache backend failure
        logger.warning("insights cache write failed", exc_info=True)


# --- Gemini ------------------------------------------------------------------------------------

SYSTEM_INSTRUCTION = f"""You are a marketing analyst for a small online shop that sells through its own \
store and influencer campaigns. From the sales facts you are given, write {MIN_INSIGHTS} to {MAX_INSIGHTS} \
concrete marketing recommendations. Use only the numbers given and quote them; never invent data.
Each recommendation has:
- kind: best_seller, falling, reorder, margin, campaign or general;
- title: at most {TITLE_MAX} characters;
- detail: at most {DETAIL_MAX} characters, the numbers behind it;
- action: at most {ACTION_MAX} characters, one concrete step the vendor can take this week;
- product_id: the id of the product it is about, or null.
Changes (*_change_pct) compare with the previous period of the same length. Products with stock at or \
below low_stock_threshold, or few days_of_cover, need reordering."""

_TEXT = genai_types.Type.STRING
INSIGHTS_SCHEMA = genai_types.Schema(
    type=genai_types.Type.ARRAY,
    min_items=MIN_INSIGHTS,
    max_items=MAX_INSIGHTS,
    items=genai_types.Schema(
        type=genai_types.Type.OBJECT,
        properties={
            "kind": genai_types.Schema(type=_TEXT, enum=list(KINDS)),
            "title": genai_types.Schema(type=_TEXT, max_length=TITLE_MAX),
            "detail": genai_types.Schema(type=_TEXT, max_length=DETAIL_MAX),
            "action": genai_types.Schema(type=_TEXT, max_length=ACTION_MAX),
            "product_id": genai_types.Schema(type=genai_types.Type.INTEGER, nullable=True),
        },
        required=["kind", "title", "detail", "action"],
        property_ordering=["kind", "title", "detail", "action", "product_id"],
    ),
)


def make_client(api_key: str, timeout: float, *, client_args: dict[str, Any] | None = None) -> genai.Client:
    """A Gemini API client whose every request gives up after ``timeout`` seconds.

    ``client_args`` go to the SDK's HTTP client (e.g. a proxy, or the fake transport in tests).
    No retries (the SDK default): a page is waiting, and the rules are the fallback.
    """
    # The SDK takes milliseconds and reads 0 as "no timeout", so never pass 0.
    http_options = genai_types.HttpOptions(timeout=max(int(timeout * 1000), 1), client_args=client_args)
    # vertexai=False: an environment variable must not send the key to another backend.
    return genai.Client(api_key=api_key, vertexai=False, http_options=http_options)


def gemini_insights(
    facts: dict, *, api_key: str, model: str, timeout: float, client: genai.Client | None = None
) -> list[dict]:
    """Ask Gemini for 3–5 insights on ``facts``; raise ``InsightsUnavailable`` on anything wrong.

    ``client`` is an already configured client (its own key and timeout apply); without one, a
    client is made with ``make_client`` and closed afterwards.
    """
    prompt = "Sales facts (JSON; money in the given currency):\n" + json.dumps(
        facts, separators=(",", ":"), ensure_ascii=False, default=str
    )
    config = genai_types.GenerateContentConfig(
        system_instruction=SYSTEM_INSTRUCTION,
        response_mime_type="application/json",
        response_schema=INSIGHTS_SCHEMA,
        temperature=0.4,
    )
    own_client = client is None
    try:
        if own_client:
            client = make_client(api_key, timeout)
        response = client.models.generate_content(model=model, contents=prompt, config=config)
        text = response.text
    except _TIMEOUT_ERRORS as exc:
        raise InsightsUnavailable("timeout") from exc
    except genai_errors.APIError as exc:
        raise InsightsUnavailable(f"Gemini API error {exc.code}") from exc
    except Exception as exc:  # the SDK and its HTTP library raise many types; none may reach the page
        raise InsightsUnavailable(f"Gemini call failed ({type(exc).__name__})") from exc
    finally:
        if own_client and client is not None:
            client.close()
    product_ids = {product.get("id") for product in facts.get("products") or []}
    return parse_insights(text, product_ids=product_ids)


def parse_insights(text: str | None, *, product_ids: set) -> list[dict]:
    """Strictly validate Gemini's JSON answer into insights; raise ``InsightsUnavailable`` if unusable.

    Over-long texts are clipped and unknown kinds become "general": the advice is still good.
    A ``product_id`` is kept only if it names a product in the facts.
    """
    if not text or not text.strip():
        raise InsightsUnavailable("empty answer")
    try:
        items = json.loads(text)
    except ValueError as exc:
        raise InsightsUnavailable("malformed answer") from exc
    if not isinstance(items, list) or not MIN_INSIGHTS <= len(items) <= MAX_INSIGHTS:
        count = len(items) if isinstance(items, list) else type(items).__name__
        raise InsightsUnavailable(f"wrong shape: expected {MIN_INSIGHTS}–{MAX_INSIGHTS} insights, got {count}")
    insights = []
    for item in items:
        if not isinstance(item, dict):
            raise InsightsUnavailable("wrong shape: an insight is not an object")
        texts = {field: item.get(field) for field in ("title", "detail", "action")}
        missing = [field for field, value in texts.items() if not isinstance(value, str) or not value.strip()]
        if missing:
            raise InsightsUnavailable(f"wrong shape: an insight lacks {', '.join(missing)}")
        kind = item.get("kind")
        product_id = item.get("product_id")
        has_product = isinstance(product_id, int) and not isinstance(product_id, bool) and product_id in product_ids
        insights.append(
            _insight(
                kind if kind in KINDS else "general",
                texts["title"],
                texts["detail"],
                texts["action"],
                product_id=product_id if has_product else None,
            )
        )
    return insights


# --- Rules -------------------------------------------------------------------------------------


def rule_insights(facts: dict) -> list[dict]:
    """3–5 deterministic insights from the numbers alone; the same facts give the same insights.

    One insight per finding, in this order: best seller, most falling product, most urgent
    reorder, worst margin outlier, best campaign; general observations fill up to three.
    With no sales at all, first steps for a new shop.
    """
    if not _has_sales(facts):
        return _first_steps()
    parsed = _Facts(facts)
    found = [
        insight
        for insight in (
            _best_seller(parsed),
            _falling(parsed),
            _reorder(parsed),
            _margin_outlier(parsed),
            _best_campaign(parsed),
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
        self.days = max(_int((raw.get("period") or {}).get("days")) or 0, 1)
        self.revenue = _decimal(summary.get("revenue")) or Decimal(0)
        self.profit = _decimal(summary.get("profit")) or Decimal(0)
        self.margin = _decimal(summary.get("margin_pct"))
        if self.margin is None and self.revenue > 0:
            self.margin = self.profit * 100 / self.revenue
        self.bills = _int(summary.get("bills")) or 0
        self.avg_bill = _decimal(summary.get("avg_bill"))
        self.revenue_change = _decimal(summary.get("revenue_change_pct"))
        products = [_product(product) for product in raw.get("products") or []]
        # Ties broken by id so the order never depends on the input's order.
        self.products = sorted(products, key=lambda product: (-product["revenue"], product["id"] or 0))
        self.categories = sorted(
            (
                {**category, "revenue": _decimal(category.get("revenue")) or Decimal(0)}
                for category in raw.get("categories") or []
            ),
            key=lambda category: (-category["revenue"], str(category.get("name"))),
        )
        self.campaigns = sorted(
            (
                {
                    **campaign,
                    "revenue": _decimal(campaign.get("revenue")) or Decimal(0),
                    "profit": _decimal(campaign.get("profit")) or Decimal(0),
                }
                for campaign in raw.get("campaigns") or []
            ),
            key=lambda campaign: (-campaign["revenue"], str(campaign.get("campaign"))),
        )

    def money(self, amount: Decimal) -> str:
        return f"{self.currency} {amount:,.0f}".strip()


def _product(raw: dict) -> dict:
    return {
        "id": _int(raw.get("id")),
        "name": str(raw.get("name") or raw.get("sku") or "A product"),
        "units": _int(raw.get("units")) or 0,
        "revenue": _decimal(raw.get("revenue")) or Decimal(0),
        "profit": _decimal(raw.get("profit")) or Decimal(0),
        "margin": _decimal(raw.get("margin_pct")),
        "units_change": _decimal(raw.get("units_change_pct")),
        "stock": _int(raw.get("stock")),
        "threshold": _int(raw.get("low_stock_threshold")),
        "cover": _decimal(raw.get("days_of_cover")),
    }


def _best_seller(facts: _Facts) -> dict | None:
    selling = [product for product in facts.products if product["revenue"] > 0]
    if not selling:
        return None
    top = selling[0]
    share = f" ({_pct(top['revenue'] * 100 / facts.revenue)} of revenue)" if facts.revenue > 0 else ""
    margin = f" at a {_pct(top['margin'])} margin" if top["margin"] is not None else ""
    return _insight(
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
    drop = _pct(-worst["units_change"])
    detail = f"Units sold fell {drop} against the previous {facts.days} days, to {worst['units']}."
    if others:
        detail += " Also falling: " + ", ".join(f"{p['name']} ({_pct(p['units_change'])})" for p in others) + "."
    best = facts.products[0]["name"] if facts.products and facts.products[0]["id"] != worst["id"] else None
    bundle = f" or bundle it with {best}" if best else ""
    return _insight(
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
        below_threshold = product["threshold"] is not None and product["stock"] <= product["threshold"]
        if below_threshold or cover < LOW_COVER_DAYS:
            quantity = max(math.ceil(daily * REORDER_COVER_DAYS), 1)
            low.append({**product, "daily": daily, "days_left": cover, "quantity": quantity})
    if not low:
        return None
    low.sort(key=lambda product: (product["days_left"], product["stock"], product["id"] or 0))
    first, others = low[0], low[1:3]
    detail = (
        f"{first['stock']} left, about {_days(first['days_left'])} of cover at {_number(first['daily'])} sold a day."
    )
    if others:
        detail += " Also low: " + ", ".join(f"{p['name']} (order ~{p['quantity']})" for p in others) + "."
    return _insight(
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
    return _insight(
        "margin",
        title,
        f"{worst['name']}'s margin is {_pct(worst['margin'])} ({facts.money(worst['profit'])} profit on "
        f"{facts.money(worst['revenue'])}), against your average of {_pct(facts.margin)}.",
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
    return _insight(
        "campaign",
        f"{name} is your best campaign",
        f"{name}{with_influencer} brought {facts.money(best['revenue'])} in revenue and "
        f"{facts.money(best['profit'])} in profit from {_int(best.get('bills')) or 0} bills.",
        f"Plan a follow-up campaign with {partner}, built around your best seller.",
    )


def _general(facts: _Facts) -> list[dict]:
    """General observations, most specific first, used to reach three insights."""
    general = []
    if facts.revenue_change is not None and facts.revenue_change != 0:
        fell = facts.revenue_change < 0
        general.append(
            _insight(
                "general",
                f"Revenue {'fell' if fell else 'rose'} {_pct(abs(facts.revenue_change))}",
                f"Revenue was {facts.money(facts.revenue)} over {facts.days} days, "
                f"{_pct(abs(facts.revenue_change))} {'below' if fell else 'above'} the previous period.",
                "Plan a promotion on your top products this week to win sales back."
                if fell
                else "Keep the momentum: restock your best sellers and repeat what worked.",
            )
        )
    if not facts.campaigns or facts.campaigns[0]["revenue"] <= 0:
        general.append(
            _insight(
                "general",
                "No campaign has brought sales yet",
                "None of this period's sales came through an influencer campaign.",
                "Open a campaign and invite influencers in your niche to promote your best seller.",
            )
        )
    if facts.categories and facts.categories[0]["revenue"] > 0:
        top = facts.categories[0]
        general.append(
            _insight(
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
            _insight(
                "general",
                f"Average bill is {facts.money(facts.avg_bill)}",
                f"{facts.bills} bills averaged {facts.money(facts.avg_bill)} over {facts.days} days.",
                f"Offer a bundle or free delivery on orders above {facts.money(target)} to raise it.",
            )
        )
    # Always true, so that three insights can always be given.
    general.append(
        _insight(
            "general",
            "Turn buyers into repeat customers",
            "Every buyer this period is a chance for a second order, which costs far less than a new customer.",
            "Add a thank-you note with a discount code for the next order to every bill this week.",
        )
    )
    general.append(
        _insight(
            "general",
            "Keep product costs and stock up to date",
            "Margins and reorder advice are only as good as the cost prices and stock counts behind them.",
            "Check that every product has its cost price, stock and low-stock threshold filled in.",
        )
    )
    return general


def _first_steps() -> list[dict]:
    return [
        _insight(
            "general",
            "Record your first sale",
            "There are no sales in this period yet, so there is nothing to analyse.",
            "Create a bill for your next order so revenue, profit and stock are tracked from day one.",
        ),
        _insight(
            "general",
            "Complete your product catalogue",
            "Products with a cost price, stock and low-stock threshold give you margin and reorder advice.",
            "Add your products with price, cost price and stock, and set a low-stock threshold for each.",
        ),
        _insight(
            "general",
            "Open your first campaign",
            "Influencer campaigns bring new customers, and their sales are tracked here per campaign.",
            "Open a campaign for your best product and invite influencers in your niche.",
        ),
    ]


# --- Small helpers -----------------------------------------------------------------------------


def _has_sales(facts: dict) -> bool:
    summary = facts.get("summary") or {}
    revenue = _decimal(summary.get("revenue")) or Decimal(0)
    return revenue > 0 or any((_int(product.get("units")) or 0) > 0 for product in facts.get("products") or [])


def _insight(kind: str, title: str, detail: str, action: str, *, product_id: int | None = None) -> dict:
    insight = {
        "kind": kind,
        "title": _clip(title, TITLE_MAX),
        "detail": _clip(detail, DETAIL_MAX),
        "action": _clip(action, ACTION_MAX),
    }
    if product_id is not None:
        insight["product_id"] = product_id
    return insight


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _int(value: Any) -> int | None:
    number = _decimal(value)
    return int(number) if number is not None else None


def _number(value: Decimal) -> str:
    """One decimal, without a trailing ".0": 3.9, 1, 12.5."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _days(value: Decimal) -> str:
    number = _number(value)
    return f"{number} day" if number == "1" else f"{number} days"


def _pct(value: Decimal) -> str:
    return f"{_number(value)}%"
