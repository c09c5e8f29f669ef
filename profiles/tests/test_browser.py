import pytest
from playwright.sync_api import expect

from accounts.tests.factories import InfluencerFactory, VendorFactory
from anwariya.tests.browser import log_in
from profiles.models import VendorProfile
from profiles.tests.factories import InfluencerProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def influencers():
    InfluencerProfileFactory(
        user=InfluencerFactory(display_name="Asha Rao"), niches=["food"], follower_band="10k-50k", city="Pune"
    )
    InfluencerProfileFactory(
        user=InfluencerFactory(display_name="Dev"), niches=["travel"], follower_band="1m+", availability="limited"
    )
    InfluencerProfileFactory(user=InfluencerFactory(display_name="Ira"), follower_band="0-1k")


def cards(page):
    return page.locator(".cards h2")


def test_vendor_filters_the_directory_by_several_bands_and_availability(live_server, new_page):
    influencers()
    vendor = VendorFactory()
    page = new_page()
    log_in(page, live_server.url, vendor.email)
    page.get_by_role("link", name="Influencers").first.click()
    expect(cards(page)).to_have_text(["Asha Rao", "Dev", "Ira"])

    page.get_by_label("10k–50k").check()
    page.get_by_label("1M+", exact=True).check()
    page.get_by_role("button", name="Filter").click()
    expect(cards(page)).to_have_text(["Asha Rao", "Dev"])
    expect(page.get_by_label("10k–50k")).to_be_checked()  # the form keeps what was asked

    page.get_by_label("Availability").select_option("limited")
    page.get_by_role("button", name="Filter").click()
    expect(cards(page)).to_have_text(["Dev"])

    page.get_by_label("Search").fill("pune")
    page.get_by_label("Availability").select_option("")
    page.get_by_role("button", name="Filter").click()
    expect(cards(page)).to_have_text(["Asha Rao"])
    page.get_by_role("link", name="Clear").click()
    expect(cards(page)).to_have_text(["Asha Rao", "Dev", "Ira"])


def test_the_directory_fits_a_phone(live_server, browser):
    influencers()
    vendor = VendorFactory()
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    try:
        page = context.new_page()
        log_in(page, live_server.url, vendor.email)
        page.goto(f"{live_server.url}/influencers/?follower_band=0-1k")
        expect(cards(page)).to_have_text(["Ira"])
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        expect(page.get_by_label("Under 1k")).to_be_checked()
    finally:
        context.close()


def test_vendor_saves_business_profile_and_sees_the_telegram_panel(live_server, new_page, settings):
    settings.TELEGRAM_BOT_TOKEN, settings.TELEGRAM_WEBHOOK_SECRET = "123:test-token", "test-secret"
    settings.TELEGRAM_BOT_USERNAME = "AnwariyaBot"
    vendor = VendorFactory()
    page = new_page()
    log_in(page, live_server.url, vendor.email)
    page.goto(f"{live_server.url}/profile/")
    expect(page.get_by_role("heading", name="Your business profile")).to_be_visible()
    page.get_by_label("Business name").fill("Chai & Co")
    page.get_by_label("Time zone").select_option("Asia/Dubai")
    page.get_by_label("City").fill("Kochi")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile was saved.")).to_be_visible()
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Dubai")
    assert VendorProfile.objects.get(user=vendor).time_zone == "Asia/Dubai"

    panel = page.get_by_test_id("telegram")
    expect(panel).to_contain_text("Not linked")
    expect(panel).to_contain_text("Your code:")
    panel.get_by_role("button", name="Make a new code").click()
    expect(page.get_by_text("Your Telegram code is ready.")).to_be_visible()
    expect(page.get_by_role("link", name="@AnwariyaBot")).to_be_visible()
