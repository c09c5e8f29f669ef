import pytest
from playwright.sync_api import expect

from accounts.tests.factories import InfluencerFactory
from anwariya.tests.browser import log_in
from campaigns.tests.factories import CampaignFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
