"""A new email address needs the current password, and the old address is told."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.tests.factories import PASSWORD, VendorFactory
from anwariya.errors import DomainError
from anwariya.tests.api import api_client, assert_error

pytestmark = pytest.mark.django_db

ME = "/api/v1/auth/me/"


def test_service_refuses_a_new_email_without_the_current_password():
    vendor = VendorFactory(email="old@example.com")
    with pytest.raises(DomainError) as missing:
        services.user_update(user=vendor, email="new@example.com")
    assert "current_password" in missing.value.errors
    with pytest.raises(DomainError) as wrong:
        services.user_update(user=vendor, email="new@example.com", current_password="not-it")
    assert wrong.value.errors["current_password"] == ["Your current password was entered incorrectly."]
    vendor.refresh_from_db()
    assert vendor.email == "old@example.com"


def test_service_changes_the_email_and_tells_the_old_address(django_capture_on_commit_callbacks):
    vendor = VendorFactory(email="old@example.com", display_name="Asha")
    with django_capture_on_commit_callbacks(execute=True):
        services.user_update(user=vendor, email="New@Example.com", current_password=PASSWORD)
    vendor.refresh_from_db()
    assert vendor.email == "new@example.com"
    [notice] = mail.outbox
    assert notice.to == ["old@example.com"]
    assert "changed from old@example.com to new@example.com" in notice.body


def test_the_same_address_spelled_differently_needs_no_password(django_capture_on_commit_callbacks):
    vendor = VendorFactory(email="old@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        services.user_update(user=vendor, email="OLD@example.com", display_name="Renamed")
    vendor.refresh_from_db()
    assert (vendor.email, vendor.display_name) == ("old@example.com", "Renamed")
    assert mail.outbox == []


def test_other_fields_change_without_the_password():
    vendor = VendorFactory()
    services.user_update(user=vendor, display_name="No Password Needed")
    vendor.refresh_from_db()
    assert vendor.display_name == "No Password Needed"


def test_api_email_change_needs_current_password(django_capture_on_commit_callbacks):
    vendor = VendorFactory(email="old@example.com")
    client = api_client(vendor)
    body = assert_error(client.patch(ME, {"email": "new@example.com"}, format="json"), 400, "current_password")
    assert body["errors"]["current_password"] == ["Enter your current password to change your email address."]
    assert_error(
        client.patch(ME, {"email": "new@example.com", "current_password": "wrong"}, format="json"),
        400,
        "current_password",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(ME, {"email": "new@example.com", "current_password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert response.json()["email"] == "new@example.com"
    assert "current_password" not in response.json()
    assert [message.to for message in mail.outbox] == [["old@example.com"]]


def test_account_page_email_change_needs_current_password(client, django_capture_on_commit_callbacks):
    vendor = VendorFactory(email="old@example.com")
    client.force_login(vendor)
    form = {"display_name": vendor.display_name, "business_name": vendor.business_name, "email": "new@example.com"}
    refused = client.post(reverse("account"), form)
    assert refused.status_code == 200
    assert "Enter your current password to change your email address." in refused.content.decode()
    vendor.refresh_from_db()
    assert vendor.email == "old@example.com"

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("account"), {**form, "current_password": PASSWORD}, follow=True)
    assert "saved" in done.content.decode()
    vendor.refresh_from_db()
    assert vendor.email == "new@example.com"
    assert mail.outbox[0].to == ["old@example.com"]


def test_account_page_shows_the_current_password_field(client):
    client.force_login(VendorFactory())
    content = client.get(reverse("account")).content.decode()
    assert 'name="current_password"' in content
    assert "Needed only to change your email address." in content
