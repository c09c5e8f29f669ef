import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import PASSWORD, InfluencerFactory, VendorFactory
from anwariya.tests.api import api_client, assert_error

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
BLACKLIST = "/api/v1/auth/token/blacklist/"
ME = "/api/v1/auth/me/"
PASSWORD_URL = "/api/v1/auth/password/"


def register(**overrides):
    payload = {
        "email": "new.vendor@example.com",
        "password": PASSWORD,
        "role": "vendor",
        "display_name": "Asha",
        "business_name": "Indigo Loom",
        **overrides,
    }
    return api_client().post(REGISTER, payload, format="json")


def test_register_creates_user_and_returns_tokens():
    response = register()
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "new.vendor@example.com"
    assert body["role"] == "vendor"
    assert body["business_name"] == "Indigo Loom"
    assert "password" not in body
    me = api_client()
    me.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access']}")
    assert me.get(ME).json()["email"] == "new.vendor@example.com"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "nope"}, "email"),
        ({"email": ""}, "email"),
        ({"password": "123"}, "password"),
        ({"role": "admin"}, "role"),
        ({"display_name": ""}, "display_name"),
        ({"business_name": ""}, "business_name"),
        ({"display_name": "x" * 151}, "display_name"),
    ],
)
def test_register_bad_input_names_the_field(overrides, field):
    response = register(**overrides)
    assert_error(response, 400, field)
    assert not User.objects.exists()


def test_register_duplicate_email_is_400():
    VendorFactory(email="taken@example.com")
    assert_error(register(email="Taken@Example.com"), 400, "email")


def test_register_with_malformed_json_is_400():
    response = api_client().post(REGISTER, data="{not json", content_type="application/json")
    assert_error(response, 400)


def test_token_pair_refresh_and_blacklist():
    InfluencerFactory(email="ira@example.com")
    client = api_client()
    pair = client.post(TOKEN, {"email": "IRA@example.com", "password": PASSWORD}).json()
    assert {"access", "refresh"} <= set(pair)

    client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert client.get(ME).json()["email"] == "ira@example.com"

    refreshed = api_client().post(REFRESH, {"refresh": pair["refresh"]})
    assert refreshed.status_code == 200
    new_refresh = refreshed.json()["refresh"]
    # Rotation blacklists the old refresh token.
    assert_error(api_client().post(REFRESH, {"refresh": pair["refresh"]}), 401)

    assert api_client().post(BLACKLIST, {"refresh": new_refresh}).status_code == 200
    assert_error(api_client().post(REFRESH, {"refresh": new_refresh}), 401)


def test_wrong_password_is_401_with_error_body():
    InfluencerFactory(email="ira@example.com")
    assert_error(api_client().post(TOKEN, {"email": "ira@example.com", "password": "wrong"}), 401)


def test_token_missing_fields_names_them():
    body = assert_error(api_client().post(TOKEN, {}), 400)
    assert set(body["errors"]) == {"email", "password"}


def test_me_requires_authentication():
    assert_error(api_client().get(ME), 401)


def test_me_with_garbage_token_is_401():
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert_error(client.get(ME), 401)


def test_me_patch_updates_profile_but_not_role():
    vendor = VendorFactory()
    response = api_client(vendor).patch(ME, {"display_name": "Asha R", "role": "influencer"})
    assert response.status_code == 200
    assert response.json()["display_name"] == "Asha R"
    assert response.json()["role"] == "vendor"


def test_me_patch_email_taken_is_400():
    VendorFactory(email="taken@example.com")
    vendor = VendorFactory()
    assert_error(api_client(vendor).patch(ME, {"email": "taken@example.com"}), 400, "email")


def test_browsable_api_accepts_session_login(client):
    vendor = VendorFactory()
    client.force_login(vendor)
    response = client.get(ME, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert vendor.email in response.content.decode()


def test_password_change_then_old_refresh_token_is_revoked():
    vendor = VendorFactory(email="v@example.com")
    pair = api_client().post(TOKEN, {"email": "v@example.com", "password": PASSWORD}).json()
    response = api_client(vendor).post(
        PASSWORD_URL, {"old_password": PASSWORD, "new_password": "brand-new-secret-2026"}
    )
    assert response.status_code == 200
    assert_error(api_client().post(REFRESH, {"refresh": pair["refresh"]}), 401)
    assert api_client().post(TOKEN, {"email": "v@example.com", "password": "brand-new-secret-2026"}).status_code == 200


def test_password_change_wrong_old_password_names_field():
    vendor = VendorFactory()
    response = api_client(vendor).post(PASSWORD_URL, {"old_password": "nope", "new_password": "brand-new-secret-2026"})
    assert_error(response, 400, "old_password")


def test_password_change_weak_new_password_names_field():
    vendor = VendorFactory()
    response = api_client(vendor).post(PASSWORD_URL, {"old_password": PASSWORD, "new_password": "1234"})
    assert_error(response, 400, "new_password")


def test_eleventh_token_attempt_refused_even_with_right_password():
    InfluencerFactory(email="ira@example.com")
    client = api_client()
    for _ in range(10):
        response = client.post(TOKEN, {"email": "ira@example.com", "password": "wrong"})
        assert response.status_code in (401, 429)
    body = assert_error(client.post(TOKEN, {"email": "ira@example.com", "password": PASSWORD}), 429)
    assert "Too many failed login attempts" in body["detail"]


def test_lockout_is_per_account():
    InfluencerFactory(email="ira@example.com")
    InfluencerFactory(email="dev@example.com")
    client = api_client()
    for _ in range(10):
        client.post(TOKEN, {"email": "ira@example.com", "password": "wrong"})
    assert client.post(TOKEN, {"email": "dev@example.com", "password": PASSWORD}).status_code == 200


def test_lockout_ends_after_cool_off(settings):
    InfluencerFactory(email="ira@example.com")
    client = api_client()
    for _ in range(10):
        client.post(TOKEN, {"email": "ira@example.com", "password": "wrong"})
    assert client.post(TOKEN, {"email": "ira@example.com", "password": PASSWORD}).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    assert client.post(TOKEN, {"email": "ira@example.com", "password": PASSWORD}).status_code == 200


def test_nine_failures_do_not_lock():
    InfluencerFactory(email="ira@example.com")
    client = api_client()
    for _ in range(9):
        client.post(TOKEN, {"email": "ira@example.com", "password": "wrong"})
    assert client.post(TOKEN, {"email": "ira@example.com", "password": PASSWORD}).status_code == 200


def test_the_schema_says_how_short_a_password_may_be():
    from anwariya.tests.schema import component

    assert component("RegisterInputRequest")["properties"]["password"]["minLength"] == 8
    assert component("PasswordChangeRequest")["properties"]["new_password"]["minLength"] == 8
    body = assert_error(register(password="short7!"), 400, "password")
    assert body["errors"]["password"] == ["Ensure this field has at least 8 characters."]
