"""The admin's chats and messages: read-only, tags and language shown, filtered by tag, and an
action that finds them again through the service."""

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory
from chat import services
from chat.models import Message
from chat.tests.factories import make_chat

pytestmark = pytest.mark.django_db


def test_messages_show_tags_and_language_and_filter_by_tag(client):
    chat = make_chat()
    paid = services.message_send(chat=chat, sender=chat.vendor, text="Payment sent via UPI, please check")
    services.message_send(chat=chat, sender=chat.influencer, text="Reel goes live tomorrow")
    client.force_login(AdminFactory())
    url = reverse("admin:chat_message_changelist")

    page = client.get(url).content.decode()
    assert "Payment" in page
    assert "English" in page
    filtered = client.get(url, {"tag": "payment"}).content.decode()
    assert "Payment sent via UPI" in filtered
    assert "Reel goes live tomorrow" not in filtered
    assert client.get(reverse("admin:chat_message_change", args=[paid.pk])).status_code == 200
    assert client.get(reverse("admin:chat_chat_changelist")).status_code == 200
    assert client.get(reverse("admin:chat_message_add")).status_code == 403


def test_the_analyse_again_action_stores_tags_found_now(client):
    chat = make_chat()
    message = services.message_send(chat=chat, sender=chat.vendor, text="Please sign the contract")
    Message.objects.filter(pk=message.pk).update(tags=[], language="")
    client.force_login(AdminFactory())
    response = client.post(
        reverse("admin:chat_message_changelist"),
        {"action": "analyse_again", "_selected_action": [message.pk]},
        follow=True,
    )
    assert "Tags contract; language en." in response.content.decode()
    message.refresh_from_db()
    assert (message.tags, message.language) == (["contract"], "en")
