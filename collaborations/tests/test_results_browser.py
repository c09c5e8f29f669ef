"""The results both sides see, at phone width: the influencer's results page and the vendor's analytics."""

import pytest
from playwright.sync_api import expect

from anwariya.tests.browser import log_in
from collaborations.tests.factories import make_results_scenario
from collaborations.tests.test_browser import PHONE, made_outside_the_browsers_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_both_sides_read_the_results_on_a_phone(live_server, browser):
    made = made_outside_the_browsers_loop(make_results_scenario)
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    try:
        page = context.new_page()
        log_in(page, live_server.url, made["ira"].influencer.email)
        page.goto(f"{live_server.url}/collaborations/")
        page.get_by_role("link", name="Results").click()
        expect(page.get_by_role("heading", name="Results", exact=True)).to_be_visible()
        totals = page.get_by_test_id("results-totals")
        expect(totals.locator("div", has_text="Revenue")).to_contain_text("₹950.00")
        row = page.locator(f'tr[data-collaboration="{made["ira"].pk}"]')
        expect(row).to_contain_text("₹550.00")
        expect(row).to_contain_text("2 × Chai")
        assert fits_the_phone(page)  # the table scrolls in its box, not the page
        wrap = page.locator(".table-wrap").first
        assert wrap.evaluate("element => element.scrollWidth > element.clientWidth")

        row.get_by_role("link", name=made["ira"].campaign.title, exact=True).click()
        expect(page.get_by_test_id("results-summary")).to_contain_text("₹550.00")
        assert fits_the_phone(page)

        context.clear_cookies()
        log_in(page, live_server.url, made["vendor"].email)
        page.goto(f"{live_server.url}/analytics/")
        roi = page.get_by_test_id("influencer-roi-table")
        expect(roi.locator("tr", has_text="Ira")).to_contain_text("-84.8%")
        launch = (
            page.get_by_test_id("campaign-roi-table")
            .get_by_role("row")
            .filter(has=page.get_by_role("cell", name="Launch", exact=True))
        )
        expect(launch).to_contain_text("₹800.00")
        assert fits_the_phone(page)
    finally:
        context.close()
