"""Who an email names, and when failed logins lock it: per client address, and per account."""

import importlib
import re
from datetime import timedelta

import pytest
from axes.models import AccessFailureLog
from django.apps import apps
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User, canonical_email
from accounts.tests.factories import PASSWORD, InfluencerFactory, VendorFactory
from anwariya.tests.api import api_client, assert_error

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
VICTIM = "victim@sec.test"
# Spellings that fold to VICTIM: long s (U+017F), fullwidth letters, mixed case.
SAME_ACCOUNT = [
    "victim@\u017fec.test",
    "\uff56\uff49\uff43\uff54\uff49\uff4d@\uff53\uff45\uff43.test",
    "VicTim@SEC.Test",
]
# A dotless i (U+0131) is another letter: PostgreSQL's UPPER() folds it to I, the account key must not.
OTHER_ADDRESS = "v\u0131ctim@sec.test"
ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"


def token(email, password, address=ATTACKER):
    return api_client().post(TOKEN, {"email": email, "password": password}, REMOTE_ADDR=address)


def page_login(client, email, password, address=ATTACKER):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address)


def fail(times, email=VICTIM, address=ATTACKER):
    for _ in range(times):
        assert token(email, "wrong-password", address).status_code in (401, 429)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("victim@\u017fec.test", VICTIM),
        ("\u212aelvin@sec.test", "kelvin@sec.test"),  # the Kelvin sign K
        ("\uff56\uff49\uff43\uff54\uff49\uff4d@sec.test", VICTIM),
        ("  VicTim@Sec.TEST ", VICTIM),
        (OTHER_ADDRESS, OTHER_ADDRESS),
    ],
)
def test_canonical_email_folds_compatibility_forms_and_case(typed, canonical):
    assert canonical_email(typed) == canonical


@pytest.mark.parametrize("spelling", SAME_ACCOUNT)
def test_look_alike_spellings_of_the_address_log_into_the_same_account(spelling):
    InfluencerFactory(email=VICTIM)
    response = token(spelling, PASSWORD)
    assert response.status_code == 200, response.content


def test_dotless_i_is_not_the_account_on_api_or_page(client):
    InfluencerFactory(email=VICTIM)
    assert_error(token(OTHER_ADDRESS, PASSWORD), 401)
    response = page_login(client, OTHER_ADDRESS, PASSWORD)
    assert response.status_code == 200
    assert "correct email and password" in response.content.decode()


@pytest.mark.parametrize("spelling", [*SAME_ACCOUNT, OTHER_ADDRESS])
def test_no_spelling_gets_in_after_ten_failures(spelling, client):
    InfluencerFactory(email=VICTIM)
    fail(10)
    assert token(spelling, PASSWORD).status_code in (401, 429)
    response = page_login(client, spelling, PASSWORD)
    assert response.status_code in (200, 429)
    assert not client.get("/").context["user"].is_authenticated


def test_spellings_share_one_counter():
    InfluencerFactory(email=VICTIM)
    for spelling in [*SAME_ACCOUNT, VICTIM] * 2 + SAME_ACCOUNT[:2]:  # ten failures, five spellings
        token(spelling, "wrong-password")
    body = assert_error(token(VICTIM, PASSWORD), 429)
    assert "Too many failed login attempts" in body["detail"]


def test_failures_from_one_address_do_not_lock_the_owner_elsewhere(client):
    InfluencerFactory(email=VICTIM)
    fail(10, address=ATTACKER)
    assert assert_error(token(VICTIM, PASSWORD, ATTACKER), 429)["code"] == "login_locked"
    assert token(VICTIM, PASSWORD, OWNER).status_code == 200
    response = page_login(client, VICTIM, PASSWORD, OWNER)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_a_locked_address_is_refused_on_the_login_page_too(client):
    InfluencerFactory(email=VICTIM)
    fail(10, address=ATTACKER)
    response = page_login(client, VICTIM, PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert "from your network" in response.content.decode()
    assert response["Retry-After"] == "900"


def test_hundred_failures_an_hour_from_all_addresses_lock_the_account_everywhere():
    InfluencerFactory(email=VICTIM)
    AccessFailureLog.objects.bulk_create(
        AccessFailureLog(username=VICTIM, ip_address=f"192.0.2.{n % 200}", user_agent="", http_accept="", path_info="/")
        for n in range(99)
    )
    assert token(VICTIM, PASSWORD, OWNER).status_code == 200  # 99: still open
    fail(1, address="192.0.2.250")
    response = token(VICTIM, PASSWORD, OWNER)
    body = assert_error(response, 429)
    assert "Reset your password" in body["detail"]
    assert 3000 < int(response["Retry-After"]) <= 3600


def test_failures_older_than_an_hour_do_not_count_towards_the_account_limit():
    InfluencerFactory(email=VICTIM)
    old = timezone.now() - timedelta(minutes=61)
    AccessFailureLog.objects.bulk_create(
        AccessFailureLog(username=VICTIM, ip_address="192.0.2.1", user_agent="", http_accept="", path_info="/")
        for _ in range(150)
    )
    AccessFailureLog.objects.update(attempt_time=old)
    assert token(VICTIM, PASSWORD, OWNER).status_code == 200


def test_refused_attempts_do_not_extend_the_lock_or_count_again(settings):
    InfluencerFactory(email=VICTIM)
    fail(10)
    fail(5)  # refused while locked
    assert AccessFailureLog.objects.filter(username=VICTIM).count() == 10


def lock_account_everywhere(settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 12
    for n in range(3):
        fail(4, address=f"192.0.2.{n + 1}")
    assert assert_error(token(VICTIM, PASSWORD, OWNER), 429)["code"] == "login_locked"


def test_reset_link_lets_the_owner_in_and_restarts_the_count(client, settings, django_capture_on_commit_callbacks):
    InfluencerFactory(email=VICTIM)
    lock_account_everywhere(settings)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": VICTIM}, REMOTE_ADDR=OWNER)
    link = re.search(r"http://testserver(/password-reset/\S+/)", mail.outbox[-1].body).group(1)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "fresh-start-2026", "new_password2": "fresh-start-2026"}, follow=True)
    assert "Your password is set" in done.content.decode()
    assert done.context["user"].is_authenticated  # the link logged the owner in
    assert token(VICTIM, "fresh-start-2026", OWNER).status_code == 200  # and the phone app gets in too
    assert token(VICTIM, "fresh-start-2026", ATTACKER).status_code == 200


def test_password_change_restarts_the_account_count(settings):
    user = InfluencerFactory(email=VICTIM)
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 12
    for n in range(3):
        fail(4, address=f"192.0.2.{n + 1}")
    from accounts.services import user_change_password

    user_change_password(user=user, old_password=PASSWORD, new_password="fresh-start-2026")
    assert token(VICTIM, "fresh-start-2026", OWNER).status_code == 200


def test_behind_a_proxy_the_forwarded_client_address_is_counted(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    InfluencerFactory(email=VICTIM)
    proxy = "10.0.0.2"
    for _ in range(10):
        api_client().post(
            TOKEN,
            {"email": VICTIM, "password": "wrong-password"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"1.1.1.1, {ATTACKER}",  # the client may prepend anything
        )
    locked = api_client().post(
        TOKEN, {"email": VICTIM, "password": PASSWORD}, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"9.9.9.9, {ATTACKER}"
    )
    assert locked.status_code == 429
    owner = api_client().post(
        TOKEN, {"email": VICTIM, "password": PASSWORD}, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=OWNER
    )
    assert owner.status_code == 200


def test_without_a_trusted_proxy_forwarded_headers_are_ignored():
    InfluencerFactory(email=VICTIM)
    for n in range(10):
        api_client().post(
            TOKEN, {"email": VICTIM, "password": "wrong"}, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"10.9.9.{n}"
        )
    assert token(VICTIM, PASSWORD, ATTACKER).status_code == 429


def test_signup_stores_the_canonical_address_and_refuses_a_look_alike(client):
    response = api_client().post(
        "/api/v1/auth/register/",
        {"email": "Asha@Sec.Test", "password": PASSWORD, "role": "influencer", "display_name": "Asha"},
        format="json",
    )
    assert response.json()["email"] == "asha@sec.test"
    page = client.post(
        reverse("signup"),
        {
            "role": "influencer",
            "display_name": "Not Asha",
            "email": "asha@\u017fec.test",
            "password1": "another-strong-pass-1",
            "password2": "another-strong-pass-1",
        },
    )
    assert "An account with this email address already exists." in page.content.decode()
    assert User.objects.filter(display_name="Not Asha").count() == 0


def test_admin_saves_the_canonical_address(client):
    from accounts.tests.factories import AdminFactory

    client.force_login(AdminFactory())
    vendor = VendorFactory(email="shop@sec.test")
    url = reverse("admin:accounts_user_change", args=[vendor.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        email="New.Shop@\u017fec.Test",
        role="vendor",
        is_active="on",
        date_joined_0=vendor.date_joined.strftime("%Y-%m-%d"),
        date_joined_1="10:00:00",
        groups=[],
        user_permissions=[],
    )
    client.post(url, data)
    vendor.refresh_from_db()
    assert vendor.email == "new.shop@sec.test"


@pytest.mark.exact_text_unique
def test_migration_canonicalises_stored_addresses_and_deactivates_look_alikes():
    migration = importlib.import_module("accounts.migrations.0005_canonical_emails")
    real = InfluencerFactory(email="x")
    shouty = InfluencerFactory(email="y")
    look_alike = InfluencerFactory(email="z")
    User.objects.filter(pk=real.pk).update(email=VICTIM)
    User.objects.filter(pk=shouty.pk).update(email="SHOUTY@SEC.TEST")
    User.objects.filter(pk=look_alike.pk).update(email="victim@\u017fec.test")

    migration.canonicalise_emails(apps, None)

    assert User.objects.get(pk=real.pk).email == VICTIM
    assert User.objects.get(pk=shouty.pk).email == "shouty@sec.test"
    look_alike.refresh_from_db()
    assert look_alike.email == "victim@\u017fec.test"
    assert not look_alike.is_active


def test_no_code_looks_an_email_up_with_the_database_case_folding():
    """Only exact lookups of the canonical form: ``iexact`` lets the database decide who a user is."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.glob("*/**/*.py")
        if ".venv" not in path.parts and "tests" not in path.parts and "email__iexact" in path.read_text()
    ]
    assert offenders == []
