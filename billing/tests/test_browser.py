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

    expect(page.get_by_text(re.compile(r"Bill \d{2}-\d{2}/000001 recorded"))).to_be_visible()
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
    expect(page.get_by_role("cell", name="Sale · ", exact=False)).to_contain_text("/000001")


def test_vendor_imports_history_from_the_bills_page_and_finds_it(live_server, new_page, tmp_path):
    VendorFactory(email="shop@example.com")
    sales = tmp_path / "sales.csv"
    sales.write_text(
        "date,bill_ref,product,sku,category,quantity,unit_price,customer_name\n"
        "2025-03-01,A-1001,Assam Gold,TEA-001,Tea,2,250.00,Meera Iyer\n"
        "2025-03-02,A-1002,Brass Mug,MUG-002,Kitchen,1,399.00,Kabir Rao\n"
    )
    page = new_page()
    log_in(page, live_server.url, "shop@example.com")
    page.get_by_role("link", name="Bills").first.click()
    page.get_by_role("link", name="Import history").click()
    expect(page).to_have_url(live_server.url + "/analytics/import/")
    page.get_by_label("Sales file (CSV)").set_input_files(str(sales))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-result")).to_contain_text("2 bills created (2 lines)")

    page.get_by_role("link", name="See your bills").click()
    expect(page.locator("tbody tr")).to_have_count(2)
    page.get_by_label("Search").fill("kabir")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr").first).to_contain_text("IMP-A-1002")
