"""A user's data export: the document, the API and page, the task with its emailed link, the hooks."""

import json
import re
import time

import pytest
from django.core import mail, signing
from django.core.files.storage import default_storage
from rest_framework.throttling import SimpleRateThrottle

from accounts import hooks
from accounts.export import EXPORT_DIRECTORY, LINK_SALT, export_document
from accounts.hooks import export_rows
from accounts.tests.factories import PASSWORD, InfluencerFactory, VendorFactory, give_tokens
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import assert_matches
from billing.tests.factories import make_bill
from campaigns import services as campaign_services
from campaigns.tests.factories import CampaignFactory
from catalog.tests.factories import ProductFactory
from chat import services as chat_services
from chat.models import Chat
from chat.tests.factories import link_telegram, make_chat
from profiles.tests.factories import InfluencerProfileFactory

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/auth/me/export/"


@pytest.fixture
def world():
    """A vendor and an influencer who worked together: a campaign, an application, a chat, a sale."""
    vendor = VendorFactory(business_name="Indigo Loom", email="asha@example.com")
    influencer = InfluencerFactory(display_name="Ira Rao", email="ira@example.com")
    InfluencerProfileFactory(user=influencer, bio="Tea and travel.", city="Pune")
    campaign = CampaignFactory(vendor=vendor, title="Diwali teas")
    application = campaign_services.application_create(campaign=campaign, influencer=influencer, pitch="Pick me")
    campaign_services.application_accept(application=application, actor=vendor)
    chat = Chat.objects.get(vendor=vendor, influencer=influencer, campaign=campaign)  # opened by the accept
    chat_services.message_send(chat=chat, sender=vendor, text="Welcome aboard", notify_telegram=False)
    chat_services.message_send(chat=chat, sender=influencer, text="Thanks!", notify_telegram=False)
    link_telegram(influencer, 777)
    product = ProductFactory(vendor=vendor, name="Masala chai", quantity=5)
    make_bill(vendor, (product, 2), customer_name="Meera Iyer", customer_email="meera@example.com")
    give_tokens(influencer, 30)
    return vendor, influencer


def download(user):
    response = api_client(user).get(EXPORT)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert re.fullmatch(
        rf'attachment; filename="anwariya-export-{user.pk}-\d{{4}}-\d\d-\d\d\.json"', response["Content-Disposition"]
    )
    return json.loads(response.content)


def test_every_app_registers_its_export_section():
    assert hooks.export_section_names() == [
        "applications",
        "bills",
        "campaigns",
        "chats",
        "collaborations",
        "products",
        "profile",
        "telegram",
        "wallet",
    ]


def test_influencer_export_holds_their_data_and_only_names_the_other_side(world):
    vendor, influencer = world
    document = download(influencer)
    assert document["format"] == "anwariya-export/1"
    assert document["user"]["email"] == "ira@example.com"
    assert document["user"]["display_name"] == "Ira Rao"
    sections = document["sections"]
    assert sections["profile"]["bio"] == "Tea and travel."
    assert sections["profile"]["city"] == "Pune"
    [application] = sections["applications"]
    assert application["status"] == "accepted"
    assert application["message"] == "Pick me"
    assert re.fullmatch(r"[A-Z2-9]{8}", application["referral_code"])
    assert application["campaign"] == {
        "id": application["campaign"]["id"],
        "title": "Diwali teas",
        "vendor": "Indigo Loom",
    }
    [chat] = sections["chats"]
    assert chat["with"] == {"name": "Indigo Loom", "role": "vendor"}
    assert [(m["from"], m["text"]) for m in chat["messages"]] == [("them", "Welcome aboard"), ("me", "Thanks!")]
    assert sections["telegram"]["username"] == "ira_tg"
    assert sections["wallet"]["balance"] == 30
    assert [(t["kind"], t["amount"], t["reason"]) for t in sections["wallet"]["transactions"]] == [
        ("grant", 30, "Test tokens")
    ]
    assert (sections["campaigns"], sections["products"], sections["bills"]) == ([], [], [])
    text = json.dumps(document)
    # Nothing of the vendor beyond the public name they show everyone.
    assert "asha@example.com" not in text
    assert vendor.password not in text
    assert "argon2" not in text


def test_vendor_export_holds_campaigns_products_and_bills(world):
    vendor, _ = world
    sections = download(vendor)["sections"]
    [campaign] = sections["campaigns"]
    assert campaign["title"] == "Diwali teas"
    assert [(a["influencer"], a["status"]) for a in campaign["applications"]] == [("Ira Rao", "accepted")]
    assert [p["name"] for p in sections["products"]] == ["Masala chai"]
    [bill] = sections["bills"]
    assert bill["customer_name"] == "Meera Iyer"
    assert [(i["product_name"], i["quantity"]) for i in bill["items"]] == [("Masala chai", 2)]
    assert bill["total"] == "200.00"
    assert sections["applications"] == []
    assert "ira@example.com" not in json.dumps(sections)


def test_the_inline_answer_matches_the_schema(world):
    response = api_client(world[1]).get(EXPORT)
    assert_matches(response, EXPORT, "get")


def test_export_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries):
    vendor = world[0]
    with django_assert_max_num_queries(30) as few:
        export_document(vendor)
    for n in range(5):
        campaign = CampaignFactory(vendor=vendor, title=f"More {n}")
        other = InfluencerFactory()
        campaign_services.application_create(campaign=campaign, influencer=other, pitch="Me too")
        chat = make_chat(vendor=vendor, influencer=other)
        chat_services.message_send(chat=chat, sender=vendor, text="Hi", notify_telegram=False)
        make_bill(vendor, (ProductFactory(vendor=vendor, quantity=3), 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        document = export_document(vendor)
    assert len(document["sections"]["campaigns"]) == 6
    assert len(document["sections"]["chats"]) == 6


def test_export_needs_login():
    assert_error(api_client().get(EXPORT), 401)


def test_exports_are_throttled_per_user(world, monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "account_export": "2/hour"}
    )
    influencer = world[1]
    client = api_client(influencer)
    assert client.get(EXPORT).status_code == 200
    assert client.get(EXPORT).status_code == 200
    response = client.get(EXPORT)
    assert_error(response, 429)
    assert_matches(response, EXPORT, "get")
    assert api_client(world[0]).get(EXPORT).status_code == 200  # another user has their own count


def test_export_rows_count_what_the_document_holds(world):
    vendor, influencer = world
    # vendor: 1 campaign + 1 application, 1 chat + 2 messages, 1 product, 1 bill + 1 line, profile, telegram, wallet,
    # and the accepted application's collaboration
    assert export_rows(vendor) == 2 + 3 + 1 + 2 + 1 + 1 + 0 + 1
    assert export_rows(influencer) == 1 + 3 + 1 + 1 + 1 + 1


# --- Large exports: the task, the emailed link ---------------------------------------------


def queue_large_export(user, settings, django_capture_on_commit_callbacks):
    settings.ACCOUNT_EXPORT_INLINE_MAX_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(user).get(EXPORT)
    assert response.status_code == 202, response.content
    assert_matches(response, EXPORT, "get")
    assert response.json()["link_hours"] == 48
    [email] = mail.outbox
    assert email.to == [user.email]
    [link] = re.findall(r"http://testserver(/account/export/\S+/)", email.body)
    return link


def test_a_large_export_is_emailed_as_a_link_that_only_its_owner_opens(
    world, settings, django_capture_on_commit_callbacks, client
):
    vendor, influencer = world
    link = queue_large_export(influencer, settings, django_capture_on_commit_callbacks)
    assert "48 hours" in mail.outbox[0].body

    assert client.get(link).status_code == 302  # logged out: to the login page first
    client.force_login(vendor)
    refused = client.get(link)
    assert refused.status_code == 404
    assert "not valid for your account" in refused.content.decode()

    client.force_login(influencer)
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    document = json.loads(b"".join(response.streaming_content))
    assert document["format"] == "anwariya-export/1"
    assert document["sections"]["profile"]["bio"] == "Tea and travel."


def test_a_tampered_link_is_not_valid(world, settings, django_capture_on_commit_callbacks, client):
    influencer = world[1]
    link = queue_large_export(influencer, settings, django_capture_on_commit_callbacks)
    client.force_login(influencer)
    assert client.get(link[:-3] + "xx/").status_code == 404


def test_an_expired_link_says_so_and_the_file_is_gone(world, settings, django_capture_on_commit_callbacks, client):
    influencer = world[1]
    link = queue_large_export(influencer, settings, django_capture_on_commit_callbacks)
    token = link.rstrip("/").rsplit("/", 1)[1]
    payload = signing.TimestampSigner(salt=LINK_SALT).unsign_object(token)
    assert default_storage.exists(payload["file"])

    class SignedTwoDaysAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 49 * 3600)

    old = SignedTwoDaysAgo(salt=LINK_SALT).sign_object(payload)
    client.force_login(influencer)
    response = client.get(f"/account/export/{old}/")
    assert response.status_code == 410
    assert "This download link has expired" in response.content.decode()
    assert "Ask for a new export" in response.content.decode()
    assert not default_storage.exists(payload["file"])


def test_the_page_button_downloads_at_once_or_emails_a_link(
    world, settings, client, django_capture_on_commit_callbacks
):
    influencer = world[1]
    client.force_login(influencer)
    page = client.get("/account/").content.decode()
    assert "Download your data" in page
    response = client.post("/account/export/")
    assert response.status_code == 200
    assert json.loads(response.content)["user"]["email"] == "ira@example.com"

    settings.ACCOUNT_EXPORT_INLINE_MAX_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/export/", follow=True)
    assert "We will email ira@example.com a download link" in response.content.decode()
    assert len(mail.outbox) == 1


def test_the_page_button_is_throttled_with_the_api(world, monkeypatch, client):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "account_export": "1/hour"}
    )
    influencer = world[1]
    assert api_client(influencer).get(EXPORT).status_code == 200
    client.force_login(influencer)
    response = client.post("/account/export/", follow=True)
    assert "You asked for several exports already" in response.content.decode()


def test_old_exports_are_purged(world, settings, django_capture_on_commit_callbacks):
    from accounts.tasks import purge_account_exports

    influencer = world[1]
    queue_large_export(influencer, settings, django_capture_on_commit_callbacks)
    assert len(default_storage.listdir(f"{EXPORT_DIRECTORY}/{influencer.pk}")[1]) == 1
    assert purge_account_exports() == 0  # still fresh
    settings.ACCOUNT_EXPORT_LINK_HOURS = 0
    assert purge_account_exports() == 1
    assert default_storage.listdir(f"{EXPORT_DIRECTORY}/{influencer.pk}")[1] == []


def test_export_of_a_user_without_data_has_empty_sections():
    user = InfluencerFactory()
    sections = download(user)["sections"]
    assert sections["profile"] is None
    assert sections["telegram"] is None
    assert (sections["chats"], sections["applications"]) == ([], [])
    assert PASSWORD not in json.dumps(sections)
