import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import InfluencerFactory, VendorFactory
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import component
from billing.tests.factories import make_bill
from catalog.models import Category, Product, StockMovement
from catalog.tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/products/"
CATEGORIES = "/api/v1/categories/"


def product_payload(**overrides):
    return {
        "name": "Masala Chai 250g",
        "sku": "CHAI-250",
        "cost_price": "120.00",
        "sale_price": "199.00",
        "quantity": 12,
        **overrides,
    }


# --- Categories -----------------------------------------------------------------------


def test_category_slug_is_made_from_name():
    response = api_client(VendorFactory()).post(CATEGORIES, {"name": "Tea & Coffee"})
    assert response.status_code == 201
    assert response.json()["slug"] == "tea-coffee"


def test_duplicate_category_slug_names_slug():
    CategoryFactory(name="Tea", slug="tea")
    assert_error(api_client(VendorFactory()).post(CATEGORIES, {"name": "Tea"}), 400, "slug")
    assert_error(api_client(VendorFactory()).post(CATEGORIES, {"name": "Other", "slug": "tea"}), 400, "slug")


def test_categories_listed_for_influencers_but_not_created_by_them():
    CategoryFactory(name="Tea", slug="tea")
    client = api_client(InfluencerFactory())
    assert client.get(CATEGORIES).json()["count"] == 1
    assert_error(client.post(CATEGORIES, {"name": "Snacks"}), 403)


def test_category_delete_only_when_unused():
    vendor = VendorFactory()
    client = api_client(vendor)
    category = client.post(CATEGORIES, {"name": "Tea"}).json()
    ProductFactory(vendor=vendor, category=Category.objects.get(pk=category["id"]))
    assert_error(client.delete(f"{CATEGORIES}{category['id']}/"), 409)
    unused = client.post(CATEGORIES, {"name": "Snacks"}).json()
    assert client.delete(f"{CATEGORIES}{unused['id']}/").status_code == 204


def test_only_creator_or_admin_changes_a_category():
    owner = VendorFactory()
    category = api_client(owner).post(CATEGORIES, {"name": "Tea"}).json()
    assert_error(api_client(VendorFactory()).patch(f"{CATEGORIES}{category['id']}/", {"name": "Mine"}), 403)
    assert api_client(owner).patch(f"{CATEGORIES}{category['id']}/", {"name": "Teas"}).json()["name"] == "Teas"


# --- Products ---------------------------------------------------------------------------


def test_create_product_records_opening_stock():
    vendor = VendorFactory()
    response = api_client(vendor).post(PRODUCTS, product_payload())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["quantity"] == 12
    assert body["sale_price"] == "199.00"
    product = Product.objects.get(pk=body["id"])
    assert product.vendor == vendor
    movement = product.movements.get()
    assert (movement.delta, movement.reason) == (12, StockMovement.Reason.INITIAL)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"sale_price": "-1.00"}, "sale_price"),
        ({"cost_price": "abc"}, "cost_price"),
        ({"sale_price": "1.999"}, "sale_price"),
        ({"sale_price": "99999999999999"}, "sale_price"),
        ({"quantity": -1}, "quantity"),
        ({"quantity": 10**12}, "quantity"),
        ({"quantity": "lots"}, "quantity"),
        ({"name": ""}, "name"),
        ({"sku": ""}, "sku"),
        ({"category": 999999}, "category"),
    ],
)
def test_bad_product_input_names_the_field(overrides, field):
    vendor = VendorFactory()
    assert_error(api_client(vendor).post(PRODUCTS, product_payload(**overrides)), 400, field)
    assert not Product.objects.exists()
    assert not StockMovement.objects.exists()


def test_sku_unique_per_vendor_only():
    vendor = VendorFactory()
    ProductFactory(vendor=vendor, sku="CHAI-250")
    assert_error(api_client(vendor).post(PRODUCTS, product_payload(sku="chai-250")), 400, "sku")
    assert api_client(VendorFactory()).post(PRODUCTS, product_payload()).status_code == 201


def test_influencer_cannot_use_products_api():
    assert_error(api_client(InfluencerFactory()).get(PRODUCTS), 403)


def test_vendor_gets_404_for_another_vendors_product_and_movements():
    other = ProductFactory()
    client = api_client(VendorFactory())
    for url in (f"{PRODUCTS}{other.pk}/", f"{PRODUCTS}{other.pk}/movements/"):
        assert_error(client.get(url), 404)
    assert_error(client.patch(f"{PRODUCTS}{other.pk}/", {"name": "Mine"}), 404)
    assert_error(client.post(f"{PRODUCTS}{other.pk}/restock/", {"quantity": 5}), 404)
    assert_error(client.delete(f"{PRODUCTS}{other.pk}/"), 404)
    assert client.get(PRODUCTS).json()["count"] == 0


def test_list_search_filters_and_ordering():
    vendor = VendorFactory()
    tea = CategoryFactory(name="Tea", slug="tea")
    ProductFactory(vendor=vendor, name="Assam Gold", sku="AS-1", category=tea, sale_price=Decimal("300"), quantity=0)
    ProductFactory(vendor=vendor, name="Darjeeling", sku="DJ-1", category=tea, sale_price=Decimal("500"))
    ProductFactory(vendor=vendor, name="Mug", sku="MUG-1", sale_price=Decimal("150"))
    client = api_client(vendor)

    def names(**params):
        return [p["name"] for p in client.get(PRODUCTS, params).json()["results"]]

    assert names(search="dj") == ["Darjeeling"]
    assert names(search="assam") == ["Assam Gold"]
    assert names(category=tea.pk) == ["Assam Gold", "Darjeeling"]
    assert names(in_stock="true") == ["Darjeeling", "Mug"]
    assert names(in_stock="false") == ["Assam Gold"]
    assert names(min_price="200", max_price="400") == ["Assam Gold"]
    assert names(ordering="-sale_price") == ["Darjeeling", "Assam Gold", "Mug"]
    assert_error(client.get(PRODUCTS, {"min_price": "cheap"}), 400, "min_price")


def test_list_is_paginated_and_page_size_capped():
    vendor = VendorFactory()
    for _ in range(3):
        ProductFactory(vendor=vendor)
    body = api_client(vendor).get(PRODUCTS, {"page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]
    assert_error(api_client(vendor).get(PRODUCTS, {"page": 99}), 404)


def test_product_list_query_count_does_not_grow():
    vendor = VendorFactory()
    category = CategoryFactory()
    client = api_client(vendor)
    ProductFactory(vendor=vendor, category=category)
    with CaptureQueriesContext(connection) as one:
        client.get(PRODUCTS)
    for _ in range(49):
        ProductFactory(vendor=vendor, category=category)
    with CaptureQueriesContext(connection) as fifty:
        assert len(client.get(PRODUCTS, {"page_size": 50}).json()["results"]) == 50
    assert len(fifty) == len(one)


def test_restock_adds_stock_with_movement():
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor, quantity=2)
    response = api_client(vendor).post(f"{PRODUCTS}{product.pk}/restock/", {"quantity": 8, "note": "Supplier A"})
    assert response.status_code == 201
    assert response.json()["quantity_after"] == 10
    product.refresh_from_db()
    assert product.quantity == 10
    assert product.movements.aggregate(s=Sum("delta"))["s"] == 10


@pytest.mark.parametrize("quantity", [0, -5, "1.5", "ten", 10**12, None])
def test_restock_bad_quantity_is_400_and_changes_nothing(quantity):
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor, quantity=2)
    payload = {"quantity": quantity} if quantity is not None else {}
    assert_error(api_client(vendor).post(f"{PRODUCTS}{product.pk}/restock/", payload, format="json"), 400, "quantity")
    product.refresh_from_db()
    assert product.quantity == 2
    assert product.movements.count() == 1


def test_patch_quantity_is_a_manual_adjustment():
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor, quantity=10)
    response = api_client(vendor).patch(f"{PRODUCTS}{product.pk}/", {"quantity": 7})
    assert response.json()["quantity"] == 7
    movement = product.movements.order_by("-pk").first()
    assert (movement.delta, movement.reason) == (-3, StockMovement.Reason.ADJUSTMENT)


def test_low_stock_uses_own_threshold_or_given_one():
    vendor = VendorFactory()
    ProductFactory(vendor=vendor, name="Low", quantity=3, low_stock_threshold=5)
    ProductFactory(vendor=vendor, name="Fine", quantity=8, low_stock_threshold=5)
    ProductFactory(quantity=0)  # another vendor's
    client = api_client(vendor)
    assert [p["name"] for p in client.get(f"{PRODUCTS}low-stock/").json()["results"]] == ["Low"]
    assert [p["name"] for p in client.get(f"{PRODUCTS}low-stock/", {"threshold": 10}).json()["results"]] == [
        "Low",
        "Fine",
    ]
    assert_error(client.get(f"{PRODUCTS}low-stock/", {"threshold": -1}), 400, "threshold")


def test_movements_list_newest_first():
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor, quantity=5)
    client = api_client(vendor)
    client.post(f"{PRODUCTS}{product.pk}/restock/", {"quantity": 3})
    make_bill(vendor, (product, 2))
    reasons = [m["reason"] for m in client.get(f"{PRODUCTS}{product.pk}/movements/").json()["results"]]
    assert reasons == ["sale", "restock", "initial"]


def test_movements_name_their_bill_in_a_fixed_number_of_queries():
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor, quantity=100)
    client = api_client(vendor)
    url = f"{PRODUCTS}{product.pk}/movements/"
    first = make_bill(vendor, (product, 1))
    with CaptureQueriesContext(connection) as one_bill:
        client.get(url)
    bills = [first, *(make_bill(vendor, (product, 1)) for _ in range(9))]
    with CaptureQueriesContext(connection) as ten_bills:
        results = client.get(url, {"page_size": 50}).json()["results"]
    assert len(ten_bills) == len(one_bill)
    assert [(m["reason"], m["bill"], m["bill_number"]) for m in results] == [
        *(("sale", bill.pk, bill.number) for bill in reversed(bills)),
        ("initial", None, None),
    ]


def test_delete_unsold_product_but_deactivate_sold_one():
    vendor = VendorFactory()
    unsold = ProductFactory(vendor=vendor)
    sold = ProductFactory(vendor=vendor)
    make_bill(vendor, (sold, 1))
    client = api_client(vendor)
    assert client.delete(f"{PRODUCTS}{unsold.pk}/").status_code == 204
    assert not Product.objects.filter(pk=unsold.pk).exists()
    response = client.delete(f"{PRODUCTS}{sold.pk}/")
    assert response.status_code == 200
    assert response.json()["product"]["is_active"] is False
    assert Product.objects.get(pk=sold.pk).is_active is False


def test_restock_cannot_push_stock_past_the_cap():
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor, quantity=10)
    client = api_client(vendor)
    assert client.post(f"{PRODUCTS}{product.pk}/restock/", {"quantity": 999_999_990}).status_code == 201
    assert_error(client.post(f"{PRODUCTS}{product.pk}/restock/", {"quantity": 1}), 400, "quantity")
    product.refresh_from_db()
    assert product.quantity == 1_000_000_000
    assert client.patch(f"{PRODUCTS}{product.pk}/", {"sale_price": "120.00"}).status_code == 200


# --- Free-text limits -------------------------------------------------------------------


def test_product_description_over_5000_characters_is_refused_naming_it():
    client = api_client(VendorFactory())
    response = client.post(PRODUCTS, product_payload(description="x" * 5001), format="json")
    assert assert_error(response, 400, "description")["errors"]["description"] == [
        "Ensure this field has no more than 5000 characters."
    ]
    assert not Product.objects.exists()
    assert client.post(PRODUCTS, product_payload(description="x" * 5000), format="json").status_code == 201


def test_category_description_over_2000_characters_is_refused_naming_it():
    client = api_client(VendorFactory())
    assert_error(client.post(CATEGORIES, {"name": "Tea", "description": "x" * 2001}), 400, "description")
    assert client.post(CATEGORIES, {"name": "Tea", "description": "x" * 2000}).status_code == 201


def test_description_limits_are_in_the_api_schema():
    schema = api_client().get("/api/schema/", HTTP_ACCEPT="application/json").json()["components"]["schemas"]
    assert schema["ProductRequest"]["properties"]["description"]["maxLength"] == 5000
    assert schema["CategoryRequest"]["properties"]["description"]["maxLength"] == 2000


@pytest.mark.parametrize("name", ["कपड़े", "Ⱥ", "!!!"])
def test_a_category_named_without_latin_letters_gets_an_ascii_slug(name):
    response = api_client(VendorFactory()).post(CATEGORIES, {"name": name}, format="json")
    assert response.status_code == 201, response.content
    assert re.fullmatch(r"category-[0-9a-f]{8}", response.json()["slug"])
    assert re.search(component("Category")["properties"]["slug"]["anyOf"][0]["pattern"], response.json()["slug"])


def test_an_empty_slug_on_update_is_made_from_the_name():
    vendor = VendorFactory()
    category = CategoryFactory(name="Green tea", slug="gt", created_by=vendor)
    response = api_client(vendor).patch(f"{CATEGORIES}{category.pk}/", {"slug": ""}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["slug"] == "green-tea"


def test_a_slug_without_a_letter_or_digit_is_refused_as_documented():
    pattern = component("CategoryRequest")["properties"]["slug"]["anyOf"][0]["pattern"]
    assert re.search(pattern, "--") is None
    assert re.search(pattern, "green-tea")
    assert_error(
        api_client(VendorFactory()).post(CATEGORIES, {"name": "Tea", "slug": "--"}, format="json"), 400, "slug"
    )
