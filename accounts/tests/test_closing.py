"""Closing an account: the password check, what is erased, what stays, and that nobody gets back in."""

import datetime
import io

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import hooks
from accounts.closing import CLOSED_EMAIL_DOMAIN, account_close
from accounts.models import User
from accounts.tests.factories import PASSWORD, AdminFactory, InfluencerFactory, VendorFactory, give_tokens
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import assert_matches
from billing.models import Bill
from billing.tests.factories import make_bill
from broadcasts.services import broadcast_start
from broadcasts.tests.factories import make_broadcast
from campaigns import services as campaign_services
from campaigns.models import Application, Campaign
from campaigns.tests.factories import CampaignFactory
from catalog.models import StockMovement
from catalog.tests.factories import ProductFactory
from chat import services as chat_services
from chat.events import message_payload
from chat.models import Chat, Message, TelegramAccount
from chat.telegram.services import notification_text
from chat.tests.factories import link_telegram
from profiles.models import InfluencerProfile, VendorProfile
from profiles.tests.factories import InfluencerProfileFactory, VendorProfileFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/auth/me/"
TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"


@pytest.fixture
def pair():
    vendor = VendorFactory(business_name="Indigo Loom", email="asha@example.com", display_name="Asha")
    influencer = InfluencerFactory(display_name="Ira Rao", email="ira@example.com")
    InfluencerProfileFactory(user=influencer, bio="Tea and travel.", city="Pune")
    VendorProfileFactory(user=vendor, description="Handloom", city="Jaipur")
    campaign = CampaignFactory(vendor=vendor, title="Diwali teas")
    application = campaign_services.application_create(campaign=campaign, influencer=influencer, pitch="Pick me")
    campaign_services.application_accept(application=application, actor=vendor)
    chat = Chat.objects.get(vendor=vendor, influencer=influencer)
    chat_services.message_send(chat=chat, sender=influencer, text="Hello from Ira", notify_telegram=False)
    chat_services.message_send(chat=chat, sender=vendor, text="Hello Ira", notify_telegram=False)
    link_telegram(influencer, 777)
    return vendor, influencer


def test_every_app_registers_what_it_does_on_close():
    names = {callback.__name__ for callback in hooks.close_callbacks()}
    assert names == {
        "profile_erase",
        "campaigns_end_for_closed_account",
        "telegram_forget_user",
        "bills_keep_invoices_of_closed_account",
        "broadcasts_refuse_closing",
        "collaborations_end_for_closed_account",
    }


# --- The password -------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "message"), [({}, "This field is required."), ({"password": "wrong"}, "incorrectly")])
def test_a_missing_or_wrong_password_is_a_400_naming_password_and_nothing_changes(pair, body, message):
    influencer = pair[1]
    response = api_client(influencer).delete(ME, body, format="json")
    error = assert_error(response, 400, "password")
    assert message in error["errors"]["password"][0]
    assert_matches(response, ME, "delete")
    influencer.refresh_from_db()
    assert influencer.is_active
    assert influencer.closed_at is None
    assert influencer.email == "ira@example.com"
    assert InfluencerProfile.objects.filter(user=influencer).exists()


# --- What closing does ----------------------------------------------------------------------


def test_closing_erases_personal_data_and_revokes_every_token(pair):
    vendor, influencer = pair
    give_tokens(influencer, 25)
    refresh = RefreshToken.for_user(influencer)
    client = api_client(influencer)
    response = client.delete(ME, {"password": PASSWORD}, format="json")
    assert response.status_code == 204, response.content

    influencer.refresh_from_db()
    assert not influencer.is_active
    assert influencer.closed_at is not None
    assert influencer.email.startswith(f"closed-{influencer.pk}-")
    assert influencer.email.endswith(f"@{CLOSED_EMAIL_DOMAIN}")
    assert influencer.display_name == "Deleted user"
    assert not influencer.has_usable_password()
    assert not InfluencerProfile.objects.filter(user=influencer).exists()
    assert not TelegramAccount.objects.filter(user=influencer).exists()
    # Tokens are platform credit: forfeited, on the ledger.
    influencer.wallet.refresh_from_db()
    assert influencer.wallet.balance == 0
    assert influencer.wallet.transactions.first().amount == -25

    # The refresh token is blacklisted, the access token refused, and a login fails.
    assert_error(api_client().post(REFRESH, {"refresh": str(refresh)}, format="json"), 401)
    assert_error(client.get(ME), 401)
    assert_error(api_client().post(TOKEN, {"email": "ira@example.com", "password": PASSWORD}, format="json"), 401)
    # The vendor keeps the conversation; its messages stay.
    assert Message.objects.filter(sender=influencer, text="Hello from Ira").exists()
    assert vendor.is_active


def test_messages_of_a_closed_user_show_deleted_user_on_the_chat_page_api_and_telegram(pair, client):
    vendor, influencer = pair
    account_close(user=influencer, password=PASSWORD)
    chats = api_client(vendor).get("/api/v1/chats/").json()["results"]
    assert [chat["other"]["name"] for chat in chats] == ["Deleted user"]
    client.force_login(vendor)
    chat = Chat.objects.get(vendor=vendor)
    page = client.get(f"/chats/{chat.pk}/").content.decode()
    assert "<h1>Deleted user</h1>" in page
    assert "Hello from Ira" in page
    assert "Ira Rao" not in page
    assert notification_text(Message.objects.get(text="Hello from Ira")).startswith("Deleted user (Diwali teas): ")
    messages = api_client(vendor).get(f"/api/v1/chats/{chat.pk}/messages/").json()["results"]
    assert [(m["sender_name"], m["text"]) for m in messages] == [
        # Closing cancelled the pair's collaboration, and said so in their chat.
        ("Deleted user", "Cancelled the collaboration on “Diwali teas”: The account was closed."),
        ("Indigo Loom", "Hello Ira"),
        ("Deleted user", "Hello from Ira"),
    ]
    # What websockets push about a message (an edit, a deletion) names the sender the same way.
    assert message_payload(Message.objects.get(text="Hello from Ira"))["sender_name"] == "Deleted user"


def test_the_same_email_signs_up_again_as_a_new_user_with_none_of_the_old_data(pair):
    influencer = pair[1]
    account_close(user=influencer, password=PASSWORD)
    response = api_client().post(
        "/api/v1/auth/register/",
        {"email": "IRA@example.com", "password": PASSWORD, "role": "influencer", "display_name": "Ira again"},
        format="json",
    )
    assert response.status_code == 201, response.content
    new = User.objects.get(email="ira@example.com")
    assert new.pk != influencer.pk
    assert not Application.objects.filter(influencer=new).exists()
    assert not Chat.objects.filter(influencer=new).exists()
    assert api_client(new).get("/api/v1/auth/me/export/").json()["sections"]["chats"] == []


def test_closing_resets_the_lockout_of_the_old_address(pair):
    influencer = pair[1]
    for _ in range(3):
        api_client().post(TOKEN, {"email": "ira@example.com", "password": "wrong"}, format="json")
    assert AccessAttempt.objects.filter(username="ira@example.com").exists()
    account_close(user=influencer, password=PASSWORD)
    assert not AccessAttempt.objects.filter(username="ira@example.com").exists()
    assert not AccessFailureLog.objects.filter(username="ira@example.com").exists()
    assert AccessFailureLog.objects.filter(username=User.objects.get(pk=influencer.pk).email).count() == 3


def test_a_closed_account_gets_no_password_reset_and_the_page_says_the_same(pair, client):
    influencer = pair[1]
    account_close(user=influencer, password=PASSWORD)
    response = client.post("/password-reset/", {"email": "ira@example.com"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/password-reset/sent/"
    assert mail.outbox == []


def test_a_closing_vendor_ends_open_campaigns_and_keeps_bills_and_invoices_intact(pair):
    vendor = pair[0]
    waiting = campaign_services.application_create(
        campaign=CampaignFactory(vendor=vendor, title="Holi colours"), influencer=InfluencerFactory(), pitch="Me"
    )
    product = ProductFactory(vendor=vendor, name="Masala chai", quantity=5)
    bill = make_bill(vendor, (product, 2), customer_name="Meera Iyer", customer_email="meera@example.com")
    Bill.objects.filter(pk=bill.pk).update(invoice_pdf="")  # not rendered yet
    account_close(user=vendor, password=PASSWORD)

    assert set(Campaign.objects.filter(vendor=vendor).values_list("status", flat=True)) == {"closed"}
    waiting.refresh_from_db()
    assert waiting.status == "rejected"
    assert not VendorProfile.objects.filter(user=vendor).exists()
    bill.refresh_from_db()
    assert (bill.customer_name, bill.customer_email, bill.total) == ("Meera Iyer", "meera@example.com", 200)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(bill.invoice_pdf.read())).pages)
    assert "Indigo Loom" in text  # the invoice was rendered with the seller's name before it was erased
    assert StockMovement.objects.filter(product=product).count() == 2


def test_a_closing_influencer_withdraws_pending_applications_and_declines_invitations(pair):
    vendor, influencer = pair
    pending = campaign_services.application_create(
        campaign=CampaignFactory(vendor=vendor, title="Holi"), influencer=influencer, pitch="Me"
    )
    give_tokens(vendor, 100)  # an invitation costs the vendor tokens
    invited = campaign_services.campaign_invite(
        campaign=CampaignFactory(vendor=vendor, title="Onam"), vendor=vendor, influencer=influencer
    )
    account_close(user=influencer, password=PASSWORD)
    pending.refresh_from_db()
    invited.refresh_from_db()
    assert (pending.status, invited.status) == ("withdrawn", "declined")
    assert Application.objects.get(campaign__title="Diwali teas").status == "accepted"  # past work stays


def test_a_vendor_with_a_scheduled_broadcast_is_refused_with_409_and_nothing_changes(pair):
    vendor = pair[0]
    campaign = Campaign.objects.get(title="Diwali teas")
    later = timezone.now() + datetime.timedelta(hours=1)
    broadcast = broadcast_start(broadcast=make_broadcast(vendor, campaign, title="Festive drop", scheduled_at=later))
    assert broadcast.status == "scheduled"
    response = api_client(vendor).delete(ME, {"password": PASSWORD}, format="json")
    error = assert_error(response, 409)
    assert error["detail"] == (
        "Your broadcast “Festive drop” is still scheduled, running or paused. Let it finish or cancel it, "
        "then close your account."
    )
    assert_matches(response, ME, "delete")
    broadcast_start(broadcast=make_broadcast(vendor, campaign, title="Second drop", scheduled_at=later))
    assert (
        api_client(vendor)
        .delete(ME, {"password": PASSWORD}, format="json")
        .json()["detail"]
        .startswith(
            "Your broadcasts “Festive drop”, “Second drop” are still scheduled, running or paused. Let them finish"
        )
    )
    vendor.refresh_from_db()
    assert vendor.is_active
    assert vendor.business_name == "Indigo Loom"
    assert Campaign.objects.get(pk=campaign.pk).status == "open"


def test_an_account_cannot_be_closed_twice(pair):
    influencer = pair[1]
    account_close(user=influencer, password=PASSWORD)
    with pytest.raises(Exception, match="already closed"):
        account_close(user=influencer, actor=AdminFactory())


# --- The page ----------------------------------------------------------------------------


def test_the_account_page_explains_closing_and_asks_for_the_password(pair, client):
    client.force_login(pair[1])
    page = client.get("/account/").content.decode()
    assert "Close account" in page
    assert "forfeits the tokens" in page
    assert 'action="/account/close/"' in page


def test_closing_from_the_page_with_a_wrong_password_shows_the_error(pair, client):
    influencer = pair[1]
    client.force_login(influencer)
    response = client.post("/account/close/", {"password": "nope"})
    assert response.status_code == 400
    assert "Your password was entered incorrectly." in response.content.decode()
    influencer.refresh_from_db()
    assert influencer.is_active


def test_closing_from_the_page_logs_out_and_the_login_page_refuses(pair, client):
    influencer = pair[1]
    client.force_login(influencer)
    response = client.post("/account/close/", {"password": PASSWORD}, follow=True)
    assert "Your account is closed" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/account/").status_code == 302
    login = client.post("/login/", {"username": "ira@example.com", "password": PASSWORD})
    assert login.status_code == 200
    assert "Please enter a correct email and password." in login.content.decode()


def test_other_sessions_of_a_closed_account_end(pair, client):
    influencer = pair[1]
    client.force_login(influencer)
    account_close(user=influencer, password=PASSWORD)
    assert client.get("/account/").status_code == 302


# --- The admin ----------------------------------------------------------------------------


def test_admin_closes_an_account_after_confirming(pair, client):
    influencer = pair[1]
    client.force_login(AdminFactory())
    url = "/admin/accounts/user/"
    confirm = client.post(url, {"action": "close_accounts", "_selected_action": [influencer.pk]})
    assert confirm.status_code == 200
    assert "ira@example.com" in confirm.content.decode()
    assert User.objects.get(pk=influencer.pk).is_active  # nothing yet
    done = client.post(
        url, {"action": "close_accounts", "_selected_action": [influencer.pk], "apply": "yes"}, follow=True
    )
    assert "Account of ira@example.com closed" in done.content.decode()
    closed = User.objects.get(pk=influencer.pk)
    assert closed.closed_at is not None
    assert closed.display_name == "Deleted user"


def test_admin_export_emails_the_user_a_link(pair, client, django_capture_on_commit_callbacks):
    influencer = pair[1]
    client.force_login(AdminFactory())
    url = "/admin/accounts/user/"
    confirm = client.post(url, {"action": "export_accounts", "_selected_action": [influencer.pk]})
    assert "Nothing is shown to you" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url, {"action": "export_accounts", "_selected_action": [influencer.pk], "apply": "yes"}, follow=True
        )
    assert "ira@example.com gets a download link" in done.content.decode()
    [email] = mail.outbox
    assert email.to == ["ira@example.com"]
    assert "/account/export/" in email.body


def test_admin_export_of_a_closed_account_is_refused_with_a_warning(pair, client):
    influencer = pair[1]
    account_close(user=influencer, password=PASSWORD)
    client.force_login(AdminFactory())
    done = client.post(
        "/admin/accounts/user/",
        {"action": "export_accounts", "_selected_action": [influencer.pk], "apply": "yes"},
        follow=True,
    )
    assert "there is no one to send its data to" in done.content.decode()
    assert mail.outbox == []
