"""Sign-ups and password-reset emails are rate limited per client and per address."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import User
from accounts.tests.factories import PASSWORD, InfluencerFactory
from anwariya.tests.api import api_client

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"


@pytest.fixture
def rates(monkeypatch):
    """Set throttle rates for a test (DRF reads them once, when the throttle classes load)."""

    def set_rates(**scoped):
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, **scoped})

    return set_rates


def signup_form(n):
    return {
        "role": "influencer",
        "display_name": f"Creator {n}",
        "email": f"creator{n}@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }


def test_signup_page_is_limited_per_client_with_a_clear_message(client, rates):
    rates(register="3/hour")
    for n in range(3):
        client.post(reverse("signup"), signup_form(n))
        client.post(reverse("logout"))
    response = client.post(reverse("signup"), signup_form(99))
    assert response.status_code == 429
    assert "Too many sign-ups from your network" in response.content.decode()
    assert not User.objects.filter(email="creator99@example.com").exists()
    other = client.post(reverse("signup"), signup_form(98), REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 302


def test_signup_page_and_api_share_one_limit(client, rates):
    rates(register="2/hour")
    client.post(reverse("signup"), signup_form(1))
    client.post(reverse("logout"))
    payload = {"email": "api@example.com", "password": PASSWORD, "role": "influencer", "display_name": "Api"}
    assert api_client().post(REGISTER, payload, format="json").status_code == 201
    response = client.post(reverse("signup"), signup_form(2))
    assert response.status_code == 429
    payload["email"] = "api2@example.com"
    assert api_client().post(REGISTER, payload, format="json").status_code == 429


def test_the_default_signup_limit_matches_the_api(settings):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["register"] == "100/hour"


def ask_reset(client, email, address="198.51.100.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address, follow=True)


def test_five_reset_emails_an_hour_per_address(client, django_capture_on_commit_callbacks):
    InfluencerFactory(email="asha@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [ask_reset(client, "asha@example.com", f"198.51.100.{n}") for n in range(8)]
    assert len(mail.outbox) == 5
    assert all("Check your email" in answer.content.decode() for answer in answers[:5])
    refused = answers[5]
    assert refused.status_code == 429
    assert "Too many reset emails were asked for this address" in refused.content.decode()


def page_text(response, address):
    """The page as the user sees it, with the typed address and the CSRF token taken out."""
    content = response.content.decode().replace(address, "ADDRESS")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content)


def test_the_address_limit_looks_the_same_for_an_address_without_an_account(client, django_capture_on_commit_callbacks):
    InfluencerFactory(email="asha@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        known = [ask_reset(client, "asha@example.com", f"198.51.100.{n}") for n in range(6)]
        unknown = [ask_reset(client, "nobody@example.com", f"203.0.113.{n}") for n in range(6)]
    for a, b in zip(known, unknown, strict=True):
        assert a.status_code == b.status_code
        assert page_text(a, "asha@example.com") == page_text(b, "nobody@example.com")


def test_look_alike_spellings_count_as_the_same_address(client, django_capture_on_commit_callbacks):
    InfluencerFactory(email="asha@sec.test")
    spellings = [
        "asha@sec.test",
        "ASHA@SEC.TEST",
        "asha@\u017fec.test",
        "Asha@Sec.test",
        "asha@sec.TEST",
        "asha@sec.test",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        answers = [ask_reset(client, spelling, f"198.51.100.{n}") for n, spelling in enumerate(spellings)]
    assert len(mail.outbox) == 5
    assert {message.to[0] for message in mail.outbox} == {"asha@sec.test"}
    assert answers[-1].status_code == 429


def test_reset_requests_are_limited_per_client(client, rates, django_capture_on_commit_callbacks):
    rates(password_reset_client="3/hour")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [ask_reset(client, f"someone{n}@example.com") for n in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert "Too many reset requests from your network" in answers[-1].content.decode()
    assert ask_reset(client, "someone9@example.com", "203.0.113.50").status_code == 200
