import datetime
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect

from anwariya.tests.browser import log_in
from collaborations.tests.factories import make_collaboration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 800}


def made_outside_the_browsers_loop(function):
    """Playwright's event loop runs in the test's thread, and joining a campaign publishes to the
    chat's channel layer (``async_to_sync``), which refuses to run there: the data is made in a
    thread of its own, as the live server's requests are."""

    def run():
        try:
            return function()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def test_terms_are_sent_sent_back_revised_and_accepted_at_phone_width(live_server, browser):
    collaboration = made_outside_the_browsers_loop(make_collaboration)
    due = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    detail = f"{live_server.url}/collaborations/{collaboration.pk}/"
    vendor_context = browser.new_context(viewport=PHONE, is_mobile=True)
    influencer_context = browser.new_context(viewport=PHONE, is_mobile=True)
    try:
        vendor = vendor_context.new_page()
        log_in(vendor, live_server.url, collaboration.vendor.email)
        vendor.goto(f"{live_server.url}/collaborations/pipeline/")
        expect(vendor.get_by_test_id("count-new")).to_have_text("1")
        vendor.get_by_role("link", name=collaboration.influencer.display_name).click()
        vendor.get_by_role("link", name="Send terms").click()
        vendor.locator("#id_kind_0").select_option("reel")
        vendor.locator("#id_brief_0").fill("A reel brewing our chai")
        vendor.locator("#id_due_date_0").fill(due)
        vendor.get_by_label("Fee").fill("4000")
        vendor.get_by_label("Commission rate (%)").fill("8")
        assert vendor.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        vendor.get_by_role("button", name="Send terms").click()
        expect(vendor.get_by_text("Terms v1 sent.")).to_be_visible()

        influencer = influencer_context.new_page()
        log_in(influencer, live_server.url, collaboration.influencer.email)
        influencer.goto(detail)
        expect(influencer.get_by_test_id("terms-v1")).to_contain_text("A reel brewing our chai")
        influencer.get_by_label("What should change?").fill("Please raise the fee to 6000")
        influencer.get_by_role("button", name="Send back").click()
        expect(influencer.get_by_text("went back to the vendor")).to_be_visible()

        vendor.goto(detail)
        expect(vendor.get_by_test_id("terms-v1")).to_contain_text("Please raise the fee to 6000")
        vendor.get_by_role("link", name="Send terms").click()
        expect(vendor.locator("#id_brief_0")).to_have_value("A reel brewing our chai")  # v1 is the starting point
        vendor.get_by_label("Fee").fill("6000")
        vendor.get_by_role("button", name="Send terms").click()
        expect(vendor.get_by_text("Terms v2 sent.")).to_be_visible()

        influencer.goto(detail)
        expect(influencer.get_by_test_id("terms-v2")).to_contain_text("fee 4000.00 → 6000.00")
        assert influencer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        influencer.get_by_role("button", name="Accept terms v2").click()
        expect(influencer.get_by_text("The collaboration is active.")).to_be_visible()
        expect(influencer.locator("h1 [data-stage]")).to_have_text("Active")

        vendor.goto(f"{live_server.url}/collaborations/pipeline/")
        expect(vendor.get_by_test_id("count-active")).to_have_text("1")
        assert vendor.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        vendor_context.close()
        influencer_context.close()
