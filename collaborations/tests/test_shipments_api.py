"""The gift shipments' API: the two parties read, the vendor writes, strangers get 404."""

from decimal import Decimal

import pytest

from accounts.tests.factories import AdminFactory, VendorFactory
from anwariya.api.filters import MAX_ID
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import assert_matches
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from collaborations.models import Collaboration, Shipment
from collaborations.tests.factories import make_active_collaboration, make_collaboration, make_shipment

pytestmark = pytest.mark.django_db

LIST = "/api/v1/collaborations/{id}/shipments/"
DETAIL = "/api/v1/shipments/{id}/"
COLLABORATION = "/api/v1/collaborations/{id}/"


def url(template, obj):
    return template.replace("{id}", str(obj.pk))


def test_the_vendor_gifts_products_and_both_parties_read_it_the_cost_only_for_the_vendor():
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor, name="Assam gold", quantity=4, cost_price=Decimal("99.90"))
    vendor, influencer = api_client(collaboration.vendor), api_client(collaboration.influencer)

    response = vendor.post(
        url(LIST, collaboration),
        {"items": [{"product": tea.pk, "quantity": 3}], "address": "7 Lake Rd, Kolkata 700029", "carrier": "DTDC"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert_matches(response, LIST, "post")
    body = response.json()
    assert (body["status"], body["address"], body["carrier"], body["tracking_number"]) == (
        "preparing",
        "7 Lake Rd, Kolkata 700029",
        "DTDC",
        "",
    )
    assert body["cost"] == "299.70"
    assert body["items"] == [
        {
            "id": body["items"][0]["id"],
            "product": tea.pk,
            "product_name": "Assam gold",
            "sku": tea.sku,
            "quantity": 3,
            "unit_cost": "99.90",
        }
    ]
    assert Product.objects.get(pk=tea.pk).quantity == 1

    seen = influencer.get(url(LIST, collaboration))
    assert_matches(seen, LIST, "get")
    [row] = seen.json()["results"]
    assert (row["id"], row["cost"], row["items"][0]["unit_cost"], row["items"][0]["quantity"]) == (
        body["id"],
        None,
        None,
        3,
    )
    assert vendor.get(url(LIST, collaboration)).json()["results"][0]["cost"] == "299.70"
    detail = influencer.get(DETAIL.replace("{id}", str(body["id"])))
    assert_matches(detail, DETAIL, "get")
    assert detail.json()["cost"] is None


def test_oversold_gift_is_a_409_listing_each_short_line_and_takes_nothing():
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor, quantity=5)
    mug = ProductFactory(vendor=collaboration.vendor, quantity=1)
    response = api_client(collaboration.vendor).post(
        url(LIST, collaboration),
        {"items": [{"product": tea.pk, "quantity": 5}, {"product": mug.pk, "quantity": 2}], "address": "X"},
        format="json",
    )
    body = assert_error(response, 409, "items")
    assert_matches(response, LIST, "post")
    assert body["code"] == "insufficient_stock"
    assert [(line["line"], line["product"], line["available"]) for line in body["lines"]] == [(1, mug.pk, 1)]
    assert body["errors"]["items"] == {"1": {"quantity": ["Only 1 in stock."]}}
    assert Product.objects.get(pk=tea.pk).quantity == 5
    assert not Shipment.objects.exists()


def test_bad_lines_are_400s_naming_the_line():
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor)
    client = api_client(collaboration.vendor)
    for items, errors in (
        ([], {"items": ["Ensure this field has at least 1 elements."]}),
        ([{"product": tea.pk, "quantity": 0}], {"items": {"0": {"quantity": None}}}),
        ([{"product": tea.pk, "quantity": 101}], {"items": {"0": {"quantity": None}}}),
        ([{"product": tea.pk, "quantity": 1}, {"product": tea.pk, "quantity": 1}], {"items": {"1": {"product": None}}}),
        ([{"product": ProductFactory().pk, "quantity": 1}], {"items": {"0": {"product": None}}}),
        ([{"product": "1", "quantity": 1}], {"items": {"0": {"product": None}}}),
    ):
        response = client.post(url(LIST, collaboration), {"items": items, "address": "X"}, format="json")
        body = assert_error(response, 400, "items")
        assert_matches(response, LIST, "post")
        if isinstance(errors["items"], dict):
            for index, fields in errors["items"].items():
                assert set(body["errors"]["items"][index]) == set(fields), body
    assert not Shipment.objects.exists()


def test_no_address_anywhere_is_a_400_and_the_influencers_is_the_default():
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor)
    vendor = api_client(collaboration.vendor)
    payload = {"items": [{"product": tea.pk, "quantity": 1}]}
    assert_error(vendor.post(url(LIST, collaboration), payload, format="json"), 400, "address")

    response = api_client(collaboration.influencer).patch(
        url(COLLABORATION, collaboration), {"shipping_address": "22 Residency Rd, Bengaluru"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert_matches(response, COLLABORATION, "patch")
    assert response.json()["shipping_address"] == "22 Residency Rd, Bengaluru"
    assert vendor.get(url(COLLABORATION, collaboration)).json()["shipping_address"] == "22 Residency Rd, Bengaluru"

    response = vendor.post(url(LIST, collaboration), payload, format="json")
    assert response.status_code == 201
    assert response.json()["address"] == "22 Residency Rd, Bengaluru"


def test_only_the_influencer_patches_the_address_and_only_that():
    collaboration = make_collaboration()
    response = api_client(collaboration.vendor).patch(
        url(COLLABORATION, collaboration), {"shipping_address": "Mine"}, format="json"
    )
    assert_error(response, 403)
    assert_matches(response, COLLABORATION, "patch")
    influencer = api_client(collaboration.influencer)
    for body in ({"shipping_address": "x" * 1001}, {"shipping_address": 7}):
        response = influencer.patch(url(COLLABORATION, collaboration), body, format="json")
        assert_error(response, 400, "shipping_address")
        assert_matches(response, COLLABORATION, "patch")
    influencer.patch(url(COLLABORATION, collaboration), {"shipping_address": "4 Hill Rd"}, format="json")
    # Only the address changes: other fields are read-only, and leaving the address out keeps it.
    response = influencer.patch(url(COLLABORATION, collaboration), {"stage": "completed"}, format="json")
    assert response.status_code == 200
    assert_matches(response, COLLABORATION, "patch")
    assert (response.json()["stage"], response.json()["shipping_address"]) == ("new", "4 Hill Rd")
    assert_error(api_client(collaboration.vendor).patch(url(COLLABORATION, collaboration), {}, format="json"), 403)
    assert (
        influencer.put(url(COLLABORATION, collaboration), {"shipping_address": "X"}, format="json").status_code == 405
    )
    assert Collaboration.objects.get(pk=collaboration.pk).stage == "new"
    assert_error(
        api_client(VendorFactory()).patch(url(COLLABORATION, collaboration), {"shipping_address": "X"}, format="json"),
        404,
    )


def test_gifts_before_accepted_terms_are_a_409():
    collaboration = make_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor)
    response = api_client(collaboration.vendor).post(
        url(LIST, collaboration), {"items": [{"product": tea.pk, "quantity": 1}], "address": "X"}, format="json"
    )
    body = assert_error(response, 409, "stage")
    assert_matches(response, LIST, "post")
    assert body["detail"] == "Gifts are sent once the influencer has accepted the terms."


def test_the_vendor_ships_and_the_influencer_marks_it_delivered():
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor, quantity=3)
    shipment = make_shipment(collaboration, (tea, 1))
    vendor, influencer = api_client(collaboration.vendor), api_client(collaboration.influencer)

    response = vendor.patch(url(DETAIL, shipment), {"status": "shipped"}, format="json")
    body = assert_error(response, 400)
    assert set(body["errors"]) == {"carrier", "tracking_number"}
    assert_matches(response, DETAIL, "patch")

    response = influencer.patch(
        url(DETAIL, shipment), {"status": "shipped", "carrier": "X", "tracking_number": "Y"}, format="json"
    )
    assert_error(response, 403)
    assert_matches(response, DETAIL, "patch")

    response = vendor.patch(
        url(DETAIL, shipment), {"status": "shipped", "carrier": "Delhivery", "tracking_number": "DL9"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert_matches(response, DETAIL, "patch")
    assert (response.json()["status"], response.json()["tracking_number"]) == ("shipped", "DL9")
    assert response.json()["shipped_at"] is not None

    response = vendor.patch(url(DETAIL, shipment), {"tracking_number": "DL10"}, format="json")
    assert response.status_code == 200
    assert response.json()["tracking_number"] == "DL10"

    response = influencer.patch(url(DETAIL, shipment), {"status": "delivered"}, format="json")
    assert response.status_code == 200, response.content
    assert_matches(response, DETAIL, "patch")
    assert response.json()["status"] == "delivered"
    assert response.json()["cost"] is None  # the influencer never sees what it cost

    response = vendor.patch(url(DETAIL, shipment), {"status": "shipped"}, format="json")
    body = assert_error(response, 409, "status")
    assert_matches(response, DETAIL, "patch")
    assert body["detail"] == "A delivered shipment cannot become shipped; it can become returned."

    response = influencer.patch(url(DETAIL, shipment), {"status": "returned"}, format="json")
    assert_error(response, 403)
    response = vendor.patch(url(DETAIL, shipment), {"status": "returned"}, format="json")
    assert response.json()["status"] == "returned"
    assert Product.objects.get(pk=tea.pk).quantity == 3


def test_patch_input_is_strict():
    collaboration = make_active_collaboration()
    shipment = make_shipment(collaboration, (ProductFactory(vendor=collaboration.vendor), 1))
    vendor = api_client(collaboration.vendor)
    for body, field in (
        ({"status": "lost"}, "status"),
        ({"carrier": 5}, "carrier"),
        ({"tracking_number": "x" * 101}, "tracking_number"),
        ({"status": None}, "status"),
    ):
        response = vendor.patch(url(DETAIL, shipment), body, format="json")
        assert_error(response, 400, field)
        assert_matches(response, DETAIL, "patch")
    # Nothing to change (read-only fields are not input): the shipment as it is.
    response = vendor.patch(url(DETAIL, shipment), {"cost": "0.00"}, format="json")
    assert response.status_code == 200
    assert_matches(response, DETAIL, "patch")
    assert (response.json()["status"], response.json()["cost"]) == ("preparing", "60.00")
    assert Shipment.objects.get(pk=shipment.pk).status == "preparing"


def test_strangers_get_404_on_every_endpoint_and_staff_read_with_the_cost():
    collaboration = make_active_collaboration()
    shipment = make_shipment(collaboration, (ProductFactory(vendor=collaboration.vendor), 1))
    stranger = api_client(VendorFactory())
    for path, method in ((url(LIST, collaboration), "get"), (url(LIST, collaboration), "post")):
        assert_error(getattr(stranger, method)(path, {}, format="json"), 404)
    for method in ("get", "patch"):
        response = getattr(stranger, method)(url(DETAIL, shipment), {"status": "returned"}, format="json")
        assert_error(response, 404)
        assert_matches(response, DETAIL, method)
    assert_error(stranger.get(DETAIL.replace("{id}", str(MAX_ID))), 404)
    assert Shipment.objects.get(pk=shipment.pk).status == "preparing"
    staff = api_client(AdminFactory())
    assert staff.get(url(LIST, collaboration)).json()["results"][0]["cost"] == "60.00"
    assert_error(staff.post(url(LIST, collaboration), {"items": [{"product": 1, "quantity": 1}]}, format="json"), 403)


def test_the_influencer_cannot_post_a_shipment():
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor)
    response = api_client(collaboration.influencer).post(
        url(LIST, collaboration), {"items": [{"product": tea.pk, "quantity": 1}], "address": "X"}, format="json"
    )
    assert_error(response, 403)
    assert_matches(response, LIST, "post")
    assert not Shipment.objects.exists()


def test_list_query_count_does_not_grow_with_shipments_or_items(django_assert_max_num_queries):
    collaboration = make_active_collaboration()
    products = [ProductFactory(vendor=collaboration.vendor, quantity=50) for _ in range(3)]
    make_shipment(collaboration, (products[0], 1))
    client = api_client(collaboration.influencer)
    with django_assert_max_num_queries(8) as few:
        client.get(url(LIST, collaboration))
    for _ in range(6):
        make_shipment(collaboration, *((product, 2) for product in products))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url(LIST, collaboration))
    assert len(response.json()["results"]) == 7
    assert response.json()["results"][0]["items"][2]["quantity"] == 2


def test_a_retried_post_with_the_same_idempotency_key_sends_the_gift_once():
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor, quantity=5)
    client = api_client(collaboration.vendor)
    payload = {"items": [{"product": tea.pk, "quantity": 2}], "address": "X"}
    first = client.post(url(LIST, collaboration), payload, format="json", HTTP_IDEMPOTENCY_KEY="gift-1")
    again = client.post(url(LIST, collaboration), payload, format="json", HTTP_IDEMPOTENCY_KEY="gift-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert Shipment.objects.count() == 1
    assert Product.objects.get(pk=tea.pk).quantity == 3
    other = {"items": [{"product": tea.pk, "quantity": 1}], "address": "X"}
    response = client.post(url(LIST, collaboration), other, format="json", HTTP_IDEMPOTENCY_KEY="gift-1")
    assert_error(response, 422)
    assert_matches(response, LIST, "post")


def test_the_products_movements_name_the_gift_and_its_return():
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor, quantity=5)
    shipment = make_shipment(collaboration, (tea, 2))
    client = api_client(collaboration.vendor)
    client.patch(url(DETAIL, shipment), {"status": "returned"}, format="json")
    path = "/api/v1/products/{id}/movements/"
    response = client.get(path.replace("{id}", str(tea.pk)))
    assert_matches(response, path, "get")
    rows = [
        (m["reason"], m["delta"], m["bill"], m["bill_number"], m["source_type"]) for m in response.json()["results"]
    ]
    assert rows == [
        ("gift_return", 2, shipment.pk, f"Gift shipment #{shipment.pk}", "collaborations.shipment"),
        ("gift", -2, shipment.pk, f"Gift shipment #{shipment.pk}", "collaborations.shipment"),
        ("initial", 5, None, None, None),
    ]
