"""The deliverables loop in a real browser at phone width: the live disclosure warning, a draft
upload, a request for changes, the approval and "Mark completed"."""

import pytest
from playwright.sync_api import expect

from anwariya.tests.browser import log_in
from collaborations.tests.factories import image_bytes, make_active
from collaborations.tests.test_browser import PHONE, made_outside_the_browsers_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_submit_with_the_live_warning_then_review_and_complete_at_phone_width(live_server, browser, tmp_path):
    collaboration = made_outside_the_browsers_loop(make_active)
    draft = tmp_path / "look.png"
    draft.write_bytes(image_bytes("PNG", (600, 400)))
    detail = f"{live_server.url}/collaborations/{collaboration.pk}/"
    influencer_context = browser.new_context(viewport=PHONE, is_mobile=True)
    vendor_context = browser.new_context(viewport=PHONE, is_mobile=True)
    try:
        influencer = influencer_context.new_page()
        log_in(influencer, live_server.url, collaboration.influencer.email)
        influencer.goto(detail)
        reel = influencer.get_by_test_id("deliverable-1")
        warning = reel.get_by_test_id("caption-warning")
        caption = reel.get_by_label("Caption")
        expect(warning).to_be_visible()
        caption.fill("Morning chai with #adventure vibes")
        expect(warning).to_be_visible()  # "#adventure" is no label
        caption.fill("Morning chai #Ad")
        expect(warning).to_be_hidden()
        caption.fill("Morning chai")
        expect(warning).to_be_visible()
        reel.get_by_label("Draft file").set_input_files(str(draft))
        assert influencer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        reel.get_by_role("button", name="Submit for review").click()
        expect(influencer.get_by_text("Round 1 submitted: the vendor reviews it next.")).to_be_visible()
        expect(influencer.locator(".message.warning").first).to_contain_text("no disclosure label")

        vendor = vendor_context.new_page()
        log_in(vendor, live_server.url, collaboration.vendor.email)
        vendor.goto(detail)
        reel = vendor.get_by_test_id("deliverable-1")
        expect(reel.get_by_test_id("disclosure-warning")).to_be_visible()
        image = reel.get_by_role("img", name="Draft of reel #1, round 1")
        expect(image).to_be_visible()
        # The draft loads through the private view (lazily: wait until the browser has it).
        vendor.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        assert image.evaluate("img => img.naturalWidth") == 600
        assert vendor.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        reel.get_by_label("What should change?").fill("Please add #ad to the caption")
        reel.get_by_role("button", name="Ask for changes").click()
        expect(vendor.get_by_text("Sent back with your comment")).to_be_visible()

        influencer.goto(detail)
        reel = influencer.get_by_test_id("deliverable-1")
        expect(reel).to_contain_text("Please add #ad to the caption")
        reel.get_by_label("Post URL").fill("https://instagram.com/reel/chai/")
        reel.get_by_label("Caption").fill("Morning chai #ad")
        reel.get_by_role("button", name="Submit for review").click()
        expect(influencer.get_by_text("Round 2 submitted: the vendor reviews it next.")).to_be_visible()

        vendor.goto(detail)
        vendor.get_by_role("button", name="Approve round 2").click()
        expect(vendor.get_by_text("Every deliverable is approved: you can mark it completed.")).to_be_visible()
        vendor.get_by_role("button", name="Mark completed").click()
        expect(vendor.locator("h1 [data-stage]")).to_have_text("Completed")
        assert vendor.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        influencer_context.close()
        vendor_context.close()
