import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("role", "business", "heading"),
    [("vendor", "Indigo Loom", "Vendor dashboard"), ("influencer", "", "Influencer dashboard")],
)
def test_sign_up_log_out_log_in_and_see_dashboard(live_server, new_page, role, business, heading):
    page = new_page()
    email = f"{role}@example.com"
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign up").first.click()

    page.get_by_label("Vendor" if role == "vendor" else "Influencer", exact=True).check()
    page.get_by_label("Your name").fill("Asha")
    if business:
        page.get_by_label("Business name").fill(business)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_text(heading)).to_be_visible()
    expect(page.get_by_text("Welcome to Anwariya, Asha!")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/$"))

    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Hello, Asha")).to_be_visible()
    expect(page.get_by_text(heading)).to_be_visible()


def test_dashboard_is_usable_on_a_phone(live_server, browser, tmp_path):
    screenshot_dir = tmp_path
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/login/")
        page_width = page.evaluate("document.documentElement.scrollWidth")
        assert page_width <= 375
        nav_sign_up = page.locator(".nav-links").get_by_role("link", name="Sign up")
        expect(nav_sign_up).to_be_hidden()
        page.get_by_text("Menu").click()
        expect(nav_sign_up).to_be_visible()
        page.screenshot(path=str(screenshot_dir / "login-phone.png"), full_page=True)
    finally:
        context.close()
