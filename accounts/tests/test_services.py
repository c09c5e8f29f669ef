import pytest
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import services
from accounts.models import Role, User
from accounts.tests.factories import PASSWORD, VendorFactory
from anwariya.errors import DomainError

pytestmark = pytest.mark.django_db


def test_user_create_normalises_email_and_hashes_with_argon2():
    user = services.user_create(
        email="  Priya@Example.COM ", password=PASSWORD, role=Role.INFLUENCER, display_name=" Priya "
    )
    assert user.email == "priya@example.com"
    assert user.display_name == "Priya"
    assert user.password.startswith("argon2")
    assert user.check_password(PASSWORD)


def test_vendor_needs_business_name():
    with pytest.raises(DomainError) as caught:
        services.user_create(email="v@example.com", password=PASSWORD, role=Role.VENDOR, display_name="V")
    assert "business_name" in caught.value.errors
    assert not User.objects.exists()


def test_influencer_business_name_is_dropped():
    user = services.user_create(
        email="i@example.com", password=PASSWORD, role=Role.INFLUENCER, display_name="I", business_name="Shop"
    )
    assert user.business_name == ""


def test_every_wrong_field_is_reported_at_once():
    with pytest.raises(DomainError) as caught:
        services.user_create(email="not-an-email", password="123", role="admin", display_name="")
    assert set(caught.value.errors) == {"email", "password", "role", "display_name"}
    assert not User.objects.exists()


def test_duplicate_email_ignores_case():
    VendorFactory(email="shop@example.com")
    with pytest.raises(DomainError) as caught:
        services.user_create(email="SHOP@example.com", password=PASSWORD, role=Role.INFLUENCER, display_name="X")
    assert "email" in caught.value.errors


def test_password_similar_to_email_is_refused():
    with pytest.raises(DomainError) as caught:
        services.user_create(
            email="sunflower.garden@example.com", password="sunflowergarden", role=Role.INFLUENCER, display_name="S"
        )
    assert "password" in caught.value.errors


def test_user_update_refuses_blank_business_name_for_vendor():
    vendor = VendorFactory(business_name="Indigo Loom")
    with pytest.raises(DomainError) as caught:
        services.user_update(user=vendor, business_name="  ")
    assert "business_name" in caught.value.errors
    vendor.refresh_from_db()
    assert vendor.business_name == "Indigo Loom"


def test_user_update_refuses_role_change():
    vendor = VendorFactory()
    with pytest.raises(DomainError):
        services.user_update(user=vendor, role=Role.INFLUENCER)


def test_change_password_revokes_refresh_tokens():
    vendor = VendorFactory()
    RefreshToken.for_user(vendor)
    RefreshToken.for_user(vendor)
    services.user_change_password(user=vendor, old_password=PASSWORD, new_password="a-much-better-secret-42")
    vendor.refresh_from_db()
    assert vendor.check_password("a-much-better-secret-42")
    tokens = OutstandingToken.objects.filter(user=vendor)
    assert tokens.count() == 2
    assert all(hasattr(token, "blacklistedtoken") for token in tokens)


def test_change_password_checks_old_password():
    vendor = VendorFactory()
    with pytest.raises(DomainError) as caught:
        services.user_change_password(user=vendor, old_password="wrong", new_password="a-much-better-secret-42")
    assert "old_password" in caught.value.errors
    vendor.refresh_from_db()
    assert vendor.check_password(PASSWORD)
