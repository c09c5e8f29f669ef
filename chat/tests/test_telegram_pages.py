"""The Telegram section of the profile page, and the admin's view of the bot's records."""

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory
from chat.models import TelegramAccount, TelegramLinkCode, TelegramMessage, TelegramUpdate
from chat.tests.factories import link_telegram
from chat.tests.telegram import telegram_update

pytestmark = pytest.mark.django_db

PROFILE = "/profile/"


def telegram_section(client):
    page = client.get(PROFILE)
    assert page.status_code == 200
    content = page.content.decode()
    return content[content.index('id="telegram"') :]


def test_profile_page_shows_a_code_and_makes_a_new_one(client, telegram):
    influencer = InfluencerFactory()
    client.force_login(influencer)
    section = telegram_section(client)
    assert "Not linked" in section
    first = TelegramLinkCode.objects.get(user=influencer).code  # shown without asking
    assert f"/start {first}" in section

    response = client.post(reverse("chat:telegram-code"))
    assert response.status_code == 302
    assert response["Location"] == "/profile/#telegram"

    code = TelegramLinkCode.objects.get(user=influencer).code
    assert code != first
    section = telegram_section(client)
    assert code in section
    assert f"/start {code}" in section
    assert "@AnwariyaBot" in section
    assert f"https://t.me/AnwariyaBot?start={code}" in section
    assert "Make a new code" in section


def test_without_a_bot_name_the_page_says_the_bot(client, telegram, settings):
    settings.TELEGRAM_BOT_USERNAME = ""
    vendor = VendorFactory()
    client.force_login(vendor)
    client.post(reverse("chat:telegram-code"))
    section = " ".join(telegram_section(client).split())
    code = TelegramLinkCode.objects.get(user=vendor).code
    assert f'Send <span class="code">/start {code}</span> to the bot on Telegram' in section
    assert "t.me" not in section


def test_linked_account_shows_and_unlinks(client, telegram, post_update):
    influencer = InfluencerFactory()
    client.force_login(influencer)
    client.post(reverse("chat:telegram-code"))
    code = TelegramLinkCode.objects.get(user=influencer).code
    post_update(telegram_update(f"/start {code}", chat_id=5550001, username="ira_tg"))

    section = telegram_section(client)
    assert "Linked to <strong>@ira_tg</strong>" in section
    assert "Unlink" in section
    assert code not in section  # used up

    response = client.post(reverse("chat:telegram-unlink"), follow=True)
    assert "Telegram unlinked" in response.content.decode()
    assert not TelegramAccount.objects.exists()
    assert "Not linked" in telegram_section(client)


def test_section_says_when_the_bot_is_not_set_up(client, settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    client.force_login(VendorFactory())
    section = telegram_section(client)
    assert "not set up" in section
    assert "Get a code" not in section
    response = client.post(reverse("chat:telegram-code"), follow=True)
    assert "not set up" in response.content.decode()
    assert not TelegramLinkCode.objects.exists()


def test_telegram_buttons_need_login_and_post(client):
    for name in ("chat:telegram-code", "chat:telegram-unlink"):
        assert client.post(reverse(name)).status_code == 302
        client.force_login(VendorFactory())
        assert client.get(reverse(name)).status_code == 405
        client.logout()


def test_admin_lists_the_bot_records_read_only(client, telegram, post_update):
    link_telegram(InfluencerFactory(), 5550001)
    post_update(telegram_update("hi", chat_id=5550001))
    TelegramLinkCode.objects.create(user=VendorFactory(), code="SECRETCODE", expires_at="2030-01-01T00:00:00Z")
    client.force_login(AdminFactory())

    for model in (TelegramAccount, TelegramLinkCode, TelegramUpdate, TelegramMessage):
        meta = model._meta
        changelist = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert changelist.status_code == 200, meta.model_name
        assert client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code == 403
        detail = client.get(
            reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[model.objects.first().pk])
        )
        assert detail.status_code == 200
        assert "SECRETCODE" not in detail.content.decode()
    outbox = client.get(reverse("admin:chat_telegrammessage_changelist")).content.decode()
    assert "sent" in outbox.lower()
