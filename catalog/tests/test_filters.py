"""The products page and the products API filter with one FilterSet: the same query, the same list."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from anwariya.tests.api import api_client
from catalog.models import Product
from catalog.tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(vendor_client):
    vendor = vendor_client.vendor
    tea = CategoryFactory(name="Tea", slug="tea")
    made = [
        ProductFactory(vendor=vendor, name="Assam Gold", sku="AS-1", category=tea, sale_price=Decimal(300), quantity=0),
        ProductFactory(vendor=vendor, name="Darjeeling", sku="DJ-1", category=tea, sale_price=Decimal("500")),
        ProductFactory(vendor=vendor, name="Brass Mug", sku="MUG-1", sale_price=Decimal("150"), quantity=2),
        ProductFactory(vendor=vendor, name="Old Mug", sku="MUG-0", sale_price=Decimal("90")),
    ]
    Product.objects.filter(pk=made[3].pk).update(is_active=False)
    ProductFactory(name="Someone Else's Assam", category=tea)
    return tea


def page_ids(client, query):
    content = client.get(reverse("catalog:product-list"), query).content.decode()
    return sorted(int(pk) for pk in re.findall(r'<td><a href="/catalog/(\d+)/">', content))


def api_ids(vendor, query):
    return sorted(product["id"] for product in api_client(vendor).get("/api/v1/products/", query).json()["results"])


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"search": "mug"},
        {"search": "as-1"},
        {"search": "gold assam"},
        {"category_slug": "tea"},
        {"in_stock": "true"},
        {"in_stock": "false"},
        {"min_price": "100", "max_price": "400"},
        {"is_active": "false"},
        {"is_active": "true", "search": "mug", "min_price": "100"},
    ],
)
def test_the_page_and_the_api_list_the_same_products(vendor_client, catalog, query):
    query = {"is_active": "true", **query} if "is_active" not in query else query  # the page's default, spelt out
    assert page_ids(vendor_client, query) == api_ids(vendor_client.vendor, query)
    assert page_ids(vendor_client, {**query, "category": catalog.pk}) == api_ids(
        vendor_client.vendor, {**query, "category": catalog.pk}
    )


def test_the_page_lists_active_products_unless_told_and_all_when_asked(vendor_client, catalog):
    active = api_ids(vendor_client.vendor, {"is_active": "true"})
    assert page_ids(vendor_client, {}) == active
    assert page_ids(vendor_client, {"search": "", "is_active": ""}) == api_ids(vendor_client.vendor, {})
    assert len(api_ids(vendor_client.vendor, {})) == len(active) + 1


def test_the_page_shows_a_bad_filter_and_applies_the_others(vendor_client, catalog):
    response = vendor_client.get(reverse("catalog:product-list"), {"min_price": "cheap", "search": "mug"})
    assert "Min price: Enter a number." in response.content.decode()
    assert page_ids(vendor_client, {"min_price": "cheap", "search": "mug"}) == api_ids(
        vendor_client.vendor, {"search": "mug", "is_active": "true"}
    )


def test_the_low_stock_link_lists_what_the_low_stock_api_lists(vendor_client, catalog):
    page = vendor_client.get(reverse("catalog:product-list")).content.decode()
    assert '<a href="?low_stock=true">2 products low on stock</a>' in page
    low = api_client(vendor_client.vendor).get("/api/v1/products/low-stock/").json()["results"]
    assert page_ids(vendor_client, {"low_stock": "true"}) == sorted(product["id"] for product in low)
