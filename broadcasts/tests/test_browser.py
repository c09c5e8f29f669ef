import pytest
from playwright.sync_api import expect

from accounts.tests.factories import InfluencerFactory
from anwariya.tests.browser import log_in
from campaigns.tests.factories import CampaignFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_vendor_broadcasts_to_a_campaign_and_the_influencer_reads_it_in_chats(live_server, new_page):
    from accounts.wallet import wallet_grant
    from campaigns.models import Application

    campaign = CampaignFactory(title="Masala launch")
    wallet_grant(user=campaign.vendor, amount=20, reason="test tokens")
    fans = [InfluencerFactory(email=f"fan{i}@example.com", display_name=f"Fan {i}") for i in range(2)]
    for fan in fans:
        Application.objects.create(campaign=campaign, influencer=fan, status=Application.Status.ACCEPTED, message="!")

    page = new_page()
    log_in(page, live_server.url, campaign.vendor.email)
    page.goto(f"{live_server.url}/broadcasts/")
    expect(page.get_by_text("No broadcasts yet")).to_be_visible()
    page.get_by_role("link", name="New broadcast").click()
    page.get_by_label("Title").fill("Tasting night")
    page.get_by_label("Body").fill("Hi {name}, join us for {campaign} on Friday!")
    page.get_by_label("A campaign's accepted influencers").check()
    page.get_by_label("Campaign", exact=True).select_option(label="Masala launch")
    expect(page.locator("#audience-count")).to_contain_text("2 influencers in this audience")
    page.get_by_role("button", name="Save and start").click()

    expect(page.get_by_text("Broadcast started.")).to_be_visible()
    expect(page.locator("[data-field=status]")).to_have_text("Finished")
    expect(page.locator("[data-field=sent]")).to_have_text("2")
    page.get_by_role("link", name="All deliveries").click()
    expect(page.get_by_role("cell", name="Fan 1")).to_be_visible()

    reader = new_page()
    log_in(reader, live_server.url, fans[1].email)
    reader.goto(f"{live_server.url}/chats/")
    expect(reader.get_by_text("Masala launch")).to_be_visible()
    reader.get_by_text("Masala launch").first.click()
    expect(reader.get_by_text("Hi Fan 1, join us for Masala launch on Friday!")).to_be_visible()
