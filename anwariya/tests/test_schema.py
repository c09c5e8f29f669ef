"""The API matches its OpenAPI schema: shared error body, statuses, bounds, strict input, methods."""

import re

import pytest

from accounts.tests.factories import InfluencerFactory, VendorFactory
from anwariya.api.filters import MAX_ID
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import assert_matches, component, documented_statuses, openapi, operation, parameter
from catalog.tests.factories import CategoryFactory, ProductFactory
from chat.tests.factories import make_chat

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


def operations():
    for path, item in openapi()["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


# --- The error body --------------------------------------------------------------------


def test_errors_of_list_items_are_documented_as_nested_objects():
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor, quantity=5)
    body = {"customer_name": "Asha", "customer_email": "asha@example.com", "items": [{"product": product.pk}]}
    body["items"].append({"product": product.pk, "quantity": 0})
    body["items"][0]["quantity"] = 1
    response = api_client(vendor).post("/api/v1/bills/", body, format="json")
    assert_error(response, 400, "items")
    assert response.json()["errors"]["items"] == {
        "1": {"quantity": ["Ensure this value is greater than or equal to 1."]}
    }
    assert_matches(response, "/api/v1/bills/", "post")


def test_an_empty_list_error_is_documented_too():
    response = api_client(VendorFactory()).post(
        "/api/v1/bills/", {"customer_name": "A", "customer_email": "a@example.com", "items": []}, format="json"
    )
    assert_error(response, 400, "items")
    assert_matches(response, "/api/v1/bills/", "post")


def test_every_documented_4xx_has_the_error_body():
    for path, method, op in operations():
        for status, response in op["responses"].items():
            if "400" <= status < "500":
                schema = response["content"]["application/json"]["schema"]
                assert schema["$ref"].split("/")[-1] in {
                    "Error",
                    "InsufficientTokens",
                    "InsufficientStock",
                    "ShipmentConflict",
                }, (
                    method,
                    path,
                    status,
                )
                # Errors are JSON whatever was asked for: a CSV download's errors too.
                assert list(response["content"]) == ["application/json"], (method, path, status)


# --- Statuses every operation can answer ----------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/auth/token/refresh/", "/api/v1/auth/token/blacklist/"])
def test_a_bad_refresh_token_is_a_documented_401(path):
    response = api_client().post(path, {"refresh": "not-a-token"}, format="json")
    assert_error(response, 401)
    assert_matches(response, path, "post")


def test_wrong_credentials_are_a_documented_401():
    response = api_client().post("/api/v1/auth/token/", {"email": "nobody@example.com", "password": "x"})
    assert_error(response, 401)
    assert_matches(response, "/api/v1/auth/token/", "post")


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/analytics/summary/", {"vendor": 0}),
        ("/api/v1/analytics/sales/", {"product": 0}),
        ("/api/v1/products/low-stock/", {"threshold": "null"}),
    ],
)
def test_invalid_query_parameters_are_a_documented_400(path, query):
    response = api_client(VendorFactory()).get(path, query)
    assert_error(response, 400, next(iter(query)))
    assert_matches(response, path, "get")


def test_every_operation_with_input_documents_400_and_every_protected_one_401():
    for path, method, op in operations():
        has_input = "requestBody" in op or any(p["in"] == "query" for p in op.get("parameters", []))
        if has_input:
            assert "400" in op["responses"], (method, path)
        if op.get("security") and {} not in op["security"]:
            assert "401" in op["responses"], (method, path)


# --- Requests: JSON, bounded ids and parameters ------------------------------------------


def test_request_bodies_are_documented_as_json():
    """JSON, and multipart beside it only where a file is uploaded (a field of format binary)."""
    for path, method, op in operations():
        if "requestBody" in op:
            content = op["requestBody"]["content"]
            assert "application/json" in content, (method, path)
            assert set(content) <= {"application/json", "multipart/form-data"}, (method, path)
            if "multipart/form-data" in content:
                ref = content["multipart/form-data"]["schema"]["$ref"].split("/")[-1]
                formats = [field.get("format") for field in component(ref)["properties"].values()]
                assert "binary" in formats, (method, path)


def test_integer_path_parameters_are_ids_from_1():
    parameters = [(path, p) for path, method, op in operations() for p in op.get("parameters", []) if p["in"] == "path"]
    # The one path parameter that is no id: a tracking link's code, letters and digits.
    codes = [p for path, p in parameters if path == "/r/{code}"]
    assert [p["schema"] for p in codes] == [{"type": "string", "pattern": "^[A-Za-z0-9]{1,16}$"}]
    ids = [p for path, p in parameters if path != "/r/{code}"]
    assert ids
    for parameter_ in ids:
        assert parameter_["schema"]["type"] == "integer", parameter_
        assert (parameter_["schema"]["minimum"], parameter_["schema"]["maximum"]) == (1, MAX_ID), parameter_


@pytest.mark.parametrize(
    ("path", "name", "bounds"),
    [
        ("/api/v1/applications/", "campaign", (1, MAX_ID)),
        ("/api/v1/campaigns/", "vendor", (1, MAX_ID)),
        ("/api/v1/bills/", "product", (1, MAX_ID)),
        ("/api/v1/products/", "category", (1, MAX_ID)),
        ("/api/v1/analytics/summary/", "vendor", (1, MAX_ID)),
        ("/api/v1/analytics/sales/", "category", (1, MAX_ID)),
        ("/api/v1/influencers/", "min_engagement", (0, 100)),
        ("/api/v1/products/low-stock/", "threshold", (0, 1_000_000_000)),
        ("/api/v1/chats/{id}/messages/", "before", (1, MAX_ID)),
    ],
)
def test_numeric_query_parameters_carry_their_bounds(path, name, bounds):
    schema = parameter(path, "get", name)["schema"]
    assert (schema["minimum"], schema["maximum"]) == bounds


def test_an_id_filter_below_1_is_refused_as_documented():
    response = api_client(VendorFactory()).get("/api/v1/applications/", {"campaign": 0})
    assert_error(response, 400, "campaign")


def test_a_product_filter_by_unknown_category_finds_nothing():
    vendor = VendorFactory()
    ProductFactory(vendor=vendor)
    response = api_client(vendor).get("/api/v1/products/", {"category": 999999})
    assert response.status_code == 200
    assert response.json()["count"] == 0


# --- Pagination ------------------------------------------------------------------------


@pytest.mark.parametrize("query", [{"page_size": "false"}, {"page_size": "0"}, {"page_size": "1.5"}, {"page": "0"}])
def test_page_and_page_size_must_be_whole_numbers_from_1(query):
    assert_error(api_client(VendorFactory()).get("/api/v1/categories/", query), 400, next(iter(query)))


@pytest.mark.parametrize("query", [{"page": "last"}, {"page": ""}, {"page_size": ""}])
def test_page_words_and_empty_pages_are_refused(query):
    assert_error(api_client(VendorFactory()).get("/api/v1/products/", query), 400, next(iter(query)))


def test_a_page_size_above_the_cap_gives_the_cap():
    vendor = VendorFactory()
    ProductFactory.create_batch(3, vendor=vendor)
    response = api_client(vendor).get("/api/v1/products/", {"page_size": 10**30})
    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert parameter("/api/v1/products/", "get", "page_size")["schema"]["minimum"] == 1


def test_chat_messages_page_size_is_strict_too():
    chat = make_chat()
    response = api_client(chat.vendor).get(f"/api/v1/chats/{chat.pk}/messages/", {"page_size": "false"})
    assert_error(response, 400, "page_size")
    assert parameter("/api/v1/chats/{id}/messages/", "get", "page_size")["schema"]["minimum"] == 1


# --- Answers: nullable fields -----------------------------------------------------------


def test_fields_read_through_a_missing_relation_are_nullable_and_always_present():
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor, category=None)
    response = api_client(vendor).patch(f"/api/v1/products/{product.pk}/", {"name": "Renamed"}, format="json")
    assert response.status_code == 200
    assert response.json()["category_name"] is None
    assert_matches(response, "/api/v1/products/{id}/", "patch")
    assert component("Broadcast")["properties"]["campaign_title"]["nullable"] is True


# --- Strict input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Tea", "description": 5}, "description"),
        ({"name": 5}, "name"),
        ({"name": "Tea", "slug": ["tea"]}, "slug"),
    ],
)
def test_json_values_of_the_wrong_type_are_refused(body, field):
    assert_error(api_client(VendorFactory()).post("/api/v1/categories/", body, format="json"), 400, field)


@pytest.mark.parametrize("budget", ["1e3", "-5", "", 1000])
def test_amounts_are_decimal_strings_as_documented(budget):
    body = {"title": "Diwali", "description": "d", "deliverables": "d", "budget": budget}
    body.update(start_date="2026-01-01", end_date="2026-02-01")
    assert_error(api_client(VendorFactory()).post("/api/v1/campaigns/", body, format="json"), 400, "budget")
    pattern = component("CampaignRequest")["properties"]["budget"]["pattern"]
    assert "-" not in pattern.split("(")[0]


@pytest.mark.parametrize("spaces", ["   ", "\x1d", "\u3000 \x85"])
def test_text_that_is_only_spaces_is_documented_as_blank(spaces):
    pattern = component("PatchedVendorProfileRequest")["properties"]["display_name"]["pattern"]
    assert re.search(pattern, spaces) is None
    assert re.search(pattern, "\ufeff")  # not a space to the server either
    response = api_client(VendorFactory()).patch("/api/v1/profile/", {"display_name": spaces}, format="json")
    assert_error(response, 400, "display_name")


def test_a_text_longer_than_its_max_length_is_refused_even_if_spaces_pad_it():
    vendor = VendorFactory()
    category = CategoryFactory(created_by=vendor)
    body = {"description": "   " + "a" * 2000}
    response = api_client(vendor).patch(f"/api/v1/categories/{category.pk}/", body, format="json")
    assert_error(response, 400, "description")
    assert component("PatchedCategoryRequest")["properties"]["description"]["maxLength"] == 2000


@pytest.mark.parametrize(
    ("path", "field"), [("/api/v1/profile/", "display_name"), ("/api/v1/auth/me/", "display_name")]
)
@pytest.mark.parametrize("user_factory", [VendorFactory, InfluencerFactory])
def test_a_blank_field_in_a_form_is_refused_as_in_json(path, field, user_factory):
    user = user_factory(display_name="Asha")
    client = api_client(user)
    assert_error(client.patch(path, {field: ""}, format="json"), 400, field)
    assert_error(client.patch(path, {field: ""}, format="multipart"), 400, field)
    user.refresh_from_db()
    assert user.display_name == "Asha"


@pytest.mark.parametrize("query", [{"start": ""}, {"status": ""}, {"product": ""}])
def test_a_filter_given_empty_is_refused(query):
    assert_error(api_client(VendorFactory()).get("/api/v1/bills/", query), 400, next(iter(query)))


@pytest.mark.parametrize("value", ["null", "1", "yes", ""])
def test_a_boolean_filter_is_true_or_false(value):
    assert_error(api_client(VendorFactory()).get("/api/v1/products/", {"is_active": value}), 400, "is_active")


def test_an_empty_text_filter_is_a_text():
    assert api_client(VendorFactory()).get("/api/v1/bills/", {"customer": ""}).status_code == 200


# --- Methods ---------------------------------------------------------------------------


def test_an_undeclared_method_on_the_webhook_is_405_not_403():
    response = api_client().generic("TRACE", "/api/v1/bot/telegram/webhook/")
    body = assert_error(response, 405)
    assert body["code"] == "method_not_allowed"
    assert response["Allow"] == "OPTIONS, POST"
    assert "trace" not in operation("/api/v1/bot/telegram/webhook/", "post")


def test_an_undeclared_method_is_405_even_where_the_role_may_not_go():
    response = api_client(InfluencerFactory()).generic("TRACE", "/api/v1/products/")
    assert_error(response, 405)
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
    assert "405" not in documented_statuses("/api/v1/products/", "get")


def test_a_declared_method_still_checks_the_role():
    assert_error(api_client(InfluencerFactory()).get("/api/v1/products/"), 403)
