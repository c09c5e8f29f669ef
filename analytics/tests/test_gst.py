"""Analytics on tax invoices: revenue and profit are the taxable value; the tax is shown apart."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from analytics.tests.test_selectors import at, sell_at
from anwariya.tests.api import api_client
from billing.tests.factories import gst_product
from profiles.tests.factories import gst_vendor

pytestmark = pytest.mark.django_db

RANGE = {"start": "2026-03-01", "end": "2026-03-31"}


@pytest.fixture
def vendor():
    """A Maharashtra vendor's March: 2 mugs at ₹1000 + 18 % GST, 4 teas at ₹250 + 5 % GST."""
    vendor = gst_vendor(state="27")
    mug = gst_product(vendor, 18, price="1000.00", cost_price=Decimal("600.00"), name="Brass mug")
    tea = gst_product(vendor, 5, price="250.00", cost_price=Decimal("100.00"), name="Assam tea")
    sell_at(vendor, at(datetime.date(2026, 3, 2)), (mug, 2))
    sell_at(vendor, at(datetime.date(2026, 3, 9)), (tea, 4))
    return vendor


def test_the_summary_counts_revenue_before_tax_and_the_tax_collected_apart(vendor):
    body = api_client(vendor).get("/api/v1/analytics/summary/", RANGE).json()
    assert Decimal(body["revenue"]) == Decimal("3000.00")  # not the ₹3,410 the customers paid
    assert Decimal(body["tax_collected"]) == Decimal("410.00")  # 360 + 50
    assert Decimal(body["profit"]) == Decimal("1400.00")  # 3000 - 1200 - 400
    assert Decimal(body["margin_pct"]) == Decimal("46.7")


def test_the_summary_csv_has_the_tax_collected_column(vendor):
    response = api_client(vendor).get("/api/v1/analytics/summary/", {**RANGE, "format": "csv"})
    (row,) = csv.DictReader(io.StringIO(response.content.decode()))
    assert (row["revenue"], row["tax_collected"]) == ("3000.00", "410.00")


def test_products_and_the_series_are_before_tax(vendor):
    client = api_client(vendor)
    products = {row["name"]: row for row in client.get("/api/v1/analytics/products/", RANGE).json()}
    assert Decimal(products["Brass mug"]["revenue"]) == Decimal("2000.00")
    assert Decimal(products["Assam tea"]["revenue"]) == Decimal("1000.00")
    series = client.get("/api/v1/analytics/sales/", {**RANGE, "bucket": "month"}).json()
    assert Decimal(series["buckets"][0]["revenue"]) == Decimal("3000.00")


def test_the_page_shows_the_tax_collected_card(vendor, client):
    client.force_login(vendor)
    page = client.get(reverse("analytics:dashboard"), RANGE).content.decode()
    assert "Tax collected" in page
    assert "₹410.00" in page
