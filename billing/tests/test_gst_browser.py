"""A registered vendor on a phone: GST details on the profile, a B2B sale with IGST, a return from
the bill page, and the month's GST summary, each page within 390 px."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import VendorFactory
from anwariya.tests.browser import log_in
from billing.models import CreditNote
from billing.tests.factories import gst_product
from profiles.models import VendorProfile
from profiles.tests.factories import GSTIN_KARNATAKA_BUYER, GSTIN_MAHARASHTRA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_a_registered_vendor_sells_across_states_returns_a_line_and_reads_the_summary(live_server, browser):
    vendor = VendorFactory(business_name="Chai & Co")
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    try:
        page = context.new_page()
        log_in(page, live_server.url, vendor.email)

        page.goto(f"{live_server.url}/profile/")
        page.get_by_label("Legal name").fill("Chai and Company LLP")
        page.get_by_label("Registered address").fill("12 Tilak Road, Pune")
        page.get_by_label("State (GST code)").select_option("27")
        page.get_by_label("GST registration").select_option("regular")
        page.get_by_label("GSTIN").fill(GSTIN_MAHARASHTRA)
        fits(page)
        page.get_by_role("button", name="Save profile").click()
        expect(page.get_by_text("Your profile was saved.")).to_be_visible()
        assert VendorProfile.objects.get(user=vendor).gstin == GSTIN_MAHARASHTRA

        mug = gst_product(vendor, 18, price="1000.00", name="Brass mug", quantity=10)
        page.goto(f"{live_server.url}/bills/new/")
        page.locator("select[name='lines-0-product']").select_option(value=str(mug.pk))
        page.locator("input[name='lines-0-quantity']").fill("3")
        page.get_by_label("Customer name").fill("Kaveri Traders")
        page.get_by_label("Customer email").fill("accounts@kaveri.example")
        page.get_by_label("Customer GSTIN").fill(GSTIN_KARNATAKA_BUYER)
        fits(page)
        page.get_by_role("button", name="Record sale").click()
        expect(page.get_by_test_id("bill-total")).to_have_text("₹3,540.00")
        expect(page.get_by_test_id("bill-gst")).to_contain_text("Karnataka (29)")
        fits(page)

        page.get_by_label("Units of Brass mug to return").fill("1")
        page.get_by_label("Reason").fill("Chipped")
        page.get_by_role("button", name="Issue credit note").click()
        note = CreditNote.objects.get()
        expect(page.get_by_text(f"Credit note {note.number} issued", exact=False)).to_be_visible()
        expect(page.get_by_role("cell", name="1 × Brass mug")).to_be_visible()
        fits(page)

        page.goto(f"{live_server.url}/bills/")
        page.get_by_role("link", name="GST summary").click()
        expect(page.get_by_test_id("gst-tax")).to_have_text("₹540.00")
        expect(page.get_by_role("cell", name=GSTIN_KARNATAKA_BUYER)).to_have_count(2)  # B2B, and its credit note
        # Its row in table 9B, and the first and last credit note of table 13.
        expect(page.get_by_role("cell", name=note.number, exact=True)).to_have_count(3)
        fits(page)
    finally:
        context.close()
