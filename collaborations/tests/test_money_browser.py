"""The money at phone width: the tracking link's copy button, the balances, a payout, Earnings."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from anwariya.tests.browser import log_in
from campaigns import services as campaign_services
from collaborations.commission import commission_release_due
from collaborations.tests.factories import accept_terms, make_collaboration, referred_bill
from collaborations.tests.test_browser import PHONE, made_outside_the_browsers_loop
from collaborations.tests.test_commission import later

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _collaboration_with_payable():
    collaboration = make_collaboration()
    campaign_services.campaign_update(campaign=collaboration.campaign, landing_url="https://chai.example.com/")
    accept_terms(collaboration)
    referred_bill(collaboration, Decimal("2500.00"))
    commission_release_due(now=later(15))
    referred_bill(collaboration, Decimal("1000.00"))
    return collaboration


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_vendor_copies_the_link_and_records_a_payout_the_influencer_sees_it(live_server, browser):
    collaboration = made_outside_the_browsers_loop(_collaboration_with_payable)
    detail = f"{live_server.url}/collaborations/{collaboration.pk}/"
    vendor_context = browser.new_context(viewport=PHONE, is_mobile=True)
    influencer_context = browser.new_context(viewport=PHONE, is_mobile=True)
    try:
        vendor = vendor_context.new_page()
        log_in(vendor, live_server.url, collaboration.vendor.email)
        vendor.goto(detail)
        expect(vendor.get_by_test_id("tracking-link")).to_have_text(
            f"{live_server.url}/r/{collaboration.tracking_code}"
        )
        copy = vendor.get_by_role("button", name="Copy")
        expect(copy).to_be_visible()
        copy.click()
        expect(vendor.get_by_role("button", name="Copied")).to_be_visible()
        expect(vendor.locator('[data-field="held"]')).to_have_text("₹100.00")
        expect(vendor.locator('[data-field="payable"]')).to_have_text("₹250.00")
        fits(vendor)
        vendor.screenshot(path="/tmp/money-vendor-detail.png", full_page=True)
        expect(vendor.get_by_label("Amount paid")).to_have_value("250.00")
        vendor.get_by_label("Method").select_option("upi")
        vendor.get_by_label("Reference").fill("UPI-2026-77")
        vendor.get_by_role("button", name="Record the payout").click()
        expect(vendor.get_by_text("Payout of ₹250.00 recorded")).to_be_visible()
        expect(vendor.locator('[data-field="paid"]')).to_have_text("₹250.00")
        vendor.goto(f"{live_server.url}/collaborations/owed/")
        expect(vendor.locator('[data-field="held"]')).to_have_text("₹100.00")
        fits(vendor)

        influencer = influencer_context.new_page()
        log_in(influencer, live_server.url, collaboration.influencer.email)
        influencer.goto(f"{live_server.url}/collaborations/")
        influencer.get_by_role("link", name="Earnings").click()
        expect(influencer.locator('[data-field="paid"]')).to_have_text("₹250.00")
        expect(influencer.get_by_role("link", name=collaboration.campaign.title)).to_be_visible()
        fits(influencer)
        influencer.screenshot(path="/tmp/money-influencer-earnings.png", full_page=True)
        influencer.goto(detail)
        expect(influencer.get_by_role("cell", name="UPI-2026-77", exact=True)).to_be_visible()
        fits(influencer)
    finally:
        vendor_context.close()
        influencer_context.close()
