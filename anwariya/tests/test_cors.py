"""CORS: browser clients on the origins the operator names may call the API with a JWT; no other
origin, and no page, is opened to them."""

import pytest
from django.core import checks

from accounts.tests.factories import VendorFactory
from anwariya.tests.api import api_client

pytestmark = pytest.mark.django_db

APP = "https://app.example.com"
OTHER = "https://evil.example"


@pytest.fixture
def allowed(settings):
    settings.CORS_ALLOWED_ORIGINS = [APP]
    settings.CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://[a-z0-9-]+\.preview\.example\.com$"]
    return settings


def preflight(client, path, origin, method="POST", headers="authorization,content-type,idempotency-key"):
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=headers,
    )


def test_an_allowed_origin_gets_the_preflight_headers(client, allowed):
    response = preflight(client, "/api/v1/bills/", APP)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == APP
    assert "POST" in response["Access-Control-Allow-Methods"]
    allowed_headers = response["Access-Control-Allow-Headers"].lower()
    for header in ("authorization", "content-type", "idempotency-key"):
        assert header in allowed_headers
    assert int(response["Access-Control-Max-Age"]) > 0
    assert "Access-Control-Allow-Credentials" not in response


def test_an_origin_matching_a_configured_pattern_is_allowed(client, allowed):
    origin = "https://pr-42.preview.example.com"
    assert preflight(client, "/api/v1/bills/", origin)["Access-Control-Allow-Origin"] == origin
    assert "Access-Control-Allow-Origin" not in preflight(client, "/api/v1/bills/", "https://preview.example.com.evil")


def test_another_origin_gets_no_cors_headers(client, allowed):
    response = preflight(client, "/api/v1/bills/", OTHER)
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Methods" not in response


def test_nothing_is_allowed_by_default(client):
    response = preflight(client, "/api/v1/bills/", APP)
    assert "Access-Control-Allow-Origin" not in response


def test_a_jwt_client_on_an_allowed_origin_reads_the_answer_and_its_headers(allowed):
    vendor = VendorFactory()
    response = api_client(vendor).get("/api/v1/bills/", HTTP_ORIGIN=APP)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == APP
    assert "Idempotent-Replayed" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


def test_errors_under_the_api_carry_the_headers_so_the_client_can_read_them(client, allowed):
    response = client.get("/api/v1/bills/", HTTP_ORIGIN=APP)
    assert response.status_code == 401
    assert response["Access-Control-Allow-Origin"] == APP


def test_pages_are_not_opened_to_other_origins(client, allowed):
    vendor = VendorFactory()
    client.force_login(vendor)
    for path in ("/", "/login/", "/products/"):
        response = client.get(path, HTTP_ORIGIN=APP)
        assert "Access-Control-Allow-Origin" not in response, path
    assert "Access-Control-Allow-Origin" not in preflight(client, "/login/", APP)


def test_credentials_only_when_configured(client, allowed):
    allowed.CORS_ALLOW_CREDENTIALS = True
    response = preflight(client, "/api/v1/bills/", APP)
    assert response["Access-Control-Allow-Credentials"] == "true"


def test_a_malformed_origin_in_the_settings_fails_the_system_check(settings):
    settings.CORS_ALLOWED_ORIGINS = ["app.example.com"]
    errors = [message.id for message in checks.run_checks() if message.id.startswith("corsheaders.")]
    assert errors == ["corsheaders.E013"]
