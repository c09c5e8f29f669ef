"""A gift at phone width: the influencer gives the address, the vendor sends products and ships
them, the influencer sees the tracking number and says it arrived."""

import os

import pytest
from playwright.sync_api import expect

from anwariya.tests.browser import log_in
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from collaborations.tests.factories import make_active_collaboration
from collaborations.tests.test_browser import PHONE, made_outside_the_browsers_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where to save screenshots of each step, when set (to look at the layout by eye).
SCREENSHOTS = os.environ.get("SHIPMENT_SCREENSHOTS")


def fits(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name


def test_a_gift_is_sent_shipped_and_received_at_phone_width(live_server, browser):
    def data():
        collaboration = make_active_collaboration()
        ProductFactory(vendor=collaboration.vendor, name="Masala chai, 250 g tin", quantity=6)
        ProductFactory(vendor=collaboration.vendor, name="Brass tumbler", quantity=2)
        return collaboration

    collaboration = made_outside_the_browsers_loop(data)
    detail = f"{live_server.url}/collaborations/{collaboration.pk}/"
    vendor_context = browser.new_context(viewport=PHONE, is_mobile=True)
    influencer_context = browser.new_context(viewport=PHONE, is_mobile=True)
    try:
        influencer = influencer_context.new_page()
        log_in(influencer, live_server.url, collaboration.influencer.email)
        influencer.goto(detail)
        expect(influencer.get_by_text("Products the vendor sends you show here")).to_be_visible()
        influencer.get_by_label("Your shipping address").fill("Asha Rao\n14 Lavelle Road\nBengaluru 560001")
        fits(influencer, "1-influencer-address")
        influencer.get_by_role("button", name="Save the address").click()
        expect(influencer.get_by_text("Your shipping address is saved")).to_be_visible()

        vendor = vendor_context.new_page()
        log_in(vendor, live_server.url, collaboration.vendor.email)
        vendor.goto(detail)
        expect(vendor.get_by_test_id("shipping-address")).to_contain_text("14 Lavelle Road")
        vendor.get_by_role("link", name="Send a gift").click()
        expect(vendor.get_by_label("Address")).to_have_value("Asha Rao\n14 Lavelle Road\nBengaluru 560001")
        chai = vendor.get_by_label("Product, line 1")
        chai.select_option(chai.locator("option", has_text="Masala chai").get_attribute("value"))
        vendor.get_by_label("Quantity, line 1").fill("2")
        tumbler = vendor.get_by_label("Product, line 2")
        tumbler.select_option(tumbler.locator("option", has_text="Brass tumbler").get_attribute("value"))
        fits(vendor, "2-vendor-form")
        vendor.get_by_role("button", name="Make the shipment").click()
        expect(vendor.get_by_text("Gift shipment made; its stock has left.")).to_be_visible()
        expect(vendor.get_by_test_id("shipment-status")).to_have_text("Preparing")
        vendor.get_by_label("Carrier").fill("Delhivery")
        vendor.get_by_label("Tracking number").fill("DL4455667788")
        fits(vendor, "3-vendor-preparing")
        vendor.get_by_role("button", name="Mark shipped").click()
        expect(vendor.get_by_test_id("shipment-status")).to_have_text("Shipped")

        influencer.goto(detail)
        expect(influencer.get_by_test_id("tracking-number")).to_have_text("DL4455667788")
        expect(influencer.get_by_text("Masala chai, 250 g tin")).to_be_visible()
        expect(influencer.get_by_test_id("shipment-cost")).to_have_count(0)
        fits(influencer, "4-influencer-shipped")
        influencer.get_by_role("button", name="I received it").click()
        expect(influencer.get_by_test_id("shipment-status")).to_have_text("Delivered")
        fits(influencer, "5-influencer-delivered")
    finally:
        vendor_context.close()
        influencer_context.close()
    quantities = made_outside_the_browsers_loop(
        lambda: dict(Product.objects.filter(vendor=collaboration.vendor).values_list("name", "quantity"))
    )
    assert quantities == {"Masala chai, 250 g tin": 4, "Brass tumbler": 1}
