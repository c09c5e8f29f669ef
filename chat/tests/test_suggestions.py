"""Reply suggestions over the API and the page: Gemini through the real google-genai client
against a local fake endpoint, its cache and fallbacks, the rules, and who may ask."""

import functools
import json
import logging
from decimal import Decimal

import httpx2
import pytest
from django.urls import reverse

from accounts.tests.factories import VendorFactory
from anwariya import gemini as gemini_module
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.gemini import MODEL, FakeGeminiEndpoint, gemini_reply
from anwariya.tests.schema import assert_matches
from campaigns.tests.factories import CampaignFactory
from chat import services
from chat.tests.factories import make_chat
from chat.throttles import SuggestionsThrottle
from conftest import _clear_cache_keys

pytestmark = pytest.mark.django_db

REAL_MAKE_CLIENT = gemini_module.make_client
ANSWER = ["Sure, my rate is 5000 per reel.", "Can we talk about the deliverables first?", "Let me check and revert."]


@pytest.fixture(autouse=True)
def empty_cache():
    # Only this project's keys: cache.clear() on Redis would flush the whole database.
    _clear_cache_keys()
    yield
    _clear_cache_keys()


@pytest.fixture
def gemini(monkeypatch, settings):
    settings.GEMINI_API_KEY = "test-key"
    settings.GEMINI_MODEL = MODEL
    settings.GEMINI_TIMEOUT_SECONDS = 3
    endpoint = FakeGeminiEndpoint(ANSWER)
    monkeypatch.setattr(
        gemini_module,
        "make_client",
        functools.partial(REAL_MAKE_CLIENT, client_args={"transport": endpoint.transport()}),
    )
    return endpoint


@pytest.fixture
def no_gemini(settings):
    settings.GEMINI_API_KEY = ""


def url(chat):
    return f"/api/v1/chats/{chat.pk}/suggestions/"


def send(chat, sender, text):
    return services.message_send(chat=chat, sender=sender, text=text)


def test_gemini_suggests_three_replies_to_the_other_sides_last_message(gemini):
    campaign = CampaignFactory(title="Diwali glow", description="Festive skincare launch", budget=Decimal("99999.00"))
    chat = make_chat(vendor=campaign.vendor, campaign=campaign)
    send(chat, chat.influencer, "Hi! Loved the brief.")
    asked = send(chat, chat.vendor, "What is your rate for one reel?")
    elsewhere = make_chat(vendor=campaign.vendor)
    send(elsewhere, elsewhere.influencer, "A message of another chat")

    response = api_client(chat.influencer).post(url(chat))

    assert response.status_code == 200, response.content
    assert_matches(response, "/api/v1/chats/{id}/suggestions/", "post")
    body = response.json()
    assert body == {
        "source": "gemini",
        "suggestions": ANSWER,
        "message": asked.pk,
        "cached": False,
        "fallback_reason": None,
    }
    [request] = gemini.requests
    assert request.url.path.endswith(f"/models/{MODEL}:generateContent")
    assert request.headers["x-goog-api-key"] == "test-key"
    assert request.extensions["timeout"]["read"] == 3.0
    prompt = json.loads(gemini.prompt().split("\n", 1)[1])
    assert prompt["messages_oldest_first"] == [
        {"from": "me", "text": "Hi! Loved the brief."},
        {"from": "them", "text": "What is your rate for one reel?"},
    ]
    assert prompt["me"] == "influencer"  # so Gemini answers as the side that replies
    assert prompt["campaign_brief"]["title"] == "Diwali glow"
    assert prompt["campaign_brief"]["description"] == "Festive skincare launch"
    raw = gemini.prompt()
    # Only this chat and its brief: no other chat, no budget, no names or addresses.
    assert "another chat" not in raw
    assert "99999" not in raw
    assert chat.vendor.email not in raw
    assert chat.vendor.display_name not in raw
    schema = json.loads(request.content)["generationConfig"]["responseSchema"]
    assert schema["type"] == "ARRAY"
    assert schema["items"]["type"] == "STRING"


def test_the_answer_is_cached_until_a_new_message(gemini):
    chat = make_chat()
    send(chat, chat.vendor, "Kab tak bhej doge?")
    client = api_client(chat.influencer)
    client.post(url(chat))
    again = client.post(url(chat)).json()
    assert again["cached"] is True
    assert len(gemini.requests) == 1

    newer = send(chat, chat.vendor, "Aur payment ka kya?")
    answer = client.post(url(chat)).json()
    assert (answer["cached"], answer["message"]) == (False, newer.pk)
    assert len(gemini.requests) == 2
    # Each participant has their own answer ("me" is someone else for them).
    services.message_send(chat=chat, sender=chat.influencer, text="Kal tak")
    assert api_client(chat.vendor).post(url(chat)).json()["cached"] is False


def test_a_timeout_falls_back_to_the_rules_and_says_so(gemini, caplog):
    def time_out(request):
        raise httpx2.ReadTimeout("timed out", request=request)

    gemini.respond = time_out
    chat = make_chat()
    send(chat, chat.influencer, "I sent the invoice, please check the payment")
    with caplog.at_level(logging.WARNING, logger="chat.suggestions"):
        body = api_client(chat.vendor).post(url(chat)).json()
    assert body["source"] == "rules"
    assert body["fallback_reason"] == "timeout"
    assert len(body["suggestions"]) == 3
    assert body["suggestions"][0] == "Thanks, I'll check and confirm the payment."
    assert "test-key" not in caplog.text


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (ANSWER[:2], "wrong shape: expected 3 suggestions, got 2"),
        ([*ANSWER[:2], 5], "wrong shape: a suggestion is not a text"),
        ([*ANSWER[:2], "   "], "wrong shape: a suggestion is not a text"),
        ('["cut off', "malformed answer"),
    ],
)
def test_a_bad_answer_falls_back_to_the_rules(gemini, answer, reason):
    gemini.respond = lambda request: gemini_reply(answer)
    chat = make_chat()
    send(chat, chat.vendor, "Hello")
    body = api_client(chat.influencer).post(url(chat)).json()
    assert (body["source"], body["fallback_reason"]) == ("rules", reason)
    assert len(body["suggestions"]) == 3


def test_an_api_error_falls_back_to_the_rules(gemini):
    error = {"error": {"code": 429, "message": "Slow down.", "status": "RESOURCE_EXHAUSTED"}}
    gemini.respond = lambda request: httpx2.Response(429, json=error)
    chat = make_chat()
    send(chat, chat.vendor, "Hello")
    body = api_client(chat.influencer).post(url(chat)).json()
    assert (body["source"], body["fallback_reason"]) == ("rules", "Gemini API error 429")


def test_long_suggestions_are_clipped(gemini):
    gemini.respond = lambda request: gemini_reply(["word " * 100, *ANSWER[1:]])
    chat = make_chat()
    send(chat, chat.vendor, "Hello")
    first = api_client(chat.influencer).post(url(chat)).json()["suggestions"][0]
    assert len(first) == 200
    assert first.endswith("…")


def test_without_a_key_the_rules_answer_in_the_message_language(gemini, no_gemini):
    chat = make_chat()
    send(chat, chat.vendor, "आपका रेट कितना है?")
    body = api_client(chat.influencer).post(url(chat)).json()
    assert (body["source"], body["fallback_reason"]) == ("rules", "no GEMINI_API_KEY")
    assert body["suggestions"] == [
        "पूछने के लिए धन्यवाद! मैं रेट कार्ड भेजता हूँ।",
        "अच्छा सवाल है, मैं देखकर बताता हूँ।",
        "आपका बजट कितना है, बता सकते हैं?",
    ]
    assert gemini.requests == []

    send(chat, chat.vendor, "Can you ship the sample by Friday?")
    english = api_client(chat.influencer).post(url(chat)).json()["suggestions"]
    assert english == [
        "Noted. Which date works best for you?",
        "I'll share my delivery address and pincode.",
        "Good question, let me check and get back to you.",
    ]


def test_nothing_to_reply_to_is_a_409_and_strangers_get_404(no_gemini):
    chat = make_chat()
    assert_error(api_client(chat.vendor).post(url(chat)), 409, "message")
    send(chat, chat.vendor, "Hello")
    response = api_client(chat.vendor).post(url(chat))  # only their own message so far
    assert_error(response, 409, "message")
    assert_matches(response, "/api/v1/chats/{id}/suggestions/", "post")
    assert_error(api_client(VendorFactory()).post(url(chat)), 404)
    assert api_client(chat.influencer).post(url(chat)).status_code == 200


def test_suggestions_are_throttled_per_user_on_api_and_page_together(no_gemini, monkeypatch, client):
    # DRF reads the rates once, when the throttle classes load: set them on the class itself.
    rates = {**SuggestionsThrottle.THROTTLE_RATES, "chat_suggestions": "3/minute"}
    monkeypatch.setattr(SuggestionsThrottle, "THROTTLE_RATES", rates)
    chat = make_chat()
    send(chat, chat.vendor, "Hello")
    api = api_client(chat.influencer)
    assert [api.post(url(chat)).status_code for _ in range(2)] == [200, 200]
    client.force_login(chat.influencer)
    assert client.post(reverse("chat:chat-suggestions", args=[chat.pk])).status_code == 200
    assert_error(api.post(url(chat)), 429)
    refused = client.post(reverse("chat:chat-suggestions", args=[chat.pk]), follow=True).content.decode()
    assert "Too many suggestions asked for" in refused
    # Someone else is not held back by it.
    assert api_client(chat.vendor).post(url(chat)).status_code == 409


def test_the_page_button_works_without_javascript_and_never_sends(client, no_gemini):
    chat = make_chat()
    send(chat, chat.influencer, "Payment kab milega?")
    client.force_login(chat.vendor)
    response = client.post(reverse("chat:chat-suggestions", args=[chat.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Suggested replies" in page
    assert "Thanks, I&#x27;ll check and confirm the payment." in page
    assert chat.messages.count() == 1  # nothing was sent
    # Picking one puts it in the message box.
    picked = client.get(reverse("chat:chat-detail", args=[chat.pk]), {"draft": "Thanks, I'll check."}).content.decode()
    assert ">Thanks, I&#x27;ll check.</textarea>" in picked

    client.force_login(chat.influencer)  # nothing from the other side yet: told so
    response = client.post(reverse("chat:chat-suggestions", args=[chat.pk]), follow=True)
    assert "There is no message from the other side to reply to yet." in response.content.decode()


def test_the_rules_suggest_what_the_replying_side_would_say(no_gemini):
    # A vendor is not told to send "a draft for approval", nor an influencer to ask for "the
    # delivery address": each side gets the replies that fit it.
    chat = make_chat()
    send(chat, chat.influencer, "Sharing my first reel on Friday")
    vendor = api_client(chat.vendor).post(url(chat)).json()["suggestions"]
    assert vendor == [
        "Sure, let's confirm the deliverables: how many reels and stories?",
        "Please share a draft for approval before you post.",
        "Thanks for your message!",
    ]
    send(chat, chat.vendor, "Your samples ship this week, what is your rate for 2 reels?")
    influencer = api_client(chat.influencer).post(url(chat)).json()["suggestions"]
    assert influencer == [
        "Thanks for asking! Let me share the rate card for this.",
        "Sure, let's confirm the deliverables: how many reels and stories?",
        "I'll share my delivery address and pincode.",
    ]
    send(chat, chat.influencer, "Is the payment done?")
    assert (
        api_client(chat.vendor).post(url(chat)).json()["suggestions"][0]
        == "Thanks, I'll check and confirm the payment."
    )
