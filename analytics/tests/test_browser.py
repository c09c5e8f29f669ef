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
