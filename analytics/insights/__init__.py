"""AI marketing insights for a vendor's sales numbers.

The caller passes ``facts``: a compact, JSON-safe summary of one vendor's period (built by the
analytics selectors; money as strings, dates ISO). With ``GEMINI_API_KEY`` set, Gemini is asked
through the google-genai SDK for 3–5 recommendations as structured JSON; without a key, or on any
error or malformed answer, deterministic rules derive them from the same numbers. Results are
cached per vendor, data fingerprint, mode and model, so reloading a page does not call again.

An insight is a dict: ``kind`` (one of ``KINDS``), ``title`` (≤ 100 chars), ``detail``
(≤ 400 chars), ``action`` (≤ 200 chars, a concrete next step) and optionally ``product_id``.
"""

import hashlib
import json
import logging

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from analytics.insights import gemini
from analytics.insights.common import KINDS, InsightsUnavailable, has_sales
from analytics.insights.gemini import gemini_insights, make_client, parse_insights
from analytics.insights.rules import rule_insights

__all__ = [
    "KINDS",
    "InsightsUnavailable",
    "facts_fingerprint",
    "gemini",
    "gemini_insights",
    "insights_for_vendor",
    "make_client",
    "parse_insights",
    "rule_insights",
]

logger = logging.getLogger(__name__)

CACHE_VERSION = "v1"  # bump when the shape of a cached result changes
# A failed call is retried after this long, not after the full cache period, while a broken
# or slow Gemini still does not cost every page load the whole timeout.
FALLBACK_CACHE_SECONDS = 300


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
    elif not has_sales(facts):
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
