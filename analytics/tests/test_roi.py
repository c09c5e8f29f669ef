"""Return on influencers and campaigns: the tables, their API and CSVs, the dashboard, the insights."""

import copy
import csv
import functools
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory
from analytics import insights, selectors
from analytics.insights import rule_insights
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.gemini import MODEL, FakeGeminiEndpoint
from anwariya.tests.schema import assert_matches
from collaborations.tests.factories import book_fee, make_collaboration, make_results_scenario

pytestmark = pytest.mark.django_db

INFLUENCERS = "/api/v1/analytics/influencer-roi/"
CAMPAIGNS = "/api/v1/analytics/campaign-roi/"
HEADER = (
    "collaborations,cost,fee,commission,gift_cost,revenue,profit,roi_pct,bills,cost_per_bill,clicks,unique_clicks,"
    "conversion_pct"
)


@pytest.fixture
def made():
    """``collaborations.tests.factories.make_results_scenario``: Ira (two collaborations, a
    losing one) and Kabir with this vendor; Ira with another vendor too."""
    return make_results_scenario()


def test_influencer_and_campaign_tables(made):
    vendor = made["vendor"]
    period = selectors.period_for(vendor)

    ira, kabir = selectors.influencer_roi_table(vendor, period)
    assert (ira["influencer"], ira["influencer_name"], ira["collaborations"]) == (made["ira"].influencer_id, "Ira", 2)
    assert (ira["cost"], ira["revenue"], ira["profit"], ira["roi_pct"]) == (
        Decimal("1775.00"),
        Decimal("550.00"),
        Decimal("270.00"),
        Decimal("-84.8"),
    )
    assert (ira["bills"], ira["cost_per_bill"], ira["clicks"], ira["conversion_pct"]) == (
        2,
        Decimal("887.50"),
        65,
        Decimal("5.7"),
    )
    assert (kabir["influencer_name"], kabir["cost"], kabir["roi_pct"]) == ("Kabir", Decimal("25.00"), Decimal("500.0"))

    launch, second = selectors.campaign_roi_table(vendor, period)
    assert (launch["campaign"], launch["campaign_title"], launch["collaborations"]) == (made["launch"].pk, "Launch", 2)
    assert (launch["cost"], launch["revenue"], launch["roi_pct"]) == (
        Decimal("800.00"),
        Decimal("800.00"),
        Decimal("-47.5"),
    )
    assert (second["cost"], second["bills"], second["cost_per_bill"]) == (Decimal("1000.00"), 0, None)


def test_a_period_before_the_collaborations_has_no_rows(made):
    vendor = made["vendor"]
    long_ago = selectors.period_for(vendor).previous().previous()
    assert selectors.influencer_roi_table(vendor, long_ago) == []
    assert selectors.campaign_roi_table(vendor, long_ago) == []


def test_the_api_answers_the_tables_as_documented(made):
    client = api_client(made["vendor"])

    response = client.get(INFLUENCERS)
    assert response.status_code == 200
    assert_matches(response, INFLUENCERS, "get")
    rows = response.json()
    assert [(row["influencer_name"], row["cost"], row["roi_pct"]) for row in rows] == [
        ("Ira", "1775.00", "-84.8"),
        ("Kabir", "25.00", "500.0"),
    ]
    response = client.get(CAMPAIGNS)
    assert_matches(response, CAMPAIGNS, "get")
    assert [(row["campaign_title"], row["revenue"], row["cost_per_bill"]) for row in response.json()] == [
        ("Launch", "800.00", "266.67"),
        (made["ira_again"].campaign.title, "0.00", None),
    ]


def test_another_vendor_and_influencers_never_read_them(made):
    other = made["other"]
    rows = api_client(other.vendor).get(INFLUENCERS, {"vendor": made["vendor"].pk}).json()  # ``vendor`` is for admins
    assert [(row["influencer_name"], row["revenue"], row["cost"]) for row in rows] == [("Ira", "400.00", "400.00")]
    assert_error(api_client(InfluencerFactory()).get(INFLUENCERS), 403)
    admin = api_client(AdminFactory())
    chosen = admin.get(CAMPAIGNS, {"vendor": made["vendor"].pk}).json()
    assert [row["campaign_title"] for row in chosen] == ["Launch", made["ira_again"].campaign.title]
    assert_error(admin.get(CAMPAIGNS), 403)
    assert_error(api_client(made["vendor"]).get(CAMPAIGNS, {"start": "2026-13-01"}), 400, "start")


def test_csv_downloads_with_their_headers(made):
    client = api_client(made["vendor"])

    response = client.get(INFLUENCERS, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="influencer-roi.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response.content.decode().splitlines()[0] == "influencer,influencer_name," + HEADER
    assert [(row["influencer_name"], row["cost"], row["roi_pct"], row["conversion_pct"]) for row in rows] == [
        ("Ira", "1775.00", "-84.8", "5.7"),
        ("Kabir", "25.00", "500.0", "3.3"),
    ]
    # The JSON rows have the CSV's columns.
    assert list(client.get(INFLUENCERS).json()[0]) == ["influencer", "influencer_name", *HEADER.split(",")]

    campaigns = client.get(CAMPAIGNS, {"format": "csv"}).content.decode().splitlines()
    assert campaigns[0] == "campaign,campaign_title," + HEADER
    assert campaigns[1].startswith(f"{made['launch'].pk},Launch,2,800.00,")
    empty = api_client(VendorFactory()).get(CAMPAIGNS, {"format": "csv"}).content.decode()
    assert empty == "campaign,campaign_title," + HEADER + "\n"


def test_query_counts_do_not_grow_with_the_influencers(made, django_assert_max_num_queries):
    client = api_client(made["vendor"])
    with django_assert_max_num_queries(6) as few:
        client.get(INFLUENCERS)
    for _ in range(4):
        book_fee(make_collaboration(vendor=made["vendor"]), "10.00")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(INFLUENCERS).json()) == 6


def test_the_dashboard_shows_both_tables_and_their_csvs(client, made):
    client.force_login(made["vendor"])
    content = client.get(reverse("analytics:dashboard")).content.decode()

    table = content.split('data-testid="influencer-roi-table"')[1].split("</table>")[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", table).split())
    assert "Ira ₹1,775.00 ₹550.00 ₹270.00 -84.8% ₹887.50 2 65 5.7%" in text
    assert "Kabir ₹25.00 ₹250.00 ₹150.00 500.0% ₹25.00 1 40 3.3%" in text
    assert 'data-testid="campaign-roi-table"' in content
    assert "/api/v1/analytics/influencer-roi/?start=" in content
    assert "/api/v1/analytics/campaign-roi/?start=" in content


def test_the_dashboard_without_collaborations_says_so(client):
    client.force_login(VendorFactory())
    content = client.get(reverse("analytics:dashboard")).content.decode()
    assert "No collaboration cost or brought anything in this period." in content
    assert 'data-testid="influencer-roi-table"' not in content


# --- Insights ------------------------------------------------------------------------------------


def test_the_facts_carry_the_roi_tables_biggest_spends_first(made):
    vendor = made["vendor"]
    facts = selectors.insight_facts(vendor, selectors.period_for(vendor))

    assert [row["influencer"] for row in facts["influencer_roi"]] == ["Ira", "Kabir"]
    assert facts["influencer_roi"][0] == {
        "influencer": "Ira",
        "cost": "1775.00",
        "revenue": "550.00",
        "profit": "270.00",
        "roi_pct": "-84.8",
        "cost_per_bill": "887.50",
        "conversion_pct": "5.7",
        "bills": 2,
        "clicks": 65,
        "unique_clicks": 35,
    }
    assert [row["campaign"] for row in facts["campaign_roi"]] == [made["ira_again"].campaign.title, "Launch"]
    json.dumps(facts)  # JSON-safe, for the cache key and the prompt


SHOP = {
    "currency": "INR",
    "period": {"start": "2026-10-01", "end": "2026-10-31", "days": 31},
    "summary": {"revenue": "5000.00", "profit": "2000.00", "margin_pct": "40.0", "bills": 20, "avg_bill": "250.00"},
    "products": [{"id": 1, "name": "Chai", "units": 50, "revenue": "5000.00", "profit": "2000.00", "stock": 400}],
    "categories": [],
    "campaigns": [],
}


def roi_row(name, cost, profit, roi, bills, unique_clicks, revenue="0.00"):
    return {
        "influencer": name,
        "cost": cost,
        "revenue": revenue,
        "profit": profit,
        "roi_pct": roi,
        "bills": bills,
        "unique_clicks": unique_clicks,
        "clicks": unique_clicks,
    }


def with_influencers(*rows, facts=SHOP):
    facts = copy.deepcopy(facts)
    facts["influencer_roi"] = list(rows)
    return facts


def test_rules_name_the_influencer_who_cost_more_than_they_brought_and_where_to_move_budget():
    facts = with_influencers(
        roi_row("Ira", "6000.00", "1200.00", "-80.0", 3, 40, revenue="3000.00"),
        roi_row("Kabir", "500.00", "2000.00", "300.0", 8, 100, revenue="5000.00"),
    )

    found = rule_insights(facts)

    costly = next(insight for insight in found if insight["title"] == "Ira cost more than they brought")
    assert "INR 6,000" in costly["detail"]
    assert "INR 1,200 in profit from 3 bills (ROI -80%)" in costly["detail"]
    assert costly["action"].startswith("Move budget from Ira to Kabir (ROI 300%)")
    best = next(insight for insight in found if insight["title"] == "Kabir returns 300% on what they cost")
    assert best["kind"] == "campaign"
    assert "INR 2,000 in profit from 8 bills" in best["detail"]


def test_rules_flag_clicks_without_a_sale():
    facts = with_influencers(roi_row("Meera", "0.00", "0.00", None, 0, 45), roi_row("Dev", "0.00", "0.00", None, 0, 5))

    [idle] = [insight for insight in rule_insights(facts) if "visitors but no sale" in insight["title"]]

    assert idle["title"] == "Meera's link got 45 visitors but no sale"
    assert "45 unique visitors" in idle["detail"]


def test_rules_keep_quiet_when_influencers_pay_off():
    facts = with_influencers(roi_row("Kabir", "500.00", "2000.00", "300.0", 8, 100))

    titles = [insight["title"] for insight in rule_insights(facts)]

    assert "Kabir returns 300% on what they cost" in titles
    assert not [title for title in titles if "cost more" in title or "no sale" in title]


def test_rules_without_sales_still_say_what_influencers_cost():
    no_sales = {"currency": "INR", "period": {"days": 31}, "summary": {"revenue": "0.00"}, "products": []}
    facts = with_influencers(roi_row("Ira", "5000.00", "0.00", "-100.0", 0, 30), facts=no_sales)

    found = rule_insights(facts)

    assert found[0]["title"] == "Ira cost more than they brought"
    assert "brought no sale with their code yet" in found[0]["detail"]
    assert found[1]["title"] == "Ira's link got 30 visitors but no sale"
    assert found[2]["title"] == "Record your first sale"
    assert len(found) == 5


def test_the_dashboards_insights_use_the_roi_of_real_collaborations(client, made, settings):
    settings.GEMINI_API_KEY = ""
    client.force_login(made["vendor"])
    insights = client.get(reverse("analytics:dashboard")).context["insights"]["insights"]

    titles = [insight["title"] for insight in insights]
    assert "Ira cost more than they brought" in titles
    costly = insights[titles.index("Ira cost more than they brought")]
    assert costly["action"].startswith("Move budget from Ira to Kabir (ROI 500%)")


def test_gemini_is_asked_with_the_roi_tables_and_told_what_they_mean(made, monkeypatch, settings):
    settings.GEMINI_API_KEY = "test-key"
    settings.GEMINI_MODEL = MODEL
    answer = [
        {"kind": "campaign", "title": f"Insight {n}", "detail": "From the numbers.", "action": "Do it."}
        for n in range(3)
    ]
    endpoint = FakeGeminiEndpoint(answer)
    monkeypatch.setattr(
        insights.gemini,
        "make_client",
        functools.partial(insights.gemini.make_client, client_args={"transport": endpoint.transport()}),
    )
    vendor = made["vendor"]

    result = insights.insights_for_vendor(
        vendor_id=vendor.pk, facts=selectors.insight_facts(vendor, selectors.period_for(vendor))
    )

    assert result["source"] == "gemini"
    prompt = json.loads(endpoint.prompt().split("\n", 1)[1])
    assert prompt["influencer_roi"][0]["influencer"] == "Ira"
    assert prompt["influencer_roi"][0]["roi_pct"] == "-84.8"
    assert prompt["campaign_roi"][1]["campaign"] == "Launch"
    instruction = json.loads(endpoint.requests[0].content)["systemInstruction"]["parts"][0]["text"]
    assert "roi_pct = (profit - cost) / cost" in instruction
