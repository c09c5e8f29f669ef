"""Helpers for the Playwright browser tests."""

from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD


def log_in(page, base_url, email, password=PASSWORD):
    """Log in on the page and wait for the dashboard's greeting."""
    page.goto(base_url + "/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Hello", exact=False)).to_be_visible()
