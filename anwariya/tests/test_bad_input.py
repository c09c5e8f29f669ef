"""Input that must never reach a handler: JSON nested too deep, NUL characters, lone surrogates.

Each is refused with a 4xx naming the field on every surface (API bodies of every kind, query
strings, page forms); on PostgreSQL a NUL that got through would be a 500, so CI runs these there too.
"""

import json

import pytest

from accounts.tests.factories import InfluencerFactory, VendorFactory
from anwariya import inputs
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.test_architecture import APPS
from campaigns.models import Campaign
from chat.models import Message
from chat.tests.factories import make_chat

pytestmark = pytest.mark.django_db

DEEP = "[" * 1000 + "]" * 1000
NUL_MESSAGE = "Null characters are not allowed."


def post_json(client, path, body: str, method="post"):
    return getattr(client, method)(path, data=body, content_type="application/json")


def campaign_body(**fields):
    return {
        "title": "Diwali launch",
        "description": "Show our festive tea.",
        "deliverables": "2 reels",
        "budget": "1000.00",
        "start_date": "2026-01-01",
        "end_date": "2026-02-01",
        **fields,
    }


# --- JSON nested too deep (item 7) -------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/v1/auth/token/", "/api/v1/auth/register/", "/api/v1/auth/token/refresh/"],
)
def test_deeply_nested_json_on_an_anonymous_endpoint_is_a_400(path):
    body = assert_error(post_json(api_client(), path, DEEP), 400, "non_field_errors")
    assert body["code"] == "parse_error"
    assert "nested deeper than 32 levels" in body["detail"]


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_deeply_nested_json_on_an_authenticated_endpoint_is_a_400(depth):
    client = api_client(InfluencerFactory())
    deep_object = '{"a":' * depth + "1" + "}" * depth
    for body in ("[" * depth + "]" * depth, deep_object):
        response = post_json(client, "/api/v1/profile/", body, method="patch")
        assert assert_error(response, 400, "non_field_errors")["code"] == "parse_error"


def test_json_nested_within_the_limit_reaches_the_view():
    """32 levels are read; the view then refuses the value for what it is, naming the field."""
    nested = "[" * 31 + '"x"' + "]" * 31
    body = '{"niches": ' + nested + "}"
    response = post_json(api_client(InfluencerFactory()), "/api/v1/profile/", body, method="patch")
    assert assert_error(response, 400, "niches")["code"] == "invalid"


def test_deeply_nested_json_to_the_telegram_webhook_is_a_400(settings):
    settings.TELEGRAM_WEBHOOK_SECRET = "s3cret"
    response = api_client().post(
        "/api/v1/bot/telegram/webhook/",
        data='{"update_id": 1, "message": ' + DEEP + "}",
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN="s3cret",
    )
    assert_error(response, 400, "non_field_errors")


def test_json_that_is_not_json_names_no_field_but_the_whole_body():
    body = assert_error(post_json(api_client(), "/api/v1/auth/token/", "{nope"), 400, "non_field_errors")
    assert body["code"] == "parse_error"


def test_nan_is_not_json():
    assert_error(post_json(api_client(), "/api/v1/auth/token/", '{"email": NaN}'), 400, "non_field_errors")


# --- NUL and lone surrogates in API bodies (item 8) ----------------------------------------------


def test_nul_in_a_campaign_niche_is_a_400_naming_the_item():
    client = api_client(VendorFactory())
    response = client.post("/api/v1/campaigns/", campaign_body(niches=["a\x00"]), format="json")
    body = assert_error(response, 400, "niches")
    assert body == {
        "detail": f"niches.0: {NUL_MESSAGE}",
        "code": "invalid",
        "errors": {"niches": {"0": [NUL_MESSAGE]}},
    }
    assert not Campaign.objects.exists()


def test_nul_in_a_campaign_niche_on_patch_is_a_400():
    vendor = VendorFactory()
    client = api_client(vendor)
    created = client.post("/api/v1/campaigns/", campaign_body(), format="json")
    assert created.status_code == 201, created.content
    response = client.patch(f"/api/v1/campaigns/{created.json()['id']}/", {"niches": ["a\x00"]}, format="json")
    assert assert_error(response, 400, "niches")["errors"]["niches"] == {"0": [NUL_MESSAGE]}


def test_nul_in_a_profile_niche_is_a_400():
    response = api_client(InfluencerFactory()).patch("/api/v1/profile/", {"niches": ["food", "a\x00"]}, format="json")
    assert assert_error(response, 400, "niches")["errors"]["niches"] == {"1": [NUL_MESSAGE]}


def test_nul_in_a_text_field_is_a_400_and_nothing_is_written():
    client = api_client(VendorFactory())
    response = client.post("/api/v1/campaigns/", campaign_body(title="Diwali\x00"), format="json")
    assert assert_error(response, 400, "title")["errors"] == {"title": [NUL_MESSAGE]}
    assert not Campaign.objects.exists()


def test_lone_surrogate_in_json_is_a_400_naming_the_field():
    client = api_client(VendorFactory())
    response = post_json(client, "/api/v1/campaigns/", json.dumps(campaign_body()).replace("Diwali", "Diwali \\ud800"))
    body = assert_error(response, 400, "title")
    assert body["errors"]["title"] == ["Surrogate characters are not allowed: U+D800."]


def test_nul_in_a_json_key_is_a_400():
    response = post_json(api_client(InfluencerFactory()), "/api/v1/profile/", '{"bio\\u0000": "x"}', method="patch")
    assert assert_error(response, 400, "bio\ufffd")["code"] == "invalid"


def test_nul_in_a_nested_object_names_the_path():
    client = api_client(InfluencerFactory())
    response = client.patch("/api/v1/profile/", {"social_links": {"instagram": "https://x\x00"}}, format="json")
    body = assert_error(response, 400, "social_links")
    assert body["errors"] == {"social_links": {"instagram": [NUL_MESSAGE]}}
    assert body["detail"] == f"social_links.instagram: {NUL_MESSAGE}"


def test_escaped_text_without_nul_is_still_accepted():
    client = api_client(InfluencerFactory())
    response = post_json(client, "/api/v1/profile/", '{"bio": "Chai \\u2615 and \\ud83d\\ude00"}', method="patch")
    assert response.status_code == 200, response.content
    assert response.json()["bio"] == "Chai \u2615 and \U0001f600"


@pytest.mark.parametrize("format", ["multipart", "form"])
def test_nul_in_a_form_encoded_api_body_is_a_400_naming_the_field(format):
    client = api_client()
    data = {"email": "a\x00@example.com", "password": "x"}
    if format == "form":
        from urllib.parse import urlencode

        response = client.post(
            "/api/v1/auth/token/", data=urlencode(data), content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.post("/api/v1/auth/token/", data, format="multipart")
    assert assert_error(response, 400, "email")["errors"] == {"email": [NUL_MESSAGE]}


def test_nul_in_a_form_encoded_patch_is_a_400():
    from urllib.parse import urlencode

    response = api_client(InfluencerFactory()).patch(
        "/api/v1/profile/", data=urlencode({"bio": "a\x00"}), content_type="application/x-www-form-urlencoded"
    )
    assert assert_error(response, 400, "bio")["errors"] == {"bio": [NUL_MESSAGE]}


# --- NUL in query strings, addresses and page forms (item 8) -------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/products/?search=a%00",
        "/api/v1/campaigns/?niche=a%00",
        "/api/v1/influencers/?country=a%00",
        "/api/v1/bills/?customer=a%00",
    ],
)
def test_nul_in_an_api_query_parameter_is_a_400_naming_it(path):
    name = path.split("?")[1].split("=")[0]
    response = api_client(VendorFactory()).get(path)
    body = assert_error(response, 400, name)
    assert response["Content-Type"] == "application/json"
    assert body["errors"] == {name: [NUL_MESSAGE]}


@pytest.mark.parametrize("path", ["/catalog/?q=a%00", "/campaigns/?q=a%00", "/bills/?customer=a%00"])
def test_nul_in_a_page_query_parameter_is_a_400_page_naming_it(vendor_client, path):
    response = vendor_client.get(path)
    assert response.status_code == 400
    name = path.split("?")[1].split("=")[0]
    assert f"{name}: {NUL_MESSAGE}" in response.content.decode()


def test_nul_in_a_chat_message_posted_on_the_page_is_a_400_and_nothing_is_written(client):
    chat = make_chat()
    client.force_login(chat.vendor)
    response = client.post(f"/chats/{chat.pk}/", {"text": "a\x00b"})
    assert response.status_code == 400
    assert f"text: {NUL_MESSAGE}" in response.content.decode()
    assert not Message.objects.exists()


def test_nul_in_an_admin_search_is_a_400(client):
    from accounts.tests.factories import AdminFactory

    client.force_login(AdminFactory())
    response = client.get("/admin/catalog/product/?q=a%00")
    assert response.status_code == 400
    assert f"q: {NUL_MESSAGE}" in response.content.decode()


def test_nul_in_a_header_is_a_400_naming_it():
    client = api_client(VendorFactory())
    response = client.post("/api/v1/bills/", {"customer_name": "x", "items": []}, HTTP_IDEMPOTENCY_KEY="a\x00b")
    assert assert_error(response, 400, "Idempotency-Key")["errors"] == {"Idempotency-Key": [NUL_MESSAGE]}


def test_nul_in_the_address_is_a_400():
    response = api_client(VendorFactory()).get("/api/v1/products/%00/")
    assert assert_error(response, 400, "path")["code"] == "invalid"


# --- The checks themselves -----------------------------------------------------------------------


def test_check_data_walks_any_depth_without_recursion():
    data = current = []
    for _ in range(100_000):
        current.append([])
        current = current[0]
    with pytest.raises(inputs.MalformedJSON):
        inputs.check_data(data)


def test_json_loads_reports_every_bad_string_by_its_path():
    with pytest.raises(inputs.BadText) as caught:
        inputs.json_loads('{"items": [{"name": "ok"}, {"name": "a\\u0000"}], "note": "\\udfff"}')
    assert caught.value.errors == {
        "items": {"1": {"name": [NUL_MESSAGE]}},
        "note": ["Surrogate characters are not allowed: U+DFFF."],
    }


# --- Errors while reading the request, under /api/: always the JSON error body (item 11) ---------


def assert_json_error(response, status):
    assert response["Content-Type"] == "application/json", response.content[:200]
    return assert_error(response, status)


@pytest.mark.parametrize("format", ["json", "multipart", "form"])
def test_body_over_the_upload_limit_is_a_json_413(settings, format):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = api_client(VendorFactory())
    data = campaign_body(description="x" * 2000)
    if format == "form":
        from urllib.parse import urlencode

        response = client.post("/api/v1/campaigns/", urlencode(data), content_type="application/x-www-form-urlencoded")
    else:
        response = client.post("/api/v1/campaigns/", data, format=format)
    body = assert_json_error(response, 413)
    assert body["code"] == "request_too_large"
    assert "1000 bytes" in body["detail"]
    assert not Campaign.objects.exists()


def test_too_many_form_fields_is_a_json_413(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    data = {f"field{i}": "x" for i in range(20)}
    response = api_client(VendorFactory()).post("/api/v1/campaigns/", data, format="multipart")
    assert assert_json_error(response, 413)["code"] == "request_too_large"


def test_too_many_query_parameters_is_a_json_413(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    query = "&".join(f"p{i}=1" for i in range(20))
    response = api_client(VendorFactory()).get(f"/api/v1/products/?{query}")
    assert assert_json_error(response, 413)["code"] == "request_too_large"


@pytest.mark.parametrize(
    ("content_type", "body"),
    [("multipart/form-data", b"--xyz--"), ("multipart/form-data; boundary=xyz", b"no parts at all")],
)
def test_multipart_body_that_cannot_be_parsed_is_a_json_400(content_type, body):
    response = api_client(VendorFactory()).generic("POST", "/api/v1/campaigns/", body, content_type=content_type)
    assert assert_json_error(response, 400)["code"] in ("parse_error", "invalid")


@pytest.mark.parametrize("debug", [False, True])
def test_bad_host_header_under_the_api_is_json(settings, debug):
    settings.DEBUG = debug
    response = api_client().get("/api/v1/auth/me/", HTTP_HOST="evil.example")
    assert assert_json_error(response, 400)["code"] == "bad_request"


def test_bad_host_header_on_a_page_stays_a_page(client):
    response = client.get("/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_page_body_over_the_upload_limit_is_a_400_page(settings, vendor_client):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = vendor_client.post("/catalog/new/", {"name": "x" * 500})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.fixture(scope="module")
def daphne_url(tmp_path_factory):
    """The app served by daphne, as in production (its HTTP layer is not the test client's)."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    base_dir = Path(__file__).resolve().parents[2]
    workdir = tmp_path_factory.mktemp("daphne")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DATABASE_URL=f"sqlite:///{workdir / 'unused.sqlite3'}", DEBUG="True")
    daphne = Path(sys.executable).with_name("daphne")
    log = open(workdir / "daphne.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [str(daphne), "-b", "127.0.0.1", "-p", str(port), "anwariya.asgi:application"],
        cwd=base_dir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/api/v1/", timeout=1)
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data; boundary=xyz", b"--xyz--"),
        ("multipart/form-data", b"x"),
        ("multipart/form-data; boundary=xyz", b"\r\n"),
    ],
)
def test_served_multipart_body_that_cannot_be_parsed_reaches_the_app(daphne_url, content_type, body):
    """Twisted (under daphne) parsed form bodies itself and answered these with a bare 400."""
    import urllib.request

    request = urllib.request.Request(
        f"{daphne_url}/api/v1/no-such-endpoint/", data=body, method="POST", headers={"Content-Type": content_type}
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)
    assert caught.value.code == 404
    assert caught.value.headers["Content-Type"] == "application/json"
    assert json.loads(caught.value.read())["code"] == "not_found"


# --- Every free text has a maximum length (item 12) ------------------------------------------------

PROJECT_APPS = APPS  # every app of the graph, so a new app is checked too
# Text the server writes itself, never what a user typed.
SERVER_WRITTEN_TEXT = {
    "billing.Bill.email_error": "the last error of the invoice email task",
    "broadcasts.Delivery.last_error": "the last error of a broadcast delivery",
    "chat.TelegramMessage.text": "composed by the server: a notification of a chat message, or a bot reply",
    "chat.TelegramMessage.last_error": "the last error of a Telegram delivery",
}
# Strings in request bodies that are looked up, never stored: an unknown value is a 400 anyway.
LOOKUP_VALUES = {
    "BroadcastFiltersRequest.niche",
    "BroadcastRequest.niche",
    "PatchedBroadcastRequest.niche",
    "CampaignRequest.niches[]",
    "PatchedCampaignRequest.niches[]",
    "InfluencerProfileRequest.niches[]",
    "PatchedInfluencerProfileRequest.niches[]",
    "InfluencerProfileRequest.content_types[]",
    "PatchedInfluencerProfileRequest.content_types[]",
    # simplejwt's credentials and tokens: checked against the account, or decoded and verified.
    "TokenPairRequest.email",
    "TokenPairRequest.password",
    "TokenRefreshRequest.refresh",
    "TokenBlacklistRequest.refresh",
}


UNSTORED_FORMATS = ("date", "date-time", "decimal", "binary")  # parsed into a value, or a file


def test_every_text_field_of_the_models_has_a_maximum_length():
    from django.apps import apps
    from django.db import models

    unlimited = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and field.max_length is None
    ]
    assert sorted(set(unlimited) - set(SERVER_WRITTEN_TEXT)) == []


def test_every_text_the_api_takes_has_a_maximum_length_in_its_schema():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    unlimited = set()

    def walk(node, where, seen):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                walk(components[name], name, seen | {name})
            return
        for key in ("allOf", "oneOf", "anyOf"):
            for part in node.get(key, []):
                walk(part, where, seen)
        for name, child in node.get("properties", {}).items():
            if not child.get("readOnly"):
                walk(child, f"{where}.{name}", seen)
        if isinstance(node.get("additionalProperties"), dict):
            walk(node["additionalProperties"], f"{where}.*", seen)
        if node.get("type") == "array":
            walk(node.get("items", {}), f"{where}[]", seen)
        limited = "maxLength" in node or "enum" in node or node.get("format") in UNSTORED_FORMATS
        if node.get("type") == "string" and not limited:
            unlimited.add(where)

    for path_item in schema["paths"].values():
        for operation in path_item.values():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                walk(content["schema"], "body", set())
    assert sorted(unlimited - LOOKUP_VALUES) == [], sorted(unlimited - LOOKUP_VALUES)


LONG_EMAIL = "m" * 60 + "." + "e" * 60 + "." + "r" * 60 + "." + "a" * 60 + "@example.com"  # 255 characters


def test_bill_page_refuses_an_email_longer_than_the_database_keeps(vendor_client):
    from catalog.tests.factories import ProductFactory

    tea = ProductFactory(vendor=vendor_client.vendor, quantity=5)
    data = {
        "customer_name": "Meera",
        "customer_email": LONG_EMAIL,
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
        "lines-0-product": str(tea.pk),
        "lines-0-quantity": "1",
    }
    response = vendor_client.post("/bills/new/", data)
    assert response.status_code == 200
    assert "Ensure this value has at most 254 characters (it has 255)." in response.content.decode()
    assert 'maxlength="254"' in vendor_client.get("/bills/new/").content.decode()


def test_vendor_profile_page_refuses_a_website_longer_than_the_database_keeps(vendor_client):
    data = {"display_name": "Asha", "business_name": "Chai Co", "website": "https://example.com/" + "x" * 200}
    response = vendor_client.post("/profile/", data)
    assert response.status_code == 200
    assert "Ensure this value has at most 200 characters" in response.content.decode()


def test_bill_api_refuses_an_email_longer_than_the_database_keeps():
    from catalog.tests.factories import ProductFactory

    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=5)
    body = {"customer_name": "Meera", "customer_email": LONG_EMAIL, "items": [{"product": tea.pk, "quantity": 1}]}
    assert_error(api_client(vendor).post("/api/v1/bills/", body, format="json"), 400, "customer_email")


def test_profile_api_refuses_a_website_longer_than_the_database_keeps():
    response = api_client(VendorFactory()).patch(
        "/api/v1/profile/", {"website": "https://example.com/" + "x" * 200}, format="json"
    )
    assert_error(response, 400, "website")


def _project_forms():
    """Every form class of the project's forms modules, made without data where it can be."""
    import importlib
    import inspect

    from django import forms

    for app in sorted(PROJECT_APPS):
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for _, form_class in inspect.getmembers(module, inspect.isclass):
            if issubclass(form_class, forms.BaseForm) and form_class.__module__ == module.__name__:
                yield app, form_class


def test_every_text_field_of_a_form_is_no_longer_than_its_column():
    """A form field named like a column of its app's models takes at most what the largest such
    column keeps (PostgreSQL refuses a longer value with an error), and every other text field has
    a limit too. List filters are left out: their search boxes are never stored."""
    from django import forms
    from django.apps import apps
    from django.db import models

    too_long = []
    for app, form_class in _project_forms():
        if form_class.__name__.endswith("FilterForm"):
            continue
        try:
            form = form_class()
        except TypeError:
            continue  # needs arguments (a user, a vendor): its model form fields come from the model
        columns = {}
        for model in [*apps.get_app_config(app).get_models(), apps.get_model("accounts.User")]:
            for field in model._meta.get_fields():
                if isinstance(field, models.CharField | models.TextField) and field.max_length:
                    columns[field.name] = max(columns.get(field.name, 0), field.max_length)
        for name, field in form.fields.items():
            if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
                continue
            limit = columns.get(name)
            if field.max_length is None:
                too_long.append(f"{form_class.__name__}.{name}: no max_length")
            elif limit and field.max_length > limit:
                too_long.append(f"{form_class.__name__}.{name}: {field.max_length} > {limit}")
    assert too_long == []
