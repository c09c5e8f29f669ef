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


PHONE = {"width": 390, "height": 844}


def test_the_delivery_log_fits_a_phone_and_filters_and_downloads(live_server, browser):
    from broadcasts.models import Delivery
    from broadcasts.tests.factories import influencers, make_broadcast

    campaign = CampaignFactory(title="Masala launch")
    broadcast = make_broadcast(campaign.vendor, campaign, title="A rather long broadcast title for a phone screen")
    fans = influencers(3)
    Delivery.objects.bulk_create(
        [
            Delivery(
                broadcast=broadcast,
                recipient=fan,
                channel="email",
                status="failed" if i == 0 else "sent",
                sent_at=None if i == 0 else broadcast.created_at,
                last_error="The mail server refused the recipient address, twice" if i == 0 else "",
            )
            for i, fan in enumerate(fans)
        ]
    )
    context = browser.new_context(viewport=PHONE, is_mobile=True, accept_downloads=True)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        log_in(page, live_server.url, campaign.vendor.email)
        page.goto(f"{live_server.url}/broadcasts/")
        page.get_by_role("link", name="Delivery log").click()
        expect(page.get_by_role("heading", name="Delivery log")).to_be_visible()
        expect(page.locator("tbody tr")).to_have_count(3)
        # The page never scrolls sideways: the wide table scrolls inside its box.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert page.evaluate("document.querySelector('.table-wrap').scrollWidth") > PHONE["width"]
        page.get_by_label("Status").select_option(label="Failed")
        page.get_by_role("button", name="Filter").click()
        expect(page.locator("tbody tr")).to_have_count(1)
        expect(page.locator("tbody")).to_contain_text("Fan 0")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download CSV").click()
        lines = download.value.path().read_text(encoding="utf-8").splitlines()
        assert len(lines) == 2
        assert ",Fan 0,email,failed," in lines[1]
    finally:
        context.close()


DESKTOP = {"width": 1280, "height": 800}


def test_on_a_desktop_the_delivery_log_shows_every_column_and_the_whole_error(live_server, browser):
    from broadcasts.models import Delivery
    from broadcasts.tests.factories import influencers, make_broadcast

    campaign = CampaignFactory(title="Masala launch")
    broadcast = make_broadcast(campaign.vendor, campaign, title="Festive samples are on their way to you")
    [fan] = influencers(1)
    error = (
        "SMTPRecipientsRefused: 550 5.1.1 The email account that you tried to reach does not exist. "
        "Please try double-checking the recipient's email address for typos or unnecessary spaces."
    )
    Delivery.objects.create(broadcast=broadcast, recipient=fan, channel="email", status="failed", last_error=error)
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        log_in(page, live_server.url, campaign.vendor.email)
        for path in ("/broadcasts/deliveries/", f"/broadcasts/{broadcast.pk}/deliveries/"):
            page.goto(live_server.url + path)
            expect(page.get_by_role("cell", name=error)).to_be_visible()
            # No sideways scrolling inside the table's box to reach the last error.
            assert page.evaluate("(w => w.scrollWidth <= w.clientWidth)(document.querySelector('.table-wrap'))"), path
            box = page.get_by_role("cell", name=error).bounding_box()
            assert box["x"] + box["width"] <= DESKTOP["width"], path
    finally:
        context.close()
