"""Two browsers chat live through the real stack: daphne, Channels, the chat page's JavaScript.

pytest-django's live server speaks HTTP only, so this test serves the app with daphne in a
subprocess, on its own SQLite file.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from anwariya.tests.browser import log_in

pytestmark = pytest.mark.browser

BASE_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "chat-browser-pass-2026"
VENDOR_ZONE = "America/New_York"
PLATFORM_ZONE = "Asia/Kolkata"

SETUP = f"""
from accounts import services
from chat.models import Chat
from profiles.models import VendorProfile
vendor = services.user_create(email="shop@example.com", password="{PASSWORD}", role="vendor",
                              display_name="Asha", business_name="Chai & Co")
VendorProfile.objects.create(user=vendor, time_zone="{VENDOR_ZONE}")
influencer = services.user_create(email="ira@example.com", password="{PASSWORD}", role="influencer",
                                  display_name="Ira")
print(Chat.objects.create(vendor=vendor, influencer=influencer).pk)
"""


@pytest.fixture(scope="module")
def daphne_server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("chat-e2e")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "DEBUG": "True",
        "MEDIA_ROOT": str(workdir / "media"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TIME_ZONE": PLATFORM_ZONE,
    }
    env.pop("REDIS_URL", None)
    env.pop("GEMINI_API_KEY", None)  # reply suggestions from the rules: never the network
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "--verbosity", "0"], env=env, check=True, cwd=BASE_DIR)
    chat_id = subprocess.run(
        [*manage, "shell", "-c", SETUP], env=env, check=True, cwd=BASE_DIR, capture_output=True, text=True
    ).stdout.split()[-1]
    log = open(workdir / "daphne.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "anwariya.asgi:application"],
        env=env,
        cwd=BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    yield base, chat_id
    server.terminate()
    server.wait(10)
    log.close()


def test_vendor_and_influencer_chat_live_with_typing_and_read_receipt(daphne_server, new_page):
    base, chat_id = daphne_server
    vendor = new_page()
    influencer = new_page()
    log_in(vendor, base, "shop@example.com", PASSWORD)
    log_in(influencer, base, "ira@example.com", PASSWORD)
    vendor.goto(f"{base}/chats/{chat_id}/")
    influencer.goto(f"{base}/chats/{chat_id}/")
    # Both sockets are open once the notification badge script and chat script ran; give them a beat.
    vendor.wait_for_function("document.querySelector('#connection').hidden === true")
    time.sleep(0.5)

    vendor.get_by_role("textbox", name="Message").fill("Hi Ira! Keen on our chai campaign?")
    expect(influencer.get_by_text("Chai & Co is typing…")).to_be_visible()
    vendor.get_by_role("button", name="Send").click()

    expect(influencer.get_by_text("Hi Ira! Keen on our chai campaign?")).to_be_visible()
    expect(influencer.get_by_text("Chai & Co is typing…")).to_be_hidden()
    # The influencer's page reads the message, so the vendor sees the receipt.
    expect(vendor.locator("#seen")).to_be_visible()

    influencer.get_by_role("textbox", name="Message").fill("Yes, tell me more!")
    influencer.keyboard.press("Enter")
    expect(vendor.get_by_text("Yes, tell me more!")).to_be_visible()
    expect(influencer.locator("li.mine", has_text="Yes, tell me more!")).to_be_visible()


def test_a_live_message_shows_the_same_time_as_after_a_reload_in_each_viewers_zone(daphne_server, browser):
    """The browsers run in a third zone and another locale: neither may leak into the times."""
    import datetime
    import zoneinfo

    base, chat_id = daphne_server
    pages = {}
    for email, zone in (("shop@example.com", VENDOR_ZONE), ("ira@example.com", PLATFORM_ZONE)):
        context = browser.new_context(timezone_id="Pacific/Auckland", locale="en-US")
        context.set_default_timeout(15_000)
        page = context.new_page()
        log_in(page, base, email, PASSWORD)
        page.goto(f"{base}/chats/{chat_id}/")
        page.wait_for_function("document.querySelector('#connection').hidden === true")
        pages[zone] = page
    time.sleep(0.5)

    vendor = pages[VENDOR_ZONE]
    vendor.get_by_role("textbox", name="Message").fill("What time is it where you are?")
    vendor.get_by_role("button", name="Send").click()
    live = {}
    for zone, page in pages.items():
        bubble = page.locator("li[data-id]", has_text="What time is it where you are?")
        expect(bubble).to_be_visible()
        live[zone] = bubble.locator(".meta").inner_text()

    message = vendor.request.get(f"{base}/api/v1/chats/{chat_id}/messages/").json()["results"][0]
    sent_at = datetime.datetime.fromisoformat(message["created_at"])
    for zone, page in pages.items():
        local = sent_at.astimezone(zoneinfo.ZoneInfo(zone))
        expected = f"{local.day} {local:%b}, {local:%H:%M}"
        assert live[zone] == expected, zone
        page.reload()
        bubble = page.locator("li[data-id]", has_text="What time is it where you are?")
        assert bubble.locator(".meta").inner_text() == expected, zone
    for page in pages.values():
        page.context.close()


def test_tags_show_live_and_a_picked_suggestion_fills_the_box_without_sending(daphne_server, browser):
    base, chat_id = daphne_server
    pages = {}
    for email in ("shop@example.com", "ira@example.com"):
        context = browser.new_context()
        context.set_default_timeout(15_000)
        page = context.new_page()
        log_in(page, base, email, PASSWORD)
        page.goto(f"{base}/chats/{chat_id}/")
        page.wait_for_function("document.querySelector('#connection').hidden === true")
        pages[email] = page
    vendor, influencer = pages["shop@example.com"], pages["ira@example.com"]
    time.sleep(0.5)

    vendor.get_by_role("textbox", name="Message").fill("Payment kab milega? Invoice bhej do.")
    vendor.get_by_role("button", name="Send").click()
    bubble = influencer.locator("li[data-id]", has_text="Payment kab milega?")
    expect(bubble.locator(".chip[data-tag=payment]")).to_have_text("Payment")
    expect(bubble.locator(".chip[data-tag=question]")).to_have_text("Question")

    count_before = len(influencer.request.get(f"{base}/api/v1/chats/{chat_id}/messages/").json()["results"])
    influencer.get_by_role("button", name="Suggest replies").click()
    suggestion = influencer.get_by_role("button", name="I'll send my invoice and payment details.")
    expect(suggestion).to_be_visible()
    expect(influencer.locator("#suggestions-source")).to_contain_text("Suggested replies")
    suggestion.click()
    expect(influencer.get_by_role("textbox", name="Message")).to_have_value("I'll send my invoice and payment details.")
    time.sleep(0.5)
    after = influencer.request.get(f"{base}/api/v1/chats/{chat_id}/messages/").json()["results"]
    assert len(after) == count_before  # picking a suggestion sends nothing
    for page in pages.values():
        page.context.close()


def test_the_unread_badge_is_hidden_at_zero_and_counts_new_messages(daphne_server, new_page):
    base, chat_id = daphne_server
    vendor = new_page()
    influencer = new_page()
    log_in(vendor, base, "shop@example.com", PASSWORD)
    vendor.goto(f"{base}/chats/{chat_id}/")  # reads whatever was there
    vendor.goto(f"{base}/account/")
    badge = vendor.locator('a[data-nav="chats"] .nav-badge')
    vendor.wait_for_function("document.querySelector('.nav-badge').textContent !== ''")  # the count arrived
    expect(badge).to_have_text("0")
    expect(badge).to_be_hidden()  # no red "0" on the top bar

    log_in(influencer, base, "ira@example.com", PASSWORD)
    influencer.goto(f"{base}/chats/{chat_id}/")
    influencer.wait_for_function("document.querySelector('#connection').hidden === true")
    influencer.get_by_role("textbox", name="Message").fill("Any news on the shoot?")
    influencer.get_by_role("button", name="Send").click()
    expect(badge).to_have_text("1")
    expect(badge).to_be_visible()
