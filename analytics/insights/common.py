"""What the insight builders share: the insight shape, its limits, and small number helpers."""

from decimal import Decimal
from typing import Any

from anwariya.gemini import GeminiUnavailable
from anwariya.inputs import as_decimal

KINDS = ("best_seller", "falling", "reorder", "margin", "campaign", "general")
TITLE_MAX, DETAIL_MAX, ACTION_MAX = 100, 400, 200
MIN_INSIGHTS, MAX_INSIGHTS = 3, 5

FALLING_UNITS_PCT = Decimal("-20")  # units change at or below this marks a falling product
LOW_COVER_DAYS = Decimal("7")  # fewer days of stock than this means reorder now
REORDER_COVER_DAYS = 14  # a suggested order covers this many days of average sales
MARGIN_GAP_POINTS = Decimal("15")  # this many points below the average margin is an outlier
# Unique visitors through a tracking link without a single attributed bill worth a look.
CLICKS_WITHOUT_SALES = 20


class InsightsUnavailable(GeminiUnavailable):
    """Gemini gave no usable insights; ``reason`` is short, safe to show, and names no secret."""


# --- Small helpers -----------------------------------------------------------------------------


def has_sales(facts: dict) -> bool:
    summary = facts.get("summary") or {}
    revenue = as_decimal(summary.get("revenue")) or Decimal(0)
    return revenue > 0 or any((as_int(product.get("units")) or 0) > 0 for product in facts.get("products") or [])


def make_insight(kind: str, title: str, detail: str, action: str, *, product_id: int | None = None) -> dict:
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


def as_int(value: Any) -> int | None:
    number = as_decimal(value)
    return int(number) if number is not None else None


def format_number(value: Decimal) -> str:
    """One decimal, without a trailing ".0": 3.9, 1, 12.5."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def format_days(value: Decimal) -> str:
    number = format_number(value)
    return f"{number} day" if number == "1" else f"{number} days"


def format_pct(value: Decimal) -> str:
    return f"{format_number(value)}%"
