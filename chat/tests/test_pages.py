import pytest
from django.urls import reverse

from accounts.tests.factories import InfluencerFactory, VendorFactory
from accounts.wallet import wallet_grant
from chat import services
from chat.models import Chat
from chat.tests.factories import make_chat

pytestmark = pytest.mark.django_db


def test_chat_list_shows_unread_badges(client):
    chat = make_chat()
    services.message_send(chat=chat, sender=chat.vendor, text="Hello there")
    client.force_login(chat.influencer)
    content = client.get(reverse("chat:chat-list")).content.decode()
    assert "Hello there" in content
    assert "1 new" in content


def test_chat_page_shows_history_marks_read_and_sends_without_js(client):
    chat = make_chat()
    services.message_send(chat=chat, sender=chat.vendor, text="First!")
    client.force_login(chat.influencer)
    page = client.get(reverse("chat:chat-detail", args=[chat.pk])).content.decode()
    assert "First!" in page
    assert "1 new" not in client.get(reverse("chat:chat-list")).content.decode()
    response = client.post(reverse("chat:chat-detail", args=[chat.pk]), {"text": "Reply without JS"}, follow=True)
    assert "Reply without JS" in response.content.decode()
    response = client.post(reverse("chat:chat-detail", args=[chat.pk]), {"text": "   "}, follow=True)
    assert "Write a message." in response.content.decode()


def test_load_older_messages(client):
    chat = make_chat()
    for number in range(55):
        services.message_send(chat=chat, sender=chat.vendor, text=f"message {number:02d}")
    client.force_login(chat.vendor)
    page = client.get(reverse("chat:chat-detail", args=[chat.pk]))
    assert "message 54" in page.content.decode()
    assert "message 04" not in page.content.decode()
    older = client.get(reverse("chat:chat-detail", args=[chat.pk]), {"before": page.context["older_than"]})
    assert "message 04" in older.content.decode()


def test_non_participant_gets_404(client):
    chat = make_chat()
    client.force_login(VendorFactory())
    assert client.get(reverse("chat:chat-detail", args=[chat.pk])).status_code == 404
    assert client.post(reverse("chat:chat-detail", args=[chat.pk]), {"text": "hi"}).status_code == 404


def test_vendor_starts_chat_from_profile_page(client):
    vendor, influencer = VendorFactory(), InfluencerFactory()
    wallet_grant(user=vendor, amount=50, reason="test")
    client.force_login(vendor)
    response = client.post(reverse("chat:chat-start"), {"other_user": influencer.pk}, follow=True)
    chat = Chat.objects.get()
    assert response.redirect_chain[-1][0] == reverse("chat:chat-detail", args=[chat.pk])
    response = client.post(
        reverse("chat:chat-start"), {"other_user": InfluencerFactory().pk, "next": "/chats/"}, follow=True
    )
    assert "You need 50 tokens" in response.content.decode()


def test_empty_chat_list(client):
    client.force_login(InfluencerFactory())
    assert "No chats yet" in client.get(reverse("chat:chat-list")).content.decode()
