"""Gemini, through the google-genai SDK (``anwariya.gemini``): one structured-JSON call with a timeout."""

import json
import logging

from google import genai
from google.genai import types as genai_types

from analytics.insights.common import (
    ACTION_MAX,
    DETAIL_MAX,
    KINDS,
    MAX_INSIGHTS,
    MIN_INSIGHTS,
    TITLE_MAX,
    InsightsUnavailable,
    make_insight,
)
from anwariya.gemini import GeminiUnavailable, generate_json, make_client

__all__ = ["INSIGHTS_SCHEMA", "SYSTEM_INSTRUCTION", "gemini_insights", "make_client", "parse_insights"]

logger = logging.getLogger(__name__)


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
below low_stock_threshold, or few days_of_cover, need reordering.
influencer_roi and campaign_roi weigh influencer marketing per influencer and per campaign: cost (fees, \
commission and gifted products at cost) against the revenue and profit of the bills with the referral \
code; roi_pct = (profit - cost) / cost × 100, cost_per_bill, clicks and unique_clicks on the tracking \
link, conversion_pct = bills / unique_clicks × 100. Say where influencer budget pays off and where it \
does not (cost above profit, clicks without sales), and what to change."""

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
    own_client = client is None
    try:
        if own_client:
            client = make_client(api_key, timeout)  # looked up here, so tests can hand it a fake transport
        text = generate_json(
            client,
            model=model,
            prompt=prompt,
            system_instruction=SYSTEM_INSTRUCTION,
            response_schema=INSIGHTS_SCHEMA,
            temperature=0.4,
        )
    except GeminiUnavailable as exc:
        raise InsightsUnavailable(exc.reason) from exc
    except Exception as exc:  # making the client failed: the rules answer, as for a failed call
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
            make_insight(
                kind if kind in KINDS else "general",
                texts["title"],
                texts["detail"],
                texts["action"],
                product_id=product_id if has_product else None,
            )
        )
    return insights
