import csv
import datetime
import io
import re
from decimal import Decimal

import pytest

from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory
from analytics.tests.test_selectors import at, sell_at
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import parameter
from catalog.tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

SALES = "/api/v1/analytics/sales/"


@pytest.fixture
def vendor_with_sales():
    vendor = VendorFactory()
    chai = ProductFactory(
        vendor=vendor,
        name="Chai",
        category=CategoryFactory(name="Tea", slug="tea"),
        quantity=100,
        sale_price=Decimal("100.00"),
        cost_price=Decimal("60.00"),
    )
    sell_at(vendor, at(datetime.date(2026, 3, 2)), (chai, 2))
    sell_at(vendor, at(datetime.date(2026, 3, 9)), (chai, 1))
    return vendor


def test_sales_series_json(vendor_with_sales):
    response = api_client(vendor_with_sales).get(SALES, {"start": "2026-03-01", "end": "2026-03-10", "bucket": "week"})
    assert response.status_code == 200
    body = response.json()
    assert body["bucket"] == "week"
    assert [(b["start"], b["end"], b["revenue"], b["units"]) for b in body["buckets"]] == [
        ("2026-03-01", "2026-03-01", "0.00", 0),
        ("2026-03-02", "2026-03-08", "200.00", 2),
        ("2026-03-09", "2026-03-10", "100.00", 1),
    ]
    assert body["buckets"][1]["by_product"][0]["name"] == "Chai"


def test_sales_series_with_items(vendor_with_sales):
    body = (
        api_client(vendor_with_sales)
        .get(SALES, {"start": "2026-03-02", "end": "2026-03-02", "include_items": "true"})
        .json()
    )
    bucket = body["buckets"][0]
    assert bucket["items_count"] == 1
    assert bucket["items"][0]["number"].startswith("26-27/")  # financial year 2026-27


def test_series_csv(vendor_with_sales):
    response = api_client(vendor_with_sales).get(
        SALES, {"start": "2026-03-01", "end": "2026-03-03", "bucket": "day", "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["start"], r["revenue"], r["units"]) for r in rows] == [
        ("2026-03-01", "0.00", "0"),
        ("2026-03-02", "200.00", "2"),
        ("2026-03-03", "0.00", "0"),
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"bucket": "fortnight"}, "bucket"),
        ({"start": "2026-13-01"}, "start"),
        ({"start": "2026-03-10", "end": "2026-03-01"}, "end"),
        ({"product": "tea"}, "product"),
        ({"start": "1990-01-01", "end": "2026-01-01"}, "start"),
    ],
)
def test_bad_series_parameters(vendor_with_sales, params, field):
    assert_error(api_client(vendor_with_sales).get(SALES, params), 400, field)


@pytest.mark.parametrize("name", ["summary", "products", "categories", "campaigns", "low-stock"])
def test_tables_json_and_csv(vendor_with_sales, name):
    client = api_client(vendor_with_sales)
    url = f"/api/v1/analytics/{name}/"
    assert client.get(url, {"start": "2026-03-01", "end": "2026-03-31"}).status_code == 200
    response = client.get(url, {"start": "2026-03-01", "end": "2026-03-31", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


def test_products_table_values(vendor_with_sales):
    rows = (
        api_client(vendor_with_sales)
        .get("/api/v1/analytics/products/", {"start": "2026-03-01", "end": "2026-03-31"})
        .json()
    )
    assert rows[0]["units"] == 3
    assert rows[0]["revenue"] == "300.00"
    assert rows[0]["profit"] == "120.00"


def test_vendors_see_only_their_own_numbers_and_admins_choose(vendor_with_sales):
    other = api_client(VendorFactory())
    body = other.get(SALES, {"start": "2026-03-01", "end": "2026-03-10", "vendor": vendor_with_sales.pk}).json()
    assert all(b["revenue"] == "0.00" for b in body["buckets"])
    assert_error(api_client(InfluencerFactory()).get(SALES), 403)
    admin = api_client(AdminFactory())
    chosen = admin.get(SALES, {"start": "2026-03-02", "end": "2026-03-02", "vendor": vendor_with_sales.pk}).json()
    assert chosen["buckets"][0]["revenue"] == "200.00"
    assert_error(admin.get(SALES), 403)
    assert_error(admin.get(SALES, {"vendor": 999999}), 404)


def test_insights_endpoint_without_key_uses_rules_and_caches(vendor_with_sales, settings):
    settings.GEMINI_API_KEY = ""
    client = api_client(vendor_with_sales)
    params = {"start": "2026-03-01", "end": "2026-03-31"}
    first = client.get("/api/v1/analytics/insights/", params).json()
    assert first["source"] == "rules"
    assert 1 <= len(first["insights"]) <= 5
    assert all({"kind", "title", "detail", "action"} <= set(item) for item in first["insights"])
    assert client.get("/api/v1/analytics/insights/", params).json()["cached"] is True
    assert_error(api_client(InfluencerFactory()).get("/api/v1/analytics/insights/"), 403)


def test_vendor_time_zone_is_a_profile_setting():
    vendor = VendorFactory()
    client = api_client(vendor)
    assert client.patch("/api/v1/profile/", {"time_zone": "America/New_York"}).json()["time_zone"] == "America/New_York"
    assert_error(client.patch("/api/v1/profile/", {"time_zone": "Mars/Olympus"}), 400, "time_zone")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "0001-01-01"}, "start"),
        ({"end": "9999-12-31"}, "end"),
        ({"start": "2021-01-01", "bucket": "day"}, "bucket"),
        ({"start": "2001-01-01"}, "start"),
        ({"start": "2030-01-01"}, "end"),
    ],
)
def test_extreme_or_open_ended_ranges_are_400(vendor_with_sales, params, field):
    assert_error(api_client(vendor_with_sales).get(SALES, params), 400, field)


def test_errors_are_json_even_when_csv_was_asked(vendor_with_sales):
    response = api_client(vendor_with_sales).get(SALES, {"start": "x", "format": "csv"})
    assert_error(response, 400, "start")


def test_csv_cells_cannot_be_formulas(vendor_with_sales):
    ProductFactory(vendor=vendor_with_sales, name='=HYPERLINK("http://x.example","click")', quantity=1)
    response = api_client(vendor_with_sales).get("/api/v1/analytics/low-stock/", {"format": "csv"})
    assert "'=HYPERLINK" in response.content.decode()


EMPTY_TABLE_HEADERS = {
    "products": "product,name,sku,units,revenue,cost,profit,margin_pct,units_change_pct,stock,"
    "low_stock_threshold,days_of_cover",
    "categories": "category,name,revenue,profit,margin_pct,units,bills",
    "campaigns": "campaign,campaign_title,influencer,influencer_name,revenue,profit,bills",
    "low-stock": "product,name,sku,stock,low_stock_threshold,units_sold,days_of_cover,suggested_reorder",
}


@pytest.mark.parametrize(("name", "header"), EMPTY_TABLE_HEADERS.items())
def test_csv_of_an_empty_table_still_has_its_header_row(name, header):
    response = api_client(VendorFactory()).get(f"/api/v1/analytics/{name}/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode() == header + "\n"


@pytest.mark.parametrize("name", ["products", "categories"])
def test_csv_header_is_the_json_rows_fields(vendor_with_sales, name):
    client = api_client(vendor_with_sales)
    url, params = f"/api/v1/analytics/{name}/", {"start": "2026-03-01", "end": "2026-03-31"}
    rows = client.get(url, params).json()
    assert rows
    header = client.get(url, {**params, "format": "csv"}).content.decode().splitlines()[0]
    assert header.split(",") == list(rows[0]) == EMPTY_TABLE_HEADERS[name].split(",")


def test_sales_and_summary_csv_of_an_empty_vendor_have_their_headers():
    client = api_client(VendorFactory())
    sales = client.get(SALES, {"start": "2026-03-01", "end": "2026-03-01", "format": "csv"}).content.decode()
    assert sales.splitlines() == ["start,end,revenue,units,profit,bills", "2026-03-01,2026-03-01,0.00,0,0.00,0"]
    summary = client.get("/api/v1/analytics/summary/", {"format": "csv"}).content.decode().splitlines()
    assert summary[0].startswith("start,end,")
    assert len(summary) == 2


def test_a_csv_table_without_declared_columns_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    from analytics.api.base import CSVRenderer

    with pytest.raises(ImproperlyConfigured):
        CSVRenderer().render([{"a": 1}], renderer_context={})


# --- The accepted days are the documented ones ----------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"), [("2000-01-01", "2000-01-31"), ("2100-12-01", "2100-12-31"), ("2026-02-28", "2026-03-01")]
)
def test_days_at_both_ends_of_the_documented_range_are_accepted(start, end):
    pattern = parameter("/api/v1/analytics/summary/", "get", "start")["schema"]["pattern"]
    assert re.search(pattern, start)
    assert re.search(pattern, end)
    response = api_client(VendorFactory()).get("/api/v1/analytics/summary/", {"start": start, "end": end})
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("day", ["1999-12-31", "2101-01-01", "0103-11-30", "20260105", "2026-1-5", ""])
def test_days_outside_the_documented_range_are_refused(day):
    pattern = parameter("/api/v1/analytics/products/", "get", "end")["schema"]["pattern"]
    assert re.search(pattern, day) is None
    response = api_client(VendorFactory()).get("/api/v1/analytics/products/", {"end": day})
    assert_error(response, 400, "end")


@pytest.mark.parametrize("value", ["", "xml"])
def test_a_format_other_than_json_or_csv_is_refused(value):
    response = api_client(VendorFactory()).get("/api/v1/analytics/products/", {"format": value})
    assert response.status_code in (400, 404)
    assert response["Content-Type"].startswith("application/json")
    assert parameter("/api/v1/analytics/products/", "get", "format")["schema"]["enum"] == ["csv", "json"]


def test_an_empty_format_is_a_400_naming_it():
    assert_error(api_client(VendorFactory()).get("/api/v1/analytics/summary/", {"format": ""}), 400, "format")


def test_the_schema_documents_every_money_column_of_the_analytics_rows():
    from anwariya.tests.schema import component

    expected = {
        "AnalyticsSummary": {"revenue", "cost", "profit", "avg_bill"},
        "AnalyticsProduct": {"revenue", "cost", "profit"},
        "AnalyticsCategory": {"revenue", "profit"},
        "AnalyticsCampaign": {"revenue", "profit"},
        "SalesBucket": {"revenue", "profit"},
    }
    for name, money in expected.items():
        assert money <= set(component(name)["properties"]), name
