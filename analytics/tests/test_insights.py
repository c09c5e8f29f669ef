"""AI marketing insights: Gemini through the real google-genai SDK against a fake HTTP endpoint,
the cache, and the rule-based fallback.

The fake endpoint is an ``httpx2.MockTransport`` (httpx2 is the HTTP library google-genai 3.x
uses) handed to the SDK through ``HttpOptions.client_args``: the SDK builds its own HTTP client,
request, headers, URL and JSON body exactly as in production; only the socket is replaced.
"""

import copy
import functools
import json
import logging

import httpx2
import pytest

from analytics import insights
from analytics.insights import InsightsUnavailable, gemini_insights, insights_for_vendor, rule_insights
from anwariya.tests.gemini import MODEL, FakeGeminiEndpoint, gemini_reply

REAL_MAKE_CLIENT = insights.gemini.make_client

FACTS = {
    "currency": "INR",
    "period": {"start": "2026-10-01", "end": "2026-10-31", "days": 31},
    "summary": {
        "revenue": "125000.00",
        "cost": "80000.00",
        "profit": "45000.00",
        "margin_pct": "36.0",
        "units": 410,
        "bills": 150,
        "avg_bill": "833.33",
        "revenue_change_pct": "-12.5",
        "profit_change_pct": "-8.0",
        "units_change_pct": "-10.0",
        "bills_change_pct": None,
    },
    "products": [
        # Best seller, and nearly out of stock.
        {
            "id": 3,
            "name": "Masala Chai 250g",
            "sku": "CHAI-250",
            "units": 120,
            "revenue": "23880.00",
            "profit": "9480.00",
            "margin_pct": "39.7",
            "units_change_pct": "10.0",
            "stock": 4,
            "low_stock_threshold": 5,
            "days_of_cover": "1.0",
        },
        # Sells well at a margin far below the average.
        {
            "id": 7,
            "name": "Ginger Honey 100g",
            "sku": "GH-100",
            "units": 100,
            "revenue": "15000.00",
            "profit": "1200.00",
            "margin_pct": "8.0",
            "units_change_pct": "-5.0",
            "stock": 80,
            "low_stock_threshold": 5,
            "days_of_cover": "24.8",
        },
        # Falling.
        {
            "id": 9,
            "name": "Cardamom Tin",
            "sku": "CARD-TIN",
            "units": 30,
            "revenue": "9000.00",
            "profit": "3600.00",
            "margin_pct": "40.0",
            "units_change_pct": "-35.0",
            "stock": 50,
            "low_stock_threshold": 5,
            "days_of_cover": "51.7",
        },
        # Unremarkable.
        {
            "id": 11,
            "name": "Green Tea 100g",
            "sku": "GT-100",
            "units": 20,
            "revenue": "4000.00",
            "profit": "1600.00",
            "margin_pct": "40.0",
            "units_change_pct": None,
            "stock": 10,
            "low_stock_threshold": 3,
            "days_of_cover": "15.5",
        },
    ],
    "categories": [
        {"name": "Tea", "revenue": "36880.00", "profit": "14560.00", "margin_pct": "39.5", "bills": 90},
        {"name": "Honey", "revenue": "15000.00", "profit": "1200.00", "margin_pct": "8.0", "bills": 40},
    ],
    "campaigns": [
        {"campaign": "Monsoon sips", "influencer": "Kabir Rao", "revenue": "7000.00", "profit": "2500.00", "bills": 5},
        {"campaign": "Diwali launch", "influencer": "Ira Sen", "revenue": "18000.00", "profit": "6500.00", "bills": 9},
    ],
}

NO_SALES = {
    "currency": "INR",
    "period": {"start": "2026-10-01", "end": "2026-10-31", "days": 31},
    "summary": {"revenue": "0.00", "cost": "0.00", "profit": "0.00", "margin_pct": "0.0", "units": 0, "bills": 0},
    "products": [],
    "categories": [],
    "campaigns": [],
}

GOOD_ANSWER = [
    {
        "kind": "reorder",
        "title": "Restock Masala Chai 250g now",
        "detail": "Only 4 left with about 1 day of cover; it sells about 3.9 a day.",
        "action": "Order 55 units of Masala Chai 250g today.",
        "product_id": 3,
    },
    {
        "kind": "campaign",
        "title": "Repeat the Diwali launch with Ira Sen",
        "detail": "Diwali launch brought INR 18,000 from 9 bills, the best of your campaigns.",
        "action": "Book a follow-up post with Ira Sen featuring Masala Chai.",
        "product_id": None,
    },
    {
        "kind": "margin",
        "title": "Ginger Honey earns only 8%",
        "detail": "Ginger Honey 100g makes an 8% margin against your 36% average.",
        "action": "Raise its price by INR 20 or bundle it with Masala Chai.",
        "product_id": 7,
    },
]


@pytest.fixture
def gemini(monkeypatch, settings):
    """Gemini configured, with the SDK's client built by the production factory plus the fake transport."""
    settings.GEMINI_API_KEY = "test-key"
    settings.GEMINI_MODEL = MODEL
    settings.GEMINI_TIMEOUT_SECONDS = 3
    endpoint = FakeGeminiEndpoint(GOOD_ANSWER)
    monkeypatch.setattr(
        insights.gemini,
        "make_client",
        functools.partial(REAL_MAKE_CLIENT, client_args={"transport": endpoint.transport()}),
    )
    return endpoint


def changed(facts, **summary):
    facts = copy.deepcopy(facts)
    facts["summary"].update(summary)
    return facts


# --- Gemini through the SDK --------------------------------------------------------------------


def test_good_answer_comes_from_gemini(gemini):
    result = insights_for_vendor(vendor_id=1, facts=FACTS)

    assert result["source"] == "gemini"
    assert result["model"] == MODEL
    assert result["cached"] is False
    assert result["fallback_reason"] is None
    assert result["generated_at"]
    # product_id null is dropped; everything else is the answer as given.
    assert result["insights"] == [
        GOOD_ANSWER[0],
        {key: value for key, value in GOOD_ANSWER[1].items() if key != "product_id"},
        GOOD_ANSWER[2],
    ]


def test_request_carries_model_key_timeout_schema_and_facts(gemini):
    insights_for_vendor(vendor_id=1, facts=FACTS)

    [request] = gemini.requests
    assert request.method == "POST"
    assert request.url.path.endswith(f"/models/{MODEL}:generateContent")
    assert request.headers["x-goog-api-key"] == "test-key"
    assert request.extensions["timeout"]["read"] == 3.0
    body = json.loads(request.content)
    config = body["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    schema = config["responseSchema"]
    assert schema["type"] == "ARRAY"
    assert schema["items"]["properties"]["kind"]["enum"] == list(insights.KINDS)
    assert set(schema["items"]["required"]) == {"kind", "title", "detail", "action"}
    prompt = body["contents"][0]["parts"][0]["text"]
    assert "Masala Chai 250g" in prompt
    assert '"revenue":"125000.00"' in prompt
    assert "marketing" in body["systemInstruction"]["parts"][0]["text"]


def test_reload_with_same_facts_is_served_from_cache(gemini):
    first = insights_for_vendor(vendor_id=1, facts=FACTS)
    second = insights_for_vendor(vendor_id=1, facts=copy.deepcopy(FACTS))

    assert len(gemini.requests) == 1
    assert second["cached"] is True
    assert second["source"] == "gemini"
    assert second["insights"] == first["insights"]
    assert second["generated_at"] == first["generated_at"]


def test_changed_facts_ask_gemini_again(gemini):
    insights_for_vendor(vendor_id=1, facts=FACTS)
    result = insights_for_vendor(vendor_id=1, facts=changed(FACTS, revenue="126000.00"))

    assert len(gemini.requests) == 2
    assert result["cached"] is False


def test_each_vendor_has_its_own_cache_entry(gemini):
    insights_for_vendor(vendor_id=1, facts=FACTS)
    result = insights_for_vendor(vendor_id=2, facts=FACTS)

    assert len(gemini.requests) == 2
    assert result["cached"] is False


def test_another_model_is_not_served_the_first_models_answer(gemini, settings):
    insights_for_vendor(vendor_id=1, facts=FACTS)
    settings.GEMINI_MODEL = "gemini-2.5-pro"
    result = insights_for_vendor(vendor_id=1, facts=FACTS)

    assert len(gemini.requests) == 2
    assert gemini.requests[1].url.path.endswith("/models/gemini-2.5-pro:generateContent")
    assert result["model"] == "gemini-2.5-pro"


def test_timeout_falls_back_to_rules_and_logs_a_warning(gemini, caplog):
    def time_out(request):
        raise httpx2.ReadTimeout("The read operation timed out", request=request)

    gemini.respond = time_out
    with caplog.at_level(logging.WARNING, logger="analytics.insights"):
        result = insights_for_vendor(vendor_id=42, facts=FACTS)

    assert result["source"] == "rules"
    assert result["model"] is None
    assert result["fallback_reason"] == "timeout"
    assert result["insights"] == rule_insights(FACTS)
    assert "vendor 42" in caplog.text
    assert "timeout" in caplog.text
    assert "test-key" not in caplog.text


def test_a_failed_call_is_not_repeated_on_every_reload(gemini):
    gemini.respond = lambda request: gemini_reply("not json")
    insights_for_vendor(vendor_id=1, facts=FACTS)
    again = insights_for_vendor(vendor_id=1, facts=FACTS)

    assert len(gemini.requests) == 1
    assert again["cached"] is True
    assert again["source"] == "rules"


def test_malformed_json_falls_back_to_rules(gemini):
    gemini.respond = lambda request: gemini_reply('[{"kind": "general", "title": "Cut off')

    result = insights_for_vendor(vendor_id=1, facts=FACTS)

    assert result["source"] == "rules"
    assert result["fallback_reason"] == "malformed answer"
    assert result["insights"] == rule_insights(FACTS)


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(GOOD_ANSWER[:1], id="one insight"),
        pytest.param(GOOD_ANSWER * 2, id="six insights"),
        pytest.param({"insights": GOOD_ANSWER}, id="object instead of list"),
        pytest.param([*GOOD_ANSWER[:2], {"kind": "general", "title": "No action", "detail": "x"}], id="missing field"),
        pytest.param([*GOOD_ANSWER[:2], {**GOOD_ANSWER[2], "action": "  "}], id="blank field"),
        pytest.param([*GOOD_ANSWER[:2], "just a string"], id="item not an object"),
    ],
)
def test_wrong_shape_falls_back_to_rules(gemini, answer):
    gemini.respond = lambda request: gemini_reply(answer)

    result = insights_for_vendor(vendor_id=1, facts=FACTS)

    assert result["source"] == "rules"
    assert result["fallback_reason"].startswith("wrong shape")
    assert 3 <= len(result["insights"]) <= 5


def test_answer_without_text_falls_back_to_rules(gemini):
    # What a safety block looks like: a candidate with no content.
    gemini.respond = lambda request: httpx2.Response(200, json={"candidates": [{"finishReason": "SAFETY"}]})

    result = insights_for_vendor(vendor_id=1, facts=FACTS)

    assert result["source"] == "rules"
    assert result["fallback_reason"] == "empty answer"


@pytest.mark.parametrize(
    ("status", "api_status"), [(500, "INTERNAL"), (429, "RESOURCE_EXHAUSTED"), (403, "PERMISSION_DENIED")]
)
def test_http_error_falls_back_to_rules_without_retrying(gemini, status, api_status):
    error = {"error": {"code": status, "message": "Something went wrong.", "status": api_status}}
    gemini.respond = lambda request: httpx2.Response(status, json=error)

    result = insights_for_vendor(vendor_id=1, facts=FACTS)

    assert result["source"] == "rules"
    assert result["fallback_reason"] == f"Gemini API error {status}"
    # A page is waiting: one attempt, then the rules.
    assert len(gemini.requests) == 1


def test_connection_failure_falls_back_to_rules(gemini):
    def refuse(request):
        raise httpx2.ConnectError("Connection refused", request=request)

    gemini.respond = refuse

    result = insights_for_vendor(vendor_id=1, facts=FACTS)

    assert result["source"] == "rules"
    assert result["fallback_reason"] == "Gemini call failed (ConnectError)"


def test_without_key_rules_answer_and_nothing_is_sent(gemini, settings):
    settings.GEMINI_API_KEY = ""

    result = insights_for_vendor(vendor_id=1, facts=FACTS)

    assert result["source"] == "rules"
    assert result["model"] is None
    assert result["fallback_reason"] == "no GEMINI_API_KEY"
    assert result["insights"] == rule_insights(FACTS)
    assert gemini.requests == []


def test_configuring_a_key_is_not_masked_by_cached_rules(gemini, settings):
    settings.GEMINI_API_KEY = ""
    insights_for_vendor(vendor_id=1, facts=FACTS)
    settings.GEMINI_API_KEY = "test-key"

    result = insights_for_vendor(vendor_id=1, facts=FACTS)

    assert result["source"] == "gemini"
    assert len(gemini.requests) == 1


def test_no_sales_gives_first_steps_without_asking_gemini(gemini):
    result = insights_for_vendor(vendor_id=1, facts=NO_SALES)

    assert result["source"] == "rules"
    assert result["fallback_reason"] == "no sales in the period"
    assert gemini.requests == []


def test_gemini_answer_is_normalised(gemini):
    answer = [
        {**GOOD_ANSWER[0], "title": "Restock " * 30},
        {**GOOD_ANSWER[1], "kind": "seasonal"},
        {**GOOD_ANSWER[2], "product_id": 999},
        {**GOOD_ANSWER[2], "product_id": True},
    ]
    gemini.respond = lambda request: gemini_reply(answer)
    client = REAL_MAKE_CLIENT("test-key", 3, client_args={"transport": gemini.transport()})

    with client:
        result = gemini_insights(FACTS, api_key="test-key", model=MODEL, timeout=3, client=client)

    assert len(result[0]["title"]) == 100
    assert result[0]["title"].endswith("…")
    assert result[1]["kind"] == "general"
    # Only ids of products in the facts are kept: a link must not point at a made-up product.
    assert "product_id" not in result[2]
    assert "product_id" not in result[3]


def test_gemini_insights_raises_insights_unavailable(gemini):
    gemini.respond = lambda request: gemini_reply("[]")

    with pytest.raises(InsightsUnavailable) as caught:
        gemini_insights(FACTS, api_key="test-key", model=MODEL, timeout=3)

    assert caught.value.reason == "wrong shape: expected 3–5 insights, got 0"


# --- Rules -------------------------------------------------------------------------------------


def test_rules_find_best_seller_falling_reorder_margin_and_campaign():
    found = {insight["kind"]: insight for insight in rule_insights(FACTS)}

    assert list(found) == ["best_seller", "falling", "reorder", "margin", "campaign"]
    assert found["best_seller"]["product_id"] == 3
    assert "INR 23,880" in found["best_seller"]["detail"]
    assert found["falling"]["product_id"] == 9
    assert "35%" in found["falling"]["title"]
    assert found["reorder"]["product_id"] == 3
    # 120 units in 31 days, for 14 days: 54.2, rounded up.
    assert found["reorder"]["title"] == "Reorder Masala Chai 250g: about 55 units"
    assert "55 units" in found["reorder"]["action"]
    assert found["margin"]["product_id"] == 7
    assert "margin is 8%" in found["margin"]["detail"]
    assert "average of 36%" in found["margin"]["detail"]
    assert "Diwali launch" in found["campaign"]["title"]
    assert "Ira Sen" in found["campaign"]["action"]


def test_rules_reorder_on_low_days_of_cover_above_threshold():
    facts = copy.deepcopy(FACTS)
    chai = facts["products"][0]
    chai.update(stock=20, low_stock_threshold=5, days_of_cover="5.2")

    [reorder] = [insight for insight in rule_insights(facts) if insight["kind"] == "reorder"]

    assert reorder["product_id"] == 3
    assert "about 55 units" in reorder["title"]


def test_rules_suggest_no_reorder_when_stock_is_healthy():
    facts = copy.deepcopy(FACTS)
    facts["products"][0].update(stock=200, days_of_cover="51.7")

    assert "reorder" not in [insight["kind"] for insight in rule_insights(facts)]


def test_rules_flag_a_product_sold_at_a_loss():
    facts = copy.deepcopy(FACTS)
    facts["products"][3].update(profit="-400.00", margin_pct="-10.0")

    [margin] = [insight for insight in rule_insights(facts) if insight["kind"] == "margin"]

    assert margin["product_id"] == 11
    assert margin["title"] == "Green Tea 100g sells at a loss"


def test_rules_are_deterministic_and_ignore_input_order():
    shuffled = copy.deepcopy(FACTS)
    shuffled["products"].reverse()
    shuffled["campaigns"].reverse()

    assert rule_insights(FACTS) == rule_insights(copy.deepcopy(FACTS)) == rule_insights(shuffled)


def test_rules_fill_up_to_three_with_general_insights():
    facts = {
        "currency": "INR",
        "period": {"days": 7},
        "summary": {"revenue": "500.00", "profit": "100.00", "margin_pct": "20.0", "bills": 2, "avg_bill": "250.00"},
        "products": [{"id": 1, "name": "Soap", "units": 5, "revenue": "500.00", "profit": "100.00", "stock": 40}],
        "categories": [],
        "campaigns": [],
    }

    found = rule_insights(facts)

    assert [insight["kind"] for insight in found] == ["best_seller", "general", "general"]
    assert found[1]["title"] == "No campaign has brought sales yet"


def test_rules_without_sales_give_first_steps():
    for facts in (NO_SALES, {}):
        found = rule_insights(facts)

        assert len(found) == 3
        assert {insight["kind"] for insight in found} == {"general"}
        assert found[0]["title"] == "Record your first sale"


def test_rule_insights_keep_the_insight_shape():
    facts = copy.deepcopy(FACTS)
    facts["products"][0]["name"] = "Extra strong masala chai " * 20

    for insight in rule_insights(facts) + rule_insights(NO_SALES):
        assert insight["kind"] in insights.KINDS
        assert 0 < len(insight["title"]) <= 100
        assert 0 < len(insight["detail"]) <= 400
        assert 0 < len(insight["action"]) <= 200
        assert set(insight) <= {"kind", "title", "detail", "action", "product_id"}
