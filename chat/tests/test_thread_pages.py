"""The chat pages: tag chips and language, search in a chat, the chat list's filters, the
Archived view and the Archive / Unarchive buttons, with their query counts."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.tests.factories import VendorFactory
from chat import services
from chat.tests.factories import make_chat

pytestmark = pytest.mark.django_db

LIST = reverse("chat:chat-list")


def send(chat, sender, text):
    return services.message_send(chat=chat, sender=sender, text=text)


def bubble(page, message):
    match = re.search(rf'<li class="bubble[^"]*" data-id="{message.pk}".*?</li>', page, re.S)
    assert match, f"message {message.pk} not on the page"
    return match.group(0)


def test_messages_show_their_tag_chips_and_language(client):
    chat = make_chat()
    hindi = send(chat, chat.vendor, "भुगतान कब होगा?")
    plain = send(chat, chat.vendor, "ok")
    client.force_login(chat.influencer)
    page = client.get(reverse("chat:chat-detail", args=[chat.pk])).content.decode()
    shown = bubble(page, hindi)
    assert '<span class="chip" data-tag="payment">Payment</span>' in shown
    assert '<span class="chip" data-tag="question">Question</span>' in shown
    assert '<small class="language" data-role="language" data-code="hi">Hindi</small>' in shown
    assert "chip" not in bubble(page, plain)
    assert 'data-role="language"' not in bubble(page, plain)  # undetermined: nothing shown


def test_search_and_tag_filter_in_a_chat(client):
    chat = make_chat()
    rate = send(chat, chat.vendor, "Rate kya hai?")
    ship = send(chat, chat.vendor, "Product bhej do")
    client.force_login(chat.influencer)
    detail = reverse("chat:chat-detail", args=[chat.pk])

    page = client.get(detail, {"q": "rate"}).content.decode()
    assert f'data-id="{rate.pk}"' in page
    assert f'data-id="{ship.pk}"' not in page
    assert "1 message found" in page
    page = client.get(detail, {"tag": "shipping"}).content.decode()
    assert f'data-id="{ship.pk}"' in page
    assert f'data-id="{rate.pk}"' not in page
    assert "No messages match." in client.get(detail, {"q": "zzz"}).content.decode()
    bad = client.get(detail, {"tag": "gossip"})
    assert bad.status_code == 400
    assert "Tag" in bad.content.decode()


def test_chat_list_filters_and_marks_open_questions(client):
    vendor = VendorFactory()
    asked, paid = make_chat(vendor=vendor), make_chat(vendor=vendor)
    send(asked, asked.influencer, "Kitna budget hai?")
    send(paid, paid.influencer, "Payment received")
    client.force_login(vendor)

    page = client.get(LIST).content.decode()
    assert page.count('data-testid="open-question"') == 1
    assert "Question for you" in page
    only = client.get(LIST, {"open_question": "true"}).content.decode()
    assert "Kitna budget hai?" in only
    assert "Payment received" not in only
    tagged = client.get(LIST, {"tag": "payment"}).content.decode()
    assert "Payment received" in tagged
    assert "Kitna budget hai?" not in tagged
    searched = client.get(LIST, {"q": "budget"}).content.decode()  # old ?q= links still work
    assert "Kitna budget hai?" in searched
    assert "Payment received" not in searched
    assert "No chats match." in client.get(LIST, {"search": "nothing like it"}).content.decode()

    client.force_login(asked.influencer)
    assert "Waiting for their answer" in client.get(LIST).content.decode()  # the asker waits


def test_archive_and_unarchive_from_the_chat_page(client):
    chat = make_chat()
    send(chat, chat.influencer, "Delivered the reel")
    client.force_login(chat.vendor)

    response = client.post(reverse("chat:chat-archive", args=[chat.pk]), follow=True)
    page = response.content.decode()
    # Only the other side's messages bring it back, so the message names them.
    name = escape(chat.influencer.public_name)
    assert f"Chat archived. It comes back to your list when {name} writes again." in page
    assert "Delivered the reel" not in page
    archived = client.get(LIST, {"archived": "true"}).content.decode()
    assert "Archived chats" in archived
    assert "Delivered the reel" in archived
    detail = client.get(reverse("chat:chat-detail", args=[chat.pk])).content.decode()
    assert "Unarchive" in detail

    response = client.post(reverse("chat:chat-unarchive", args=[chat.pk]), follow=True)
    assert "Chat moved back to your chats." in response.content.decode()
    assert "Delivered the reel" in client.get(LIST).content.decode()
    empty = client.get(LIST, {"archived": "true"}).content.decode()
    assert "No archived chats." in empty
    assert "it comes back when the other person writes again." in empty

    # The other participant never saw a change, and a stranger cannot archive.
    client.force_login(VendorFactory())
    assert client.post(reverse("chat:chat-archive", args=[chat.pk])).status_code == 404


def test_chat_list_page_query_count_is_fixed(client, django_assert_max_num_queries):
    vendor = VendorFactory()
    client.force_login(vendor)
    for _ in range(20):
        chat = make_chat(vendor=vendor)
        send(chat, chat.influencer, "Rate kya hai?")
    with django_assert_max_num_queries(8):
        page = client.get(LIST, {"open_question": "true", "tag": "price"}).content.decode()
    assert page.count('data-testid="open-question"') == 20
