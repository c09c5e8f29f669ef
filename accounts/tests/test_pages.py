import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role, User
from accounts.tests.factories import PASSWORD, AdminFactory, InfluencerFactory, VendorFactory

pytestmark = pytest.mark.django_db


def signup_data(**overrides):
    return {
        "role": "vendor",
        "display_name": "Asha",
        "business_name": "Indigo Loom",
        "email": "asha@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


def test_anonymous_home_is_the_landing_page(client):
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Sign up" in content
    assert "Log in" in content


def test_signup_as_vendor_logs_in_and_shows_vendor_dashboard(client):
    response = client.post(reverse("signup"), signup_data(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    content = response.content.decode()
    assert "Vendor dashboard" in content
    assert "Indigo Loom" in content
    user = User.objects.get(email="asha@example.com")
    assert user.role == Role.VENDOR
    assert response.context["user"] == user


def test_signup_as_influencer(client):
    data = signup_data(role="influencer", business_name="", email="ira@example.com")
    response = client.post(reverse("signup"), data, follow=True)
    assert "Influencer dashboard" in response.content.decode()


def test_signup_vendor_without_business_name_shows_field_error(client):
    response = client.post(reverse("signup"), signup_data(business_name=""))
    assert response.status_code == 200
    assert "Vendors need a business name." in response.content.decode()
    assert not User.objects.exists()


def test_signup_weak_password_shows_error_on_password_field(client):
    response = client.post(reverse("signup"), signup_data(password1="12345678", password2="12345678"))
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.exists()


def test_signup_mismatched_passwords(client):
    response = client.post(reverse("signup"), signup_data(password2="something-else-entirely"))
    assert "do not match" in response.content.decode()


def test_signup_duplicate_email(client):
    VendorFactory(email="asha@example.com")
    response = client.post(reverse("signup"), signup_data(email="ASHA@example.com"))
    assert "already exists" in response.content.decode()


def test_login_and_logout(client):
    InfluencerFactory(email="ira@example.com", display_name="Ira")
    response = client.post(reverse("login"), {"username": "IRA@example.com", "password": PASSWORD}, follow=True)
    assert "Hello, Ira" in response.content.decode()
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert not response.context["user"].is_authenticated


def test_login_wrong_password_shows_error(client):
    InfluencerFactory(email="ira@example.com")
    response = client.post(reverse("login"), {"username": "ira@example.com", "password": "nope"})
    assert response.status_code == 200
    assert "correct email and password" in response.content.decode()


def test_login_page_locks_after_ten_failures(client):
    InfluencerFactory(email="ira@example.com")
    for _ in range(10):
        client.post(reverse("login"), {"username": "ira@example.com", "password": "nope"})
    response = client.post(reverse("login"), {"username": "ira@example.com", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    assert not client.get("/").context["user"].is_authenticated


def test_dashboard_requires_role_specific_content(client):
    client.force_login(VendorFactory(business_name="Chai & Co"))
    content = client.get("/").content.decode()
    assert "Vendor dashboard" in content
    assert "Chai &amp; Co" in content


def test_account_page_updates_display_name(client):
    vendor = VendorFactory()
    client.force_login(vendor)
    response = client.post(
        reverse("account"),
        {"display_name": "New Name", "business_name": vendor.business_name, "email": vendor.email},
        follow=True,
    )
    assert "saved" in response.content.decode()
    vendor.refresh_from_db()
    assert vendor.display_name == "New Name"


def test_account_page_requires_login(client):
    response = client.get(reverse("account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_change_page(client):
    vendor = VendorFactory()
    client.force_login(vendor)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "a-fresh-passphrase-9", "new_password2": "a-fresh-passphrase-9"},
        follow=True,
    )
    assert "password was changed" in response.content.decode()
    assert response.context["user"].is_authenticated
    vendor.refresh_from_db()
    assert vendor.check_password("a-fresh-passphrase-9")


def test_password_reset_by_email(client, django_capture_on_commit_callbacks):
    vendor = VendorFactory(email="asha@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "asha@example.com"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["asha@example.com"]
    link = re.search(r"http://testserver(/password-reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    new_password = {"new_password1": "reset-and-ready-77", "new_password2": "reset-and-ready-77"}
    done = client.post(set_url, new_password, follow=True)
    assert "Your password is set" in done.content.decode()
    vendor.refresh_from_db()
    assert vendor.check_password("reset-and-ready-77")


def test_password_reset_unknown_email_sends_nothing_but_looks_the_same(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_admin_lists_vendors_and_influencers_separately(client):
    client.force_login(AdminFactory())
    VendorFactory(email="shop@example.com")
    InfluencerFactory(email="creator@example.com")

    vendors = client.get(reverse("admin:accounts_vendor_changelist")).content.decode()
    assert "shop@example.com" in vendors
    assert "creator@example.com" not in vendors

    influencers = client.get(reverse("admin:accounts_influencer_changelist")).content.decode()
    assert "creator@example.com" in influencers
    assert "shop@example.com" not in influencers

    users = client.get(reverse("admin:accounts_user_changelist"), {"role__exact": "vendor", "q": "shop"})
    assert "shop@example.com" in users.content.decode()


def test_admin_adds_a_vendor_with_the_vendor_role(client):
    client.force_login(AdminFactory())
    response = client.post(
        reverse("admin:accounts_vendor_add"),
        {
            "email": "New.Shop@Example.com",
            "display_name": "Owner",
            "business_name": "New Shop",
            "password1": "admin-made-pass-31",
            "password2": "admin-made-pass-31",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="new.shop@example.com")
    assert user.role == Role.VENDOR


def test_admin_user_change_page_loads(client):
    client.force_login(AdminFactory())
    vendor = VendorFactory()
    assert client.get(reverse("admin:accounts_user_change", args=[vendor.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_vendor_change", args=[vendor.pk])).status_code == 200


def test_admin_refuses_vendor_without_business_name(client):
    client.force_login(AdminFactory())
    response = client.post(
        reverse("admin:accounts_vendor_add"),
        {
            "email": "nobiz@example.com",
            "display_name": "Owner",
            "business_name": "",
            "password1": "admin-made-pass-31",
            "password2": "admin-made-pass-31",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert "Vendors need a business name." in response.content.decode()
    assert not User.objects.filter(email="nobiz@example.com").exists()


def test_logout_says_so(client):
    client.force_login(VendorFactory())
    response = client.post(reverse("logout"), follow=True)
    assert "You are logged out" in response.content.decode()


def test_admin_dashboard_and_menu_lead_to_the_analytics_vendor_picker(client):
    client.force_login(AdminFactory())
    content = client.get("/").content.decode()
    assert content.count(f'href="{reverse("analytics:dashboard")}"') == 2  # the menu and the card
    assert "Pick a vendor and read their numbers." in content
