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

SETUP = f"""
from accounts import services
from chat.models import Chat
vendor = services.user_create(email="shop@example.com", password="{PASSWORD}", role="vendor",
                              display_name="Asha", business_name="Chai & Co")
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
    }
    env.pop("REDIS_URL", None)
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
