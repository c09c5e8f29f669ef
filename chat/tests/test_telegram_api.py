"""The link API for mobile clients and the bot status endpoint."""

import pytest
from django.utils.dateparse import parse_datetime

from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory
from anwariya.tests.api import api_client, assert_error
from chat.models import TelegramAccount, TelegramMessage
from chat.telegram.services import LINK_CODE_LENGTH
from chat.tests.factories import link_telegram
from chat.tests.telegram import telegram_update

pytestmark = pytest.mark.django_db

LINK = "/api/v1/bot/telegram/link/"
STATUS = "/api/v1/bot/status/"


def test_link_status_code_and_unlink(telegram, post_update):
    influencer = InfluencerFactory()
    client = api_client(influencer)

    assert client.get(LINK).json() == {
        "configured": True,
        "bot_username": "AnwariyaBot",
        "linked": False,
        "telegram_username": "",
        "telegram_name": "",
        "linked_at": None,
        "code": None,
    }

    issued = client.post(LINK)
    assert issued.status_code == 201
    code = issued.json()["code"]
    assert len(code["code"]) == LINK_CODE_LENGTH
    assert code["command"] == f"/start {code['code']}"
    assert code["bot_link"] == f"https://t.me/AnwariyaBot?start={code['code']}"
    assert parse_datetime(code["expires_at"]) is not None
    assert client.get(LINK).json()["code"] == code

    post_update(telegram_update(code["command"], chat_id=5550001, username="ira_tg"))
    linked = client.get(LINK).json()
    assert linked["linked"] is True
    assert (linked["telegram_username"], linked["telegram_name"]) == ("ira_tg", "Ira")
    assert linked["code"] is None  # used up

    assert client.delete(LINK).status_code == 204
    assert client.get(LINK).json()["linked"] is False
    assert client.delete(LINK).status_code == 204
    assert not TelegramAccount.objects.exists()


def test_a_new_code_replaces_the_previous_one(telegram):
    client = api_client(VendorFactory())
    first = client.post(LINK).json()["code"]["code"]
    second = client.post(LINK).json()["code"]["code"]
    assert first != second
    assert client.get(LINK).json()["code"]["code"] == second


def test_no_codes_while_the_bot_is_not_configured(settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    settings.TELEGRAM_WEBHOOK_SECRET = ""
    client = api_client(VendorFactory())
    assert client.get(LINK).json()["configured"] is False
    body = assert_error(client.post(LINK), 409)
    assert body["code"] == "telegram_not_configured"


def test_link_and_status_need_login():
    assert_error(api_client().get(LINK), 401)
    assert_error(api_client().post(LINK), 401)
    assert_error(api_client().get(STATUS), 401)


def test_status_for_every_role(telegram, post_update):
    link_telegram(InfluencerFactory(), 5550001)
    post_update(telegram_update("hi", chat_id=5550001))
    post_update(telegram_update("hello?", chat_id=4440001))
    TelegramMessage.objects.create(telegram_chat_id=1, kind="reply", text="waiting")
    TelegramMessage.objects.create(telegram_chat_id=2, kind="reply", text="lost", status="failed")

    for user in (VendorFactory(), InfluencerFactory(), AdminFactory()):
        body = api_client(user).get(STATUS).json()
        assert set(body) == {"configured", "bot_username", "last_update_at", "deliveries_waiting", "deliveries_failed"}
        assert body["configured"] is True
        assert body["bot_username"] == "AnwariyaBot"
        assert parse_datetime(body["last_update_at"]) is not None
        assert (body["deliveries_waiting"], body["deliveries_failed"]) == (1, 1)


def test_status_adds_what_the_registered_waiting_counters_count(monkeypatch):
    """Apps above chat (broadcasts) report the Telegram messages they still have to send."""
    from chat.telegram import register_waiting_counter, selectors

    monkeypatch.setattr(selectors, "_waiting_counters", [])
    TelegramMessage.objects.create(telegram_chat_id=1, kind="reply", text="waiting")

    def three():
        return 3

    assert register_waiting_counter(three) is three
    register_waiting_counter(three)  # once is enough
    register_waiting_counter(lambda: 2)
    body = api_client(VendorFactory()).get(STATUS).json()
    assert body["deliveries_waiting"] == 1 + 3 + 2


def test_status_before_any_update_and_unconfigured(settings):
    settings.TELEGRAM_BOT_TOKEN = "123:abc"
    settings.TELEGRAM_WEBHOOK_SECRET = ""
    settings.TELEGRAM_BOT_USERNAME = ""
    body = api_client(VendorFactory()).get(STATUS).json()
    assert body == {
        "configured": False,
        "bot_username": "",
        "last_update_at": None,
        "deliveries_waiting": 0,
        "deliveries_failed": 0,
    }


def test_bot_endpoints_are_in_the_schema():
    schema = api_client().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    webhook = schema["paths"]["/api/v1/bot/telegram/webhook/"]["post"]
    assert "requestBody" in webhook
    assert {"200", "400", "403"} <= set(webhook["responses"])
    link = schema["paths"]["/api/v1/bot/telegram/link/"]
    assert {"get", "post", "delete"} <= set(link)
    assert "201" in link["post"]["responses"]
    assert "200" in schema["paths"]["/api/v1/bot/status/"]["get"]["responses"]
