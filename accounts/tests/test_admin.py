"""Users the admin adds are signed up by ``user_create``: the same checks and the signup grant."""

import pytest
from django.urls import reverse

from accounts.models import Role, User, WalletTransaction
from accounts.tests.factories import AdminFactory, VendorFactory
from accounts.wallet import wallet_for_user

pytestmark = pytest.mark.django_db

PASSWORD = "admin-made-pass-31"


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


def new_user(**overrides):
    return {
        "email": "new@example.com",
        "display_name": "New Person",
        "business_name": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


def errors_of(response):
    assert response.status_code == 200
    return response.context["adminform"].form.errors


@pytest.mark.parametrize(
    ("add_page", "fields", "role"),
    [
        ("admin:accounts_user_add", {"role": "influencer"}, Role.INFLUENCER),
        ("admin:accounts_vendor_add", {"business_name": "Chai Co"}, Role.VENDOR),
        ("admin:accounts_influencer_add", {}, Role.INFLUENCER),
    ],
)
def test_an_admin_added_user_gets_the_signup_grant(admin_client, settings, add_page, fields, role):
    settings.TOKEN_SIGNUP_GRANT = 200
    response = admin_client.post(reverse(add_page), new_user(**fields))
    assert response.status_code == 302, errors_of(response)
    user = User.objects.get(email="new@example.com")
    assert (user.role, user.is_staff) == (role, False)
    assert user.check_password(PASSWORD)
    assert wallet_for_user(user).balance == 200
    grant = WalletTransaction.objects.get(wallet__user=user)
    assert (grant.kind, grant.amount, grant.reference) == ("grant", 200, "signup")


def test_admin_add_form_refuses_a_weak_password_on_the_confirmation(admin_client):
    errors = errors_of(
        admin_client.post(reverse("admin:accounts_influencer_add"), new_user(password1="123", password2="123"))
    )
    assert list(errors) == ["password2"]
    assert any("too short" in message for message in errors["password2"])
    assert not User.objects.filter(email="new@example.com").exists()


def test_admin_add_form_refuses_different_passwords(admin_client):
    errors = errors_of(admin_client.post(reverse("admin:accounts_influencer_add"), new_user(password2="other-pass-99")))
    assert list(errors) == ["password2"]
    assert not User.objects.filter(email="new@example.com").exists()


def test_admin_add_form_refuses_a_taken_email_whatever_its_case(admin_client):
    VendorFactory(email="shop@example.com")
    errors = errors_of(admin_client.post(reverse("admin:accounts_influencer_add"), new_user(email="Shop@Example.COM")))
    assert errors == {"email": ["An account with this email address already exists."]}


def test_admin_adds_a_staff_account_without_a_role_but_not_a_roleless_user(admin_client):
    errors = errors_of(admin_client.post(reverse("admin:accounts_user_add"), new_user(role="")))
    assert list(errors) == ["role"]
    assert not User.objects.filter(email="new@example.com").exists()
    response = admin_client.post(reverse("admin:accounts_user_add"), new_user(role="", is_staff="on"))
    assert response.status_code == 302, errors_of(response)
    staff = User.objects.get(email="new@example.com")
    assert (staff.role, staff.is_staff) == ("", True)


def test_the_role_lists_add_no_admins(admin_client):
    form = admin_client.get(reverse("admin:accounts_vendor_add")).context["adminform"].form
    assert "is_staff" not in form.fields
    assert "role" not in form.fields
    assert "is_staff" in admin_client.get(reverse("admin:accounts_user_add")).context["adminform"].form.fields


def change_data(user, **overrides):
    return {
        "email": user.email,
        "display_name": user.display_name,
        "business_name": user.business_name,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        **overrides,
    }


def test_an_admin_changes_a_users_email_through_the_service_and_the_old_address_is_told(
    admin_client, django_capture_on_commit_callbacks
):
    from django.core import mail

    vendor = VendorFactory(email="old@example.com")
    url = reverse("admin:accounts_user_change", args=[vendor.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, change_data(vendor, email="New@Example.com"))
    assert response.status_code == 302
    vendor.refresh_from_db()
    assert vendor.email == "new@example.com"
    assert [message.to for message in mail.outbox] == [["old@example.com"]]


def test_the_admin_change_form_names_a_taken_email_and_changes_nothing(admin_client):
    VendorFactory(email="taken@example.com")
    vendor = VendorFactory(email="mine@example.com", display_name="Before")
    url = reverse("admin:accounts_user_change", args=[vendor.pk])
    response = admin_client.post(url, change_data(vendor, email="TAKEN@example.com", display_name="After"))
    assert response.status_code == 200
    assert "An account with this email address already exists." in response.content.decode()
    vendor.refresh_from_db()
    assert (vendor.email, vendor.display_name) == ("mine@example.com", "Before")


def test_the_role_cannot_be_changed_in_the_admin_but_access_can(admin_client):
    vendor = VendorFactory()
    url = reverse("admin:accounts_user_change", args=[vendor.pk])
    data = change_data(vendor, role=Role.INFLUENCER)
    del data["is_active"]  # unticked: the account is switched off
    assert admin_client.post(url, data).status_code == 302
    vendor.refresh_from_db()
    assert (vendor.role, vendor.is_active) == (Role.VENDOR, False)
