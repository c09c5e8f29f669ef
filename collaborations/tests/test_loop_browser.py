"""The whole collaboration loop in Chromium at phone width, as the vendor and the influencer click
through it: terms, a reel with a change requested, the approval, a gift shipped, a visit through the
tracking link, a sale with the referral code, its commission held then payable, and a payout both
sides see. Only time passing (the release of held commission) is not done in the browser."""

import datetime
import os
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import VendorFactory
from anwariya.tests.browser import log_in
from campaigns.tests.factories import CampaignFactory
from catalog.tests.factories import ProductFactory
from collaborations.commission import commission_release_due
from collaborations.models import ClickDay
from collaborations.tests.factories import make_collaboration
from collaborations.tests.test_browser import PHONE, made_outside_the_browsers_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where to save a screenshot of each step, when set (``LOOP_SCREENSHOTS=/tmp`` → /tmp/loop-*.png).
SCREENSHOTS = os.environ.get("LOOP_SCREENSHOTS")

# Headless Chromium says "HeadlessChrome", which the tracking link rightly ignores as a bot: the
# customer who taps the link is a person on a phone.
PHONE_BROWSER = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)

# pytest-django's live server speaks HTTP only, so the nav badge's notification socket cannot
# connect there (the chat's browser test runs daphne for that): its failed handshake is the one
# console error a page may log here.
NO_SOCKET_HERE = re.compile(r"^WebSocket connection to 'ws://[^']+/ws/notifications/' failed")


class Side:
    """One party's browser: a phone-sized context whose page collects console errors."""

    def __init__(self, browser, **context_options):
        self.context = browser.new_context(viewport=PHONE, is_mobile=True, **context_options)
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message):
        if message.type == "error" and not NO_SOCKET_HERE.match(message.text):
            self.errors.append(message.text)

    def check(self, name):
        """The page fits a phone's width and logged no error."""
        if SCREENSHOTS:
            self.page.screenshot(path=os.path.join(SCREENSHOTS, f"loop-{name}.png"), full_page=True)
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name}: the page is {width}px wide"
        # An amount wider than its box spills over the next one (or off the screen) without
        # widening the page: each balance must fit its own box.
        spilled = self.page.evaluate(
            "[...document.querySelectorAll('[data-testid=balances] dd')]"
            ".filter(dd => dd.scrollWidth > dd.clientWidth).map(dd => dd.textContent)"
        )
        assert spilled == [], f"{name}: balances wider than their boxes {spilled}"
        assert self.errors == [], f"{name}: console errors {self.errors}"


def test_a_collaboration_runs_from_terms_to_payout_at_phone_width(live_server, browser):
    # The campaign's landing page: on the live server (no network), Anwariya's own front page.
    landing = f"{live_server.url}/?from=monsoon-chai"

    def starting_point():
        vendor = VendorFactory(business_name="Chai & Co")
        ProductFactory(
            vendor=vendor,
            name="Masala chai, 250 g tin",
            sku="CHAI-250",
            cost_price=Decimal("180.00"),
            sale_price=Decimal("1250.00"),
            quantity=10,
        )
        campaign = CampaignFactory(vendor=vendor, title="Monsoon chai", landing_url=landing)
        return make_collaboration(campaign=campaign)

    collaboration = made_outside_the_browsers_loop(starting_point)
    detail = f"{live_server.url}/collaborations/{collaboration.pk}/"
    due = timezone.localdate() + datetime.timedelta(days=10)
    vendor_side, influencer_side = Side(browser), Side(browser)
    customer_side = Side(browser, user_agent=PHONE_BROWSER)
    vendor, influencer, customer = vendor_side.page, influencer_side.page, customer_side.page
    try:
        # The vendor finds the new collaboration in the pipeline and sends terms.
        log_in(vendor, live_server.url, collaboration.vendor.email)
        vendor.goto(f"{live_server.url}/collaborations/pipeline/")
        vendor.get_by_role("link", name=collaboration.influencer.display_name).click()
        expect(vendor.locator("h1 [data-stage]")).to_have_text("New (no terms yet)")
        vendor_side.check("01-vendor-new")
        vendor.get_by_role("link", name="Send terms").click()
        vendor.locator("#id_kind_0").select_option("reel")
        vendor.locator("#id_brief_0").fill("A 30-second reel brewing our masala chai in the rain")
        vendor.locator("#id_due_date_0").fill(due.isoformat())
        vendor.get_by_label("Fee").fill("4000")
        vendor.get_by_label("Commission rate (%)").fill("10")
        vendor.get_by_label("Masala chai, 250 g tin").check()
        vendor.get_by_label("Usage rights").fill("Reposts on our Instagram for 90 days.")
        vendor_side.check("02-vendor-terms-form")
        vendor.get_by_role("button", name="Send terms").click()
        expect(vendor.get_by_text("Terms v1 sent.")).to_be_visible()

        # The influencer reads and accepts them, and gives a shipping address for the gift.
        log_in(influencer, live_server.url, collaboration.influencer.email)
        influencer.goto(detail)
        terms = influencer.get_by_test_id("terms-v1")
        expect(terms).to_contain_text("A 30-second reel brewing our masala chai in the rain")
        expect(terms).to_contain_text("₹4,000.00")
        expect(terms).to_contain_text("10.00% of attributed sales before tax")
        expect(terms).to_contain_text("Masala chai, 250 g tin")
        due_cell = terms.get_by_role("cell", name=f"{due.day} {due:%b %Y}")
        box = due_cell.bounding_box()
        assert box["x"] + box["width"] <= PHONE["width"]  # the due date is on the screen, not scrolled away
        influencer_side.check("03-influencer-terms")
        influencer.get_by_role("button", name="Accept terms v1").click()
        expect(influencer.get_by_text("The collaboration is active.")).to_be_visible()
        expect(influencer.locator("h1 [data-stage]")).to_have_text("Active")
        influencer.get_by_label("Your shipping address").fill("Asha Rao\n14 Lavelle Road\nBengaluru 560001")
        influencer.get_by_role("button", name="Save the address").click()
        expect(influencer.get_by_text("Your shipping address is saved")).to_be_visible()

        # The reel, first without a disclosure label: the warning shows before and after submitting.
        reel = influencer.get_by_test_id("deliverable-1")
        reel.get_by_label("Post URL").fill("https://www.instagram.com/reel/monsoon-chai-1/")
        reel.get_by_label("Caption").fill("Rainy evenings call for masala chai")
        expect(reel.get_by_test_id("caption-warning")).to_be_visible()
        influencer_side.check("04-influencer-warning")
        reel.get_by_role("button", name="Submit for review").click()
        expect(influencer.get_by_text("Round 1 submitted: the vendor reviews it next.")).to_be_visible()
        expect(influencer.locator(".message.warning").first).to_contain_text("no disclosure label")

        # The vendor sees the warning on review and asks for a change.
        vendor.goto(detail)
        expect(vendor.locator("h1 [data-stage]")).to_have_text("Content submitted")
        reel = vendor.get_by_test_id("deliverable-1")
        expect(reel.get_by_test_id("disclosure-warning")).to_be_visible()
        expect(reel.get_by_role("link", name="https://www.instagram.com/reel/monsoon-chai-1/")).to_be_visible()
        vendor_side.check("05-vendor-review")
        reel.get_by_label("What should change?").fill("Please add #ad to the caption, as ASCI asks.")
        reel.get_by_role("button", name="Ask for changes").click()
        expect(vendor.get_by_text("Sent back with your comment")).to_be_visible()

        # The influencer fixes the caption and submits again.
        influencer.goto(detail)
        reel = influencer.get_by_test_id("deliverable-1")
        expect(reel.get_by_test_id("deliverable-status")).to_have_text("Changes requested")
        expect(reel).to_contain_text("Please add #ad to the caption, as ASCI asks.")
        reel.get_by_label("Post URL").fill("https://www.instagram.com/reel/monsoon-chai-1/")
        reel.get_by_label("Caption").fill("Rainy evenings call for masala chai #ad")
        expect(reel.get_by_test_id("caption-warning")).to_be_hidden()
        influencer_side.check("06-influencer-resubmit")
        reel.get_by_role("button", name="Submit for review").click()
        expect(influencer.get_by_text("Round 2 submitted: the vendor reviews it next.")).to_be_visible()

        # The vendor approves: the fee is payable.
        vendor.goto(detail)
        reel = vendor.get_by_test_id("deliverable-1")
        expect(reel.get_by_test_id("round-2").get_by_test_id("disclosure-warning")).to_have_count(0)
        reel.get_by_role("button", name="Approve round 2").click()
        expect(vendor.locator("h1 [data-stage]")).to_have_text("Approved")
        expect(vendor.get_by_text("the fee of ₹4,000.00 is payable")).to_be_visible()
        expect(vendor.locator('[data-field="payable"]')).to_have_text("₹4,000.00")
        expect(vendor.locator('[data-field="held"]')).to_have_text("₹0.00")
        vendor_side.check("07-vendor-approved")

        # The vendor ships the gift; the influencer sees the tracking number.
        vendor.get_by_role("link", name="Send a gift").click()
        expect(vendor.get_by_label("Address")).to_have_value("Asha Rao\n14 Lavelle Road\nBengaluru 560001")
        line = vendor.get_by_label("Product, line 1")
        line.select_option(line.locator("option", has_text="Masala chai").get_attribute("value"))
        vendor.get_by_label("Quantity, line 1").fill("1")
        vendor.get_by_label("Carrier").fill("Delhivery")
        vendor.get_by_label("Tracking number").fill("DL4455667788")
        vendor_side.check("08-vendor-shipment-form")
        vendor.get_by_role("button", name="Make the shipment").click()
        expect(vendor.get_by_text("Gift shipment made; its stock has left.")).to_be_visible()
        expect(vendor.get_by_test_id("shipment-status")).to_have_text("Preparing")
        vendor.get_by_role("button", name="Mark shipped").click()
        expect(vendor.get_by_test_id("shipment-status")).to_have_text("Shipped")
        influencer.goto(detail)
        expect(influencer.get_by_test_id("shipment-status")).to_have_text("Shipped")
        expect(influencer.get_by_test_id("tracking-number")).to_have_text("DL4455667788")
        influencer_side.check("09-influencer-shipped")

        # A customer taps the tracking link in the post and lands on the campaign's landing page.
        tracking_link = influencer.get_by_test_id("tracking-link").inner_text()
        assert tracking_link == f"{live_server.url}/r/{collaboration.tracking_code}"
        customer.goto(tracking_link)
        expect(customer).to_have_url(landing)
        customer_side.check("10-customer-landing")
        clicks = made_outside_the_browsers_loop(
            lambda: list(ClickDay.objects.filter(collaboration=collaboration).values_list("clicks", "unique_clicks"))
        )
        assert clicks == [(1, 1)]

        # ... and buys: the vendor records the sale with the referral code on the new-bill page.
        code = vendor.get_by_test_id("referral-code").inner_text()
        assert code == collaboration.referral_code
        vendor.get_by_text("Menu", exact=True).click()  # the phone's folded navigation
        vendor.get_by_role("navigation", name="Main").get_by_role("link", name="Bills").click()
        vendor.get_by_role("link", name="New bill").click()
        vendor.locator("select[name='lines-0-product']").select_option(
            label="Masala chai, 250 g tin (CHAI-250) — 9 in stock"
        )
        vendor.locator("input[name='lines-0-quantity']").fill("2")
        vendor.get_by_label("Customer name").fill("Meera Iyer")
        vendor.get_by_label("Customer email").fill("meera@example.com")
        vendor.get_by_label("Referral code").fill(code)
        vendor_side.check("11-vendor-new-bill")
        vendor.get_by_role("button", name="Record sale").click()
        expect(vendor.get_by_text(re.compile(r"Bill \d{2}-\d{2}/000001 recorded"))).to_be_visible()
        expect(vendor.get_by_test_id("bill-total")).to_have_text("₹2,500.00")
        expect(vendor.get_by_text(f"Referred by {collaboration.influencer.display_name} ({code})")).to_be_visible()
        vendor_side.check("12-vendor-bill")

        # The commission (10% of ₹2,500) is held on the collaboration's page, for both.
        vendor.goto(detail)
        expect(vendor.locator('[data-field="held"]')).to_have_text("₹250.00")
        expect(vendor.locator('[data-field="payable"]')).to_have_text("₹4,000.00")
        influencer.goto(detail)
        expect(influencer.locator('[data-field="held"]')).to_have_text("₹250.00")
        influencer_side.check("13-influencer-held")

        # Fifteen days pass: the hold is over.
        released = made_outside_the_browsers_loop(
            lambda: commission_release_due(now=timezone.now() + datetime.timedelta(days=15))
        )
        assert released == 1

        # It is payable; the vendor records a payout of all of it.
        vendor.reload()
        expect(vendor.locator('[data-field="held"]')).to_have_text("₹0.00")
        expect(vendor.locator('[data-field="payable"]')).to_have_text("₹4,250.00")
        expect(vendor.get_by_label("Amount paid")).to_have_value("4250.00")
        vendor.get_by_label("Method").select_option("upi")
        vendor.get_by_label("Reference").fill("UPI-2026-4250")
        vendor_side.check("14-vendor-payable")
        vendor.get_by_role("button", name="Record the payout").click()
        expect(vendor.get_by_text("Payout of ₹4,250.00 recorded")).to_be_visible()
        expect(vendor.locator('[data-field="payable"]')).to_have_text("₹0.00")
        expect(vendor.locator('[data-field="paid"]')).to_have_text("₹4,250.00")
        expect(vendor.get_by_text("Nothing is payable now.")).to_be_visible()
        vendor_side.check("15-vendor-paid")

        # The vendor's Owed page.
        vendor.goto(f"{live_server.url}/collaborations/")
        vendor.get_by_role("link", name="Owed").click()
        expect(vendor.locator('[data-field="paid"]')).to_have_text("₹4,250.00")
        expect(vendor.locator('[data-field="payable"]')).to_have_text("₹0.00")
        expect(vendor.locator('[data-field="held"]')).to_have_text("₹0.00")
        row = vendor.get_by_role("row", name=collaboration.influencer.display_name)
        expect(row.get_by_role("cell")).to_have_text(
            [collaboration.influencer.display_name, "1", "₹0.00", "₹0.00", "₹4,250.00"]
        )
        vendor_side.check("16-vendor-owed")

        # The influencer's Earnings page and the collaboration's page show it paid.
        influencer.goto(f"{live_server.url}/collaborations/")
        influencer.get_by_role("link", name="Earnings").click()
        expect(influencer.locator('[data-field="paid"]')).to_have_text("₹4,250.00")
        expect(influencer.locator('[data-field="payable"]')).to_have_text("₹0.00")
        row = influencer.get_by_role("row", name="Monsoon chai")
        expect(row.get_by_role("cell")).to_have_text(["Monsoon chai", "Chai & Co", "₹0.00", "₹0.00", "₹4,250.00"])
        influencer_side.check("17-influencer-earnings")
        row.get_by_role("link", name="Monsoon chai").click()
        expect(influencer.locator('[data-field="paid"]')).to_have_text("₹4,250.00")
        expect(influencer.get_by_role("cell", name="UPI-2026-4250", exact=True)).to_be_visible()
        # What it brought, in the page's results box: the click, the sale, the money.
        results = influencer.get_by_test_id("results-summary")
        expect(results).to_contain_text("1 (1 unique)")
        expect(results.locator("dt:has-text('Attributed bills') + dd")).to_contain_text("1")
        expect(results.locator("dt:has-text('Revenue') + dd")).to_contain_text("₹2,500.00")
        expect(results.locator("dt:has-text('Paid') + dd")).to_have_text("₹4,250.00")
        influencer_side.check("18-influencer-paid")
    finally:
        for side in (vendor_side, influencer_side, customer_side):
            side.context.close()
