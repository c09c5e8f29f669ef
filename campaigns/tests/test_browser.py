import pytest
from playwright.sync_api import expect

from accounts.tests.factories import InfluencerFactory, VendorFactory
from anwariya.tests.browser import log_in
from campaigns.tests.factories import CampaignFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def test_vendor_searches_and_filters_the_campaign_list_and_it_fits_a_phone(live_server, browser):
    from profiles.tests.factories import niche

    vendor = VendorFactory()
    CampaignFactory(vendor=vendor, title="Masala chai launch", niches=[niche("food")])
    CampaignFactory(vendor=vendor, title="Diwali sweets", status="draft", niches=[niche("food")])
    CampaignFactory(vendor=vendor, title="Festive fashion", niches=[niche("fashion")])
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    try:
        page = context.new_page()
        log_in(page, live_server.url, vendor.email)
        page.goto(f"{live_server.url}/campaigns/")
        cards = page.locator(".cards h2")
        expect(cards).to_have_text(["Festive fashion", "Diwali sweets", "Masala chai launch"])
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        page.get_by_label("Niche").select_option("food")
        page.get_by_role("button", name="Filter").click()
        expect(cards).to_have_text(["Diwali sweets", "Masala chai launch"])
        page.get_by_label("Status").select_option("draft")
        page.get_by_role("button", name="Filter").click()
        expect(cards).to_have_text(["Diwali sweets"])
        expect(page.get_by_label("Niche")).to_have_value("food")  # the form keeps what was asked

        page.get_by_label("Status").select_option("")
        page.get_by_label("Search").fill("chai launch")
        page.get_by_role("button", name="Filter").click()
        expect(cards).to_have_text(["Masala chai launch"])
        page.get_by_role("link", name="Clear").click()
        expect(cards).to_have_count(3)

        page.goto(f"{live_server.url}/campaigns/?q=fashion")  # a link from before the page shared the API's names
        expect(cards).to_have_text(["Festive fashion"])
        expect(page.get_by_label("Search")).to_have_value("fashion")
    finally:
        context.close()


def test_influencer_fills_profile_applies_vendor_accepts_code_shown(live_server, new_page):
    campaign = CampaignFactory(title="Chai season")
    influencer = InfluencerFactory(email="ira@example.com")

    page = new_page()
    log_in(page, live_server.url, influencer.email)
    page.get_by_role("link", name="Profile").first.click()
    page.get_by_label("Display name").fill("Ira Sen")
    page.get_by_label("Food").check()
    page.get_by_label("Reels").check()
    page.get_by_label("Followers").select_option("10k-50k")
    page.get_by_label("Engagement rate (%)").fill("4.8")
    page.get_by_label("City").fill("Pune")
    page.get_by_label("Country").fill("India")
    page.get_by_label("Instagram link").fill("https://instagram.com/irasen")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile was saved.")).to_be_visible()

    page.get_by_role("link", name="Campaigns").first.click()
    page.get_by_role("link", name="Chai season").click()
    page.get_by_label("Pitch").fill("I post chai recipes every week.")
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_text("Your application was sent.")).to_be_visible()

    vendor_page = new_page()
    log_in(vendor_page, live_server.url, campaign.vendor.email)
    vendor_page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    expect(vendor_page.get_by_text("I post chai recipes every week.")).to_be_visible()
    vendor_page.get_by_role("button", name="Accept").click()
    expect(vendor_page.get_by_text("Accepted. Referral code:")).to_be_visible()

    page.get_by_role("link", name="My applications").first.click()
    expect(page.get_by_role("cell", name="Accepted")).to_be_visible()
    page.get_by_role("link", name="Chai season").click()
    code = page.get_by_test_id("referral-code")
    expect(code).to_have_text(campaign.applications.get().referral_code)
