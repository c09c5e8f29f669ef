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


BAD_IDS = ["abc", "-1", "0", "1.5", "²", "99999999999999999999999", "999999"]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_starting_a_chat_with_a_bad_user_id_names_the_field(client, bad):
    client.force_login(VendorFactory())
    response = client.post(reverse("chat:chat-start"), {"other_user": bad})
    assert response.status_code == 400
    assert "other_user" in response.context["form"].errors
    assert "No such user." in response.content.decode()
    assert not Chat.objects.exists()


@pytest.mark.parametrize("bad", BAD_IDS)
def test_starting_a_chat_with_a_bad_campaign_id_names_the_field(client, bad):
    client.force_login(VendorFactory())
    response = client.post(reverse("chat:chat-start"), {"other_user": InfluencerFactory().pk, "campaign": bad})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["campaign"]
    assert "No such campaign." in response.content.decode()
    assert not Chat.objects.exists()


def test_starting_a_chat_without_a_user_or_about_someone_elses_campaign_is_refused(client):
    from campaigns.tests.factories import CampaignFactory

    vendor = VendorFactory()
    wallet_grant(user=vendor, amount=500, reason="test")
    client.force_login(vendor)
    response = client.post(reverse("chat:chat-start"), {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    theirs = CampaignFactory()
    response = client.post(reverse("chat:chat-start"), {"other_user": InfluencerFactory().pk, "campaign": theirs.pk})
    assert response.status_code == 400
    assert "This campaign is not the vendor&#x27;s." in response.content.decode()
    response = client.post(reverse("chat:chat-start"), {"other_user": VendorFactory().pk})
    assert response.status_code == 400
    assert "Chats are between a vendor and an influencer." in response.content.decode()
    assert not Chat.objects.exists()


def test_an_inactive_user_cannot_be_messaged(client):
    client.force_login(VendorFactory())
    response = client.post(reverse("chat:chat-start"), {"other_user": InfluencerFactory(is_active=False).pk})
    assert response.status_code == 400
    assert "No such user." in response.content.decode()


@pytest.mark.parametrize("bad", ["abc", "-1", "0", "²", "99999999999999999999999"])
def test_paging_back_with_a_bad_message_id_names_the_field(client, bad):
    chat = make_chat()
    services.message_send(chat=chat, sender=chat.vendor, text="Hello")
    client.force_login(chat.vendor)
    response = client.get(reverse("chat:chat-detail", args=[chat.pk]), {"before": bad})
    assert response.status_code == 400
    assert "before" in response.context["form"].errors
    assert "Hello" not in response.content.decode()


def test_paging_back_past_the_largest_id_shows_the_history(client):
    chat = make_chat()
    services.message_send(chat=chat, sender=chat.vendor, text="Hello")
    client.force_login(chat.vendor)
    response = client.get(reverse("chat:chat-detail", args=[chat.pk]), {"before": str(2**63 - 1)})
    assert response.status_code == 200
    assert "Hello" in response.content.decode()


JUNK = ["abc", "-1", "0", "1.5", "²", "99999999999999999999999", "", "[]", "\x00"]
PARAMETERS = ["other_user", "campaign", "before", "after", "page", "message_id", "text", "next"]


@pytest.mark.parametrize("junk", JUNK)
def test_no_chat_page_answers_junk_in_any_parameter_with_a_server_error(client, junk):
    """Every page in chat/urls.py, GET and POST, with junk in every parameter a page might read:
    a page added later is covered too."""
    from django.urls import URLPattern

    from chat import urls

    chat = make_chat()
    services.message_send(chat=chat, sender=chat.vendor, text="Hello")
    client.force_login(chat.vendor)
    data = dict.fromkeys(PARAMETERS, junk)
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {"pk": chat.pk} if "pk" in pattern.pattern.converters else {}
        url = reverse(f"chat:{pattern.name}", kwargs=kwargs)
        for method in (client.get, client.post):
            response = method(url, data)
            assert response.status_code < 500, (method.__name__, url, response.status_code)


def test_a_chat_opened_by_accepting_an_application_lists_first(client):
    import datetime

    from django.utils import timezone

    from campaigns import services as campaign_services
    from campaigns.tests.factories import CampaignFactory

    vendor = VendorFactory()
    old = make_chat(vendor=vendor, influencer=InfluencerFactory(display_name="Old friend"))
    services.message_send(chat=old, sender=vendor, text="Last week's note")
    week_ago = timezone.now() - datetime.timedelta(days=7)
    Chat.objects.filter(pk=old.pk).update(created_at=week_ago, last_message_at=week_ago)
    empty = make_chat(vendor=vendor, influencer=InfluencerFactory(display_name="Quiet one"))
    Chat.objects.filter(pk=empty.pk).update(created_at=week_ago - datetime.timedelta(days=1))
    campaign = CampaignFactory(vendor=vendor)
    star = InfluencerFactory(display_name="New star")
    wallet_grant(user=star, amount=10, reason="test")
    application = campaign_services.application_create(campaign=campaign, influencer=star, pitch="Pick me")
    campaign_services.application_accept(application=application, actor=vendor)

    client.force_login(vendor)
    page = client.get(reverse("chat:chat-list")).content.decode()
    assert page.index("New star") < page.index("Old friend") < page.index("Quiet one")
    from anwariya.tests.api import api_client

    listed = api_client(vendor).get("/api/v1/chats/").json()["results"]
    assert [chat["other"]["name"] for chat in listed] == ["New star", "Old friend", "Quiet one"]


def test_message_times_show_in_the_viewers_time_zone_in_one_format(client, settings):
    import datetime

    from chat.models import Message
    from profiles.models import VendorProfile

    settings.TIME_ZONE = "Asia/Kolkata"
    chat = make_chat()
    VendorProfile.objects.create(user=chat.vendor, time_zone="America/New_York")
    message = services.message_send(chat=chat, sender=chat.vendor, text="Hello")
    Message.objects.filter(pk=message.pk).update(created_at=datetime.datetime(2026, 11, 30, 1, 29, tzinfo=datetime.UTC))

    client.force_login(chat.vendor)
    page = client.get(reverse("chat:chat-detail", args=[chat.pk])).content.decode()
    assert '<small class="meta">29 Nov, 20:29</small>' in page
    assert 'data-time-zone="America/New_York"' in page

    client.force_login(chat.influencer)  # no zone of their own: the platform's
    page = client.get(reverse("chat:chat-detail", args=[chat.pk])).content.decode()
    assert '<small class="meta">30 Nov, 06:59</small>' in page
    assert 'data-time-zone="Asia/Kolkata"' in page
