"""Error pages: the site layout with a next step for people, JSON under /api/, with DEBUG on or off."""

import logging
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory
from catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

SITE_LAYOUT = ('<header class="topbar">', "<title>")


def assert_site_page(response, status, *texts):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    for marker in SITE_LAYOUT:
        assert marker in page
    for text in texts:
        assert text in page, text
    return page


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def test_influencer_on_a_vendor_page_gets_the_403_page_with_a_way_on(client, debug):
    client.force_login(InfluencerFactory())
    response = client.get(reverse("catalog:product-list"))
    page = assert_site_page(response, 403, "Only vendors can open this page.", "Go to your dashboard")
    assert f'href="{reverse("dashboard")}"' in page


def test_influencer_on_analytics_gets_the_403_page(client, debug):
    client.force_login(InfluencerFactory())
    assert_site_page(client.get(reverse("analytics:dashboard")), 403, "Analytics are for vendors.")


def test_admin_without_a_role_on_a_vendor_page_is_pointed_to_the_admin(client, debug):
    client.force_login(AdminFactory())
    page = assert_site_page(client.get(reverse("billing:bill-list")), 403, "Only vendors can open this page.")
    assert f'href="{reverse("admin:index")}"' in page


def test_a_403_is_a_one_line_warning_not_an_error_with_a_traceback(client, caplog, debug):
    client.force_login(InfluencerFactory())
    with caplog.at_level(logging.INFO):
        client.get(reverse("catalog:product-list"))
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [(r.levelname, r.getMessage()) for r in records] == [("WARNING", "Forbidden: /catalog/")]
    assert records[0].exc_info is None
    assert "Traceback" not in caplog.text


def test_another_vendors_product_is_the_404_page(client, debug):
    client.force_login(VendorFactory())
    foreign = ProductFactory(vendor=VendorFactory())
    response = client.get(reverse("catalog:product-detail", args=[foreign.pk]))
    page = assert_site_page(response, 404, "Page not found", "Go to your dashboard")
    assert "URLconf" not in page  # not Django's technical page


def test_unknown_address_is_the_404_page_when_debug_is_off(client, settings):
    settings.DEBUG = False
    assert_site_page(client.get("/no-such-page/"), 404, "Page not found", "Log in")


def test_server_error_is_the_500_page(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(VendorFactory())
    with mock.patch("analytics.selectors.sales_summary", side_effect=RuntimeError("boom")):
        response = client.get(reverse("analytics:dashboard"))
    page = assert_site_page(response, 500, "Something went wrong on our side", "/analytics/")
    assert "boom" not in page


def test_expired_form_is_the_403_page_saying_to_reload(settings, debug):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "a@example.com", "password": "x"})
    assert_site_page(response, 403, "reload the page")


@pytest.mark.parametrize(
    ("factory", "path", "status"),
    [
        (InfluencerFactory, "/api/v1/analytics/sales/", 403),
        (VendorFactory, "/api/v1/products/999999/", 404),
        (VendorFactory, "/api/v1/nothing-here/", 404),
    ],
)
def test_api_errors_stay_json(factory, path, status, debug):
    from anwariya.tests.api import api_client, assert_error

    body = assert_error(api_client(factory()).get(path), status)
    assert body["code"] in ("permission_denied", "not_found")


def test_api_403_from_a_plain_django_view_is_json(rf):
    from django.core.exceptions import PermissionDenied

    from anwariya.views import permission_denied

    response = permission_denied(rf.get("/api/v1/x/"), PermissionDenied("No."))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"


def test_500_page_needs_neither_the_database_nor_the_sites_url_names(rf, settings, django_assert_num_queries):
    from anwariya.views import server_error

    settings.ROOT_URLCONF = "anwariya.tests.idempotency_urls"  # has none of the site's URL names
    with django_assert_num_queries(0):
        response = server_error(rf.get("/bills/new/"))
    assert_site_page(response, 500, "Something went wrong on our side", 'href="/bills/new/"')
