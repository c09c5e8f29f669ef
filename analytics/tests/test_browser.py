from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, VendorFactory
from analytics.tests.test_selectors import at, sell_at
from catalog.tests.factories import ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_vendor_opens_analytics_and_sees_kpis_and_chart(live_server, new_page):
    vendor = VendorFactory(email="shop@example.com")
    chai = ProductFactory(vendor=vendor, name="Masala Chai", quantity=50, sale_price=Decimal("150.00"))
    sell_at(vendor, at(timezone.localdate()), (chai, 3))

    page = new_page()
    page.goto(live_server.url + "/login/")
    page.get_by_label("Email").fill("shop@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Analytics").first.click()

    kpis = page.get_by_test_id("kpis")
    expect(kpis.get_by_text("Revenue")).to_be_visible()
    expect(kpis.locator(".kpi", has_text="Revenue").get_by_text("₹450.00")).to_be_visible()
    expect(page.get_by_test_id("sales-chart").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("insights").locator("li").first).to_be_visible()


def test_admin_picks_a_vendor_and_reads_their_analytics(live_server, new_page):
    from accounts.tests.factories import AdminFactory
    from anwariya.tests.browser import log_in

    AdminFactory(email="admin@example.com")
    VendorFactory(business_name="Zaffran Foods")
    chosen = VendorFactory(business_name="Chai & Co")
    chai = ProductFactory(vendor=chosen, name="Masala Chai", quantity=50, sale_price=Decimal("150.00"))
    sell_at(chosen, at(timezone.localdate()), (chai, 2))

    page = new_page()
    log_in(page, live_server.url, "admin@example.com")
    page.goto(live_server.url + "/analytics/")
    expect(page.get_by_role("heading", name="Analytics · Choose a vendor")).to_be_visible()
    page.get_by_label("Vendor", exact=True).select_option(label=f"Chai & Co · {chosen.email}")
    page.get_by_role("button", name="Show analytics").click()

    expect(page.get_by_role("heading", name="Analytics · Chai & Co")).to_be_visible()
    expect(page.get_by_test_id("kpis").locator(".kpi", has_text="Revenue").get_by_text("₹300.00")).to_be_visible()
    page.get_by_role("link", name="Choose another vendor").click()
    expect(page.get_by_role("heading", name="Analytics · Choose a vendor")).to_be_visible()


def test_influencer_on_analytics_gets_a_page_that_leads_back(live_server, new_page):
    from accounts.tests.factories import InfluencerFactory
    from anwariya.tests.browser import log_in

    InfluencerFactory(email="creator@example.com")
    page = new_page()
    log_in(page, live_server.url, "creator@example.com")
    page.goto(live_server.url + "/analytics/")
    expect(page.get_by_role("heading", name="This page is not open to you")).to_be_visible()
    expect(page.get_by_text("Analytics are for vendors.")).to_be_visible()
    page.get_by_role("link", name="Go to your dashboard").click()
    expect(page.get_by_role("heading", name="Hello", exact=False)).to_be_visible()
