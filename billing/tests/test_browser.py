import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import VendorFactory
from anwariya.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_vendor_creates_product_sells_two_and_downloads_invoice(live_server, new_page, tmp_path):
    VendorFactory(email="shop@example.com", business_name="Chai & Co")
    page = new_page()
    log_in(page, live_server.url, "shop@example.com")

    page.get_by_role("link", name="Catalog").first.click()
    page.get_by_role("link", name="New product").click()
    page.get_by_label("Name").fill("Masala Chai")
    page.get_by_label("SKU").fill("CHAI-1")
    page.get_by_label("Cost price").fill("120.00")
    page.get_by_label("Sale price").fill("199.50")
    page.get_by_label("Units in stock").fill("10")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Masala Chai was added.")).to_be_visible()
    expect(page.get_by_test_id("stock")).to_have_text("10")

    page.get_by_role("link", name="Bills").first.click()
    page.get_by_role("link", name="New bill").click()
    page.locator("select[name='lines-0-product']").select_option(label="Masala Chai (CHAI-1) — 10 in stock")
    page.locator("input[name='lines-0-quantity']").fill("2")
    expect(page.locator("#running-total")).to_have_text(re.compile(r"399\.00"))
    page.get_by_role("button", name="Add line").click()
    expect(page.locator("tr.line")).to_have_count(4)
    page.get_by_label("Customer name").fill("Meera Iyer")
    page.get_by_label("Customer email").fill("meera@example.com")
    page.get_by_role("button", name="Record sale").click()

    expect(page.get_by_text(re.compile(r"Bill INV-\d{4}-000001 recorded"))).to_be_visible()
    expect(page.get_by_test_id("bill-total")).to_have_text("₹399.00")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download invoice PDF").click()
    download = download_info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert download.suggested_filename.endswith(".pdf")
    assert path.read_bytes().startswith(b"%PDF")

    page.get_by_role("link", name="Masala Chai").click()
    expect(page.get_by_test_id("stock")).to_have_text("8")
    expect(page.get_by_role("cell", name="Sale · INV-", exact=False)).to_be_visible()
