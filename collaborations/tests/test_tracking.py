"""The tracking link /r/<code>: redirects to the campaign's landing URL only, counts per day."""

import datetime

import pytest
from django.apps import apps
from django.utils import timezone

from anwariya.tests.api import assert_error
from anwariya.tests.schema import assert_matches, operation
from campaigns import services as campaign_services
from collaborations import services, tracking
from collaborations.models import ClickDay, TrackingSalt, TrackingVisit
from collaborations.tasks import tracking_prune
from collaborations.tests.factories import make_collaboration

pytestmark = pytest.mark.django_db

LANDING = "https://chai.example.com/diwali?utm_source=anwariya"
PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36"
)
LAPTOP = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15"
)


@pytest.fixture
def collaboration():
    collaboration = make_collaboration()
    campaign_services.campaign_update(campaign=collaboration.campaign, landing_url=LANDING)
    return collaboration


def visit(client, collaboration, *, agent=PHONE, address="203.0.113.7", suffix="", method="get", **headers):
    path = f"/r/{collaboration.tracking_code}{suffix}"
    return getattr(client, method)(path, HTTP_USER_AGENT=agent, REMOTE_ADDR=address, **headers)


def counts(collaboration, day=None):
    row = ClickDay.objects.filter(collaboration=collaboration, day=day or timezone.localdate()).first()
    return (row.clicks, row.unique_clicks) if row else (0, 0)


def test_the_link_redirects_to_the_landing_url_uncached_and_without_referrer(client, collaboration):
    response = visit(client, collaboration)
    assert response.status_code == 302
    assert response["Location"] == LANDING
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "302" in operation("/r/{code}", "get")["responses"]
    assert "Location" in operation("/r/{code}", "get")["responses"]["302"]["headers"]


@pytest.mark.parametrize(
    "suffix",
    [
        "?next=https://evil.example.net/",
        "?url=//evil.example.net&redirect=https://evil.example.net",
        "/https://evil.example.net/",
        "//evil.example.net",
        "/../../evil.example.net",
        "%2F%2Fevil.example.net",
        "?format=json&next=/\\evil.example.net",
    ],
)
def test_no_crafted_path_or_query_leads_anywhere_else(client, collaboration, suffix):
    response = visit(client, collaboration, suffix=suffix, HTTP_REFERER="https://evil.example.net/")
    assert response.status_code in (302, 404), response.content
    if response.status_code == 302:
        assert response["Location"] == LANDING
    assert "evil" not in response.get("Location", "")


def test_the_code_is_read_in_any_case(client, collaboration):
    response = client.get(f"/r/{collaboration.tracking_code.upper()}", HTTP_USER_AGENT=PHONE)
    assert response["Location"] == LANDING


def test_an_unknown_code_is_a_404_page_for_browsers_and_the_error_body_for_the_api(client, collaboration):
    page = client.get("/r/nosuchcode", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert page.status_code == 404
    assert "Link not found" in page.content.decode()
    assert "does not exist" in page.content.decode()
    api = client.get("/r/nosuchcode", HTTP_ACCEPT="application/json")
    assert_error(api, 404)
    assert api.json()["code"] == "not_found"
    assert_matches(api, "/r/{code}", "get")
    assert client.get("/r/" + "a" * 300).status_code == 404
    assert not ClickDay.objects.exists()


def test_a_campaign_without_a_landing_url_explains_and_redirects_nowhere(client):
    collaboration = make_collaboration()
    page = visit(client, collaboration, HTTP_ACCEPT="text/html")
    assert page.status_code == 404
    assert "Location" not in page
    assert "has not said yet where it leads" in page.content.decode()
    api = visit(client, collaboration, HTTP_ACCEPT="application/json")
    assert api.json()["code"] == "no_landing_page"
    assert_matches(api, "/r/{code}", "get")
    assert not ClickDay.objects.exists()


def test_a_landing_url_must_be_http_or_https():
    collaboration = make_collaboration()
    for url in ("javascript:alert(1)", "ftp://files.example.com/x", "//evil.example.net", "data:text/html,hi"):
        with pytest.raises(campaign_services.CampaignError) as refused:
            campaign_services.campaign_update(campaign=collaboration.campaign, landing_url=url)
        assert "landing_url" in refused.value.errors
    # Old data that slipped past is no destination either.
    type(collaboration.campaign).objects.filter(pk=collaboration.campaign_id).update(landing_url="javascript:x")
    collaboration.campaign.refresh_from_db()
    assert tracking.landing_url(collaboration) is None


def test_clicks_and_unique_visitors_are_counted_per_day(client, collaboration):
    visit(client, collaboration)
    visit(client, collaboration)  # the same visitor again
    visit(client, collaboration, agent=LAPTOP)  # another browser at the same address
    visit(client, collaboration, address="198.51.100.20")  # another address
    assert counts(collaboration) == (4, 3)
    other = make_collaboration()
    campaign_services.campaign_update(campaign=other.campaign, landing_url=LANDING)
    visit(client, other)  # the same visitor on another link counts there once
    assert counts(other) == (1, 1)
    assert counts(collaboration) == (4, 3)


def test_the_next_day_counts_afresh_with_a_new_salt_and_prunes_the_old_one(client, collaboration):
    visit(client, collaboration)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ClickDay.objects.update(day=yesterday)
    TrackingVisit.objects.update(day=yesterday)
    old_salt = TrackingSalt.objects.get()
    TrackingSalt.objects.update(day=yesterday)

    visit(client, collaboration)  # today's first visit: a new salt, yesterday's marks deleted
    assert counts(collaboration) == (1, 1)
    assert counts(collaboration, yesterday) == (1, 1)  # the daily counts stay
    salt = TrackingSalt.objects.get()
    assert salt.day == timezone.localdate()
    assert salt.salt != old_salt.salt
    assert len(salt.salt) == 64
    assert set(TrackingVisit.objects.values_list("day", flat=True)) == {timezone.localdate()}


def test_the_beat_task_prunes_salts_and_marks_of_past_days(collaboration):
    past = timezone.localdate() - datetime.timedelta(days=3)
    TrackingSalt.objects.create(day=past, salt="x" * 64)
    TrackingVisit.objects.create(collaboration=collaboration, day=past, visitor="y" * 64)
    TrackingSalt.objects.create(day=timezone.localdate(), salt="z" * 64)
    assert tracking_prune.delay().get() == 2
    assert list(TrackingSalt.objects.values_list("day", flat=True)) == [timezone.localdate()]
    assert not TrackingVisit.objects.exists()


@pytest.mark.parametrize(
    "agent",
    [
        "WhatsApp/2.24.6.77 A",
        "TelegramBot (like TwitterBot)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Twitterbot/1.0",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (Windows NT 6.1) SkypeUriPreview Preview/0.5",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0 Safari/537.36",
        "",
    ],
)
def test_bots_and_link_previews_are_redirected_but_not_counted(client, collaboration, agent):
    response = visit(client, collaboration, agent=agent)
    assert response.status_code == 302
    assert response["Location"] == LANDING
    assert counts(collaboration) == (0, 0)


@pytest.mark.parametrize(
    "agent",
    [
        PHONE,
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Mobile/15E148 Instagram 329.0.0.0.58 (iPhone15,2; iOS 17_4; en_IN)",
        "Mozilla/5.0 (Linux; Android 13; SM-A536E Build/TP1A; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Version/4.0 Chrome/123.0 Mobile Safari/537.36 [FBAN/EMA;FBLC/en_GB;FBAV/401.0.0.12.108;]",
        "Mozilla/5.0 (Linux; Android 9; CUBOT X19) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/96.0 Mobile Safari/537.36",
    ],
)
def test_people_in_browsers_and_in_app_browsers_are_counted(client, collaboration, agent):
    visit(client, collaboration, agent=agent)
    assert counts(collaboration) == (1, 1)


def test_head_requests_are_not_counted(client, collaboration):
    response = visit(client, collaboration, method="head")
    assert response.status_code == 302
    assert counts(collaboration) == (0, 0)


def test_a_cancelled_collaborations_link_still_redirects_but_is_not_counted(client, collaboration):
    services.collaboration_cancel(collaboration=collaboration, actor=collaboration.vendor, reason="Ended early.")
    response = visit(client, collaboration)
    assert response["Location"] == LANDING
    assert counts(collaboration) == (0, 0)


def test_no_address_or_browser_is_stored_anywhere(client, collaboration):
    address, agent = "203.0.113.199", PHONE + " UniqueMarker/9.9"
    visit(client, collaboration, agent=agent, address=address)
    assert counts(collaboration) == (1, 1)
    found = []
    for model in apps.get_models():
        for row in model.objects.all().values():
            for column, value in row.items():
                if isinstance(value, str) and (address in value or "UniqueMarker" in value):
                    found.append((model._meta.label, column))
    assert found == []
    mark = TrackingVisit.objects.get()
    assert len(mark.visitor) == 64
    assert mark.visitor != tracking.visitor_hash(
        salt="another day's salt", address=address, user_agent=agent, collaboration_id=collaboration.pk
    )


def test_the_link_is_public_and_ignores_a_bad_token(client, collaboration):
    response = visit(client, collaboration, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 302
    assert counts(collaboration) == (1, 1)


def test_the_detail_page_shows_the_link_beside_the_referral_code_with_a_copy_button(client, collaboration):
    client.force_login(collaboration.influencer)
    page = client.get(f"/collaborations/{collaboration.pk}/").content.decode()
    assert collaboration.referral_code in page
    assert f"http://testserver/r/{collaboration.tracking_code}" in page
    assert 'data-copy="http://testserver/r/' in page
    assert "js/copy.js" in page
