import pytest
from playwright.sync_api import expect

from accounts.tests.factories import VendorFactory
from anwariya.tests.browser import log_in
from catalog.tests.factories import ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_vendor_filters_the_product_list_with_the_form_and_the_low_stock_link(live_server, new_page):
    vendor = VendorFactory(email="shop@example.com")
    ProductFactory(vendor=vendor, name="Assam Gold", quantity=0)
    ProductFactory(vendor=vendor, name="Brass Mug", quantity=3)
    ProductFactory(vendor=vendor, name="Darjeeling", quantity=50)
    page = new_page()
    log_in(page, live_server.url, "shop@example.com")
    page.get_by_role("link", name="Catalog").first.click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(3)

    page.get_by_label("In stock").select_option(label="Out of stock")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Assam Gold")
    expect(page.get_by_label("In stock")).to_have_value("false")

    page.get_by_role("link", name="Clear").click()
    page.get_by_role("link", name="2 products low on stock").click()
    expect(rows).to_have_count(2)
    expect(page.get_by_label("Low stock only")).to_have_value("true")

    page.get_by_label("Search").fill("mug")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Brass Mug")
