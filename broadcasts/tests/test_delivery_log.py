"""The delivery log across a vendor's broadcasts: ``GET /api/v1/broadcasts/deliveries/`` (JSON and
CSV) and the page ``/broadcasts/deliveries/``."""

import csv
import datetime
import io
import warnings
import zoneinfo
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import assert_matches, component, operation, parameter
from broadcasts.models import Delivery
from broadcasts.tests.factories import accepted_on, influencers, make_broadcast
from campaigns.tests.factories import CampaignFactory
from profiles.tests.factories import VendorProfileFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/broadcasts/deliveries/"
PAGE = "/broadcasts/deliveries/"
KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")


def at(day, hour=12, tz=KOLKATA):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)


def log_rows(broadcast, recipients, *, channel="chat", status="pending", created_at=None, **fields):
    """Deliveries of ``broadcast`` to ``recipients`` as the sender leaves them (rows, in one query)."""
    created_at = created_at or timezone.now()
    if status == "sent":
        fields.setdefault("sent_at", created_at)
    return Delivery.objects.bulk_create(
        [
            Delivery(
                broadcast=broadcast, recipient=user, channel=channel, status=status, created_at=created_at, **fields
            )
            for user in recipients
        ]
    )


@pytest.fixture
def shop():
    """A vendor (in Kolkata) with two broadcasts to three fans, and another vendor with one."""
    vendor = VendorFactory(business_name="Chai Co")
    VendorProfileFactory(user=vendor, time_zone="Asia/Kolkata")
    campaign = CampaignFactory(vendor=vendor, title="Diwali chai")
    fans = influencers(3)
    accepted_on(campaign, fans)
    festive = make_broadcast(vendor, campaign, title="Festive drop", channels=("chat", "email"))
    winter = make_broadcast(vendor, campaign, title="Winter blends")
    rival = VendorFactory()
    rival_broadcast = make_broadcast(rival, CampaignFactory(vendor=rival), title="Rival news")
    return SimpleNamespace(
        vendor=vendor, fans=fans, festive=festive, winter=winter, rival=rival, rival_broadcast=rival_broadcast
    )


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_the_log_lists_every_delivery_of_the_vendors_broadcasts_newest_first(shop):
    vendor, fans, festive, winter, rival_broadcast = (
        shop.vendor,
        shop.fans,
        shop.festive,
        shop.winter,
        shop.rival_broadcast,
    )
    day = timezone.localdate()
    old = log_rows(festive, fans, created_at=at(day, 9))
    new = log_rows(winter, fans[:1], status="sent", attempts=1, created_at=at(day, 11))
    log_rows(rival_broadcast, fans)
    body = api_client(vendor).get(URL).json()
    assert body["count"] == 4
    # Newest first; rows made in the same instant by id, highest first.
    assert [row["id"] for row in body["results"]] == [new[0].pk, old[2].pk, old[1].pk, old[0].pk]
    assert body["results"][0] == {
        "id": new[0].pk,
        "broadcast": {"id": winter.pk, "title": "Winter blends"},
        "recipient": {"id": fans[0].pk, "display_name": "Fan 0"},
        "channel": "chat",
        "status": "sent",
        "attempts": 1,
        "last_error": "",
        "next_attempt_at": None,
        "sent_at": f"{day.isoformat()}T11:00:00+05:30",
        "created_at": f"{day.isoformat()}T11:00:00+05:30",
        "updated_at": body["results"][0]["updated_at"],
    }


def test_a_broadcast_that_ran_shows_its_deliveries_in_the_log(shop, django_capture_on_commit_callbacks):
    vendor, festive = shop.vendor, shop.festive
    client = api_client(vendor)
    from accounts.wallet import wallet_grant

    wallet_grant(user=vendor, amount=100, reason="test tokens")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/v1/broadcasts/{festive.pk}/start/").status_code == 200
    rows = client.get(URL, {"broadcast": festive.pk, "channel": "chat"}).json()["results"]
    assert sorted(row["recipient"]["display_name"] for row in rows) == ["Fan 0", "Fan 1", "Fan 2"]
    assert {row["status"] for row in rows} == {"sent"}
    assert all(row["sent_at"] for row in rows)


def test_each_filter_narrows_the_log(shop):
    vendor, fans, festive, winter = shop.vendor, shop.fans, shop.festive, shop.winter
    today = timezone.now().astimezone(KOLKATA).date()
    chat = log_rows(festive, fans, created_at=at(today - datetime.timedelta(days=3)))
    failed = log_rows(festive, fans[:1], channel="email", status="failed", last_error="SMTP said no")
    telegram = log_rows(winter, fans[1:2], channel="telegram", status="sent", created_at=at(today))
    client = api_client(vendor)
    assert set(ids(client.get(URL, {"broadcast": winter.pk}))) == {telegram[0].pk}
    assert set(ids(client.get(URL, {"channel": "email"}))) == {failed[0].pk}
    assert set(ids(client.get(URL, {"status": "failed"}))) == {failed[0].pk}
    assert set(ids(client.get(URL, {"status": "pending"}))) == {row.pk for row in chat}
    assert set(ids(client.get(URL, {"search": "fan 1"}))) == {chat[1].pk, telegram[0].pk}
    assert set(ids(client.get(URL, {"end": (today - datetime.timedelta(days=1)).isoformat()}))) == {
        row.pk for row in chat
    }
    assert set(ids(client.get(URL, {"start": today.isoformat()}))) == {failed[0].pk, telegram[0].pk}
    # Combined: every filter applies.
    assert ids(client.get(URL, {"broadcast": festive.pk, "channel": "chat", "search": "Fan 2"})) == [chat[2].pk]
    assert ids(client.get(URL, {"broadcast": winter.pk, "status": "failed"})) == []
    day = (today - datetime.timedelta(days=3)).isoformat()
    assert len(ids(client.get(URL, {"start": day, "end": day, "status": "pending", "channel": "chat"}))) == 3


def test_days_are_the_vendors_own(shop):
    """A delivery made at 23:30 UTC on 1 March is on 2 March in Kolkata (+05:30), where the vendor is."""
    vendor, fans, festive = shop.vendor, shop.fans, shop.festive
    row = log_rows(festive, fans[:1], created_at=datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC))[0]
    client = api_client(vendor)
    assert ids(client.get(URL, {"start": "2026-03-02", "end": "2026-03-02"})) == [row.pk]
    assert ids(client.get(URL, {"end": "2026-03-01"})) == []
    vendor.vendor_profile.time_zone = "Europe/London"
    vendor.vendor_profile.save(update_fields=["time_zone"])
    assert ids(client.get(URL, {"start": "2026-03-01", "end": "2026-03-01"})) == [row.pk]


def test_calendar_edges_are_days_like_any_other(shop):
    vendor, fans, festive = shop.vendor, shop.fans, shop.festive
    row = log_rows(festive, fans[:1])[0]
    client = api_client(vendor)
    assert ids(client.get(URL, {"start": "0001-01-01", "end": "9999-12-31"})) == [row.pk]
    assert ids(client.get(URL, {"start": "9999-12-31"})) == []
    assert ids(client.get(URL, {"end": "0001-01-01"})) == []


def test_other_vendors_deliveries_never_show(shop):
    vendor, fans, festive, rival, rival_broadcast = (
        shop.vendor,
        shop.fans,
        shop.festive,
        shop.rival,
        shop.rival_broadcast,
    )
    log_rows(festive, fans)
    theirs = log_rows(rival_broadcast, fans)
    client = api_client(vendor)
    # A broadcast that is not yours matches nothing, as every id filter of the API.
    assert client.get(URL, {"broadcast": rival_broadcast.pk}).json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }
    assert ids(api_client(rival).get(URL)) == [row.pk for row in reversed(theirs)]
    csv_text = b"".join(client.get(URL, {"format": "csv", "broadcast": rival_broadcast.pk}).streaming_content)
    assert csv_text.decode().count("\n") == 1  # the header only


def test_influencers_are_refused_anonymous_users_asked_to_log_in_staff_see_all(shop):
    fans, festive, rival_broadcast = shop.fans, shop.festive, shop.rival_broadcast
    log_rows(festive, fans)
    log_rows(rival_broadcast, fans)
    assert_error(api_client(fans[0]).get(URL), 403)
    assert_error(api_client(InfluencerFactory()).get(URL, {"format": "csv"}), 403)
    assert_error(api_client().get(URL), 401)
    assert api_client(AdminFactory()).get(URL).json()["count"] == 6


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"broadcast": "abc"}, "broadcast"),
        ({"broadcast": "0"}, "broadcast"),
        ({"broadcast": str(2**63)}, "broadcast"),
        ({"broadcast": ""}, "broadcast"),
        ({"channel": "sms"}, "channel"),
        ({"status": "lost"}, "status"),
        ({"status": ""}, "status"),
        ({"start": "yesterday"}, "start"),
        ({"end": "2026-02-30"}, "end"),
        ({"page": "0"}, "page"),
        ({"page_size": "many"}, "page_size"),
        ({"format": "xml"}, "format"),
    ],
)
def test_bad_filters_are_a_400_naming_the_field(shop, query, field):
    assert_error(api_client(shop.vendor).get(URL, query), 400, field)


def test_the_log_is_paged_like_every_list(shop):
    vendor, festive = shop.vendor, shop.festive
    rows = log_rows(festive, influencers(25, prefix="crowd"))
    client = api_client(vendor)
    first = client.get(URL).json()
    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert [row["id"] for row in first["results"] + second["results"]] == [row.pk for row in reversed(rows)]
    assert second["next"] is None
    assert len(client.get(URL, {"page_size": 5}).json()["results"]) == 5
    assert_error(client.get(URL, {"page": 3}), 404)


def test_per_broadcast_deliveries_still_answer(shop):
    vendor, fans, festive = shop.vendor, shop.fans, shop.festive
    log_rows(festive, fans)
    response = api_client(vendor).get(f"/api/v1/broadcasts/{festive.pk}/deliveries/")
    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert api_client(vendor).get(f"/api/v1/broadcasts/{festive.pk}/").json()["title"] == "Festive drop"


def test_csv_downloads_the_whole_filtered_log_with_safe_cells(shop):
    vendor, fans, festive, winter = shop.vendor, shop.fans, shop.festive, shop.winter
    sent = datetime.datetime(2026, 11, 30, 4, 45, 2, tzinfo=datetime.UTC)
    log_rows(festive, fans[:1], channel="email", status="failed", attempts=3, last_error="=HYPERLINK(evil)")
    row = log_rows(winter, fans[1:2], status="sent", attempts=1, created_at=sent, sent_at=sent)[0]
    winter.title = "+91 offer"
    winter.save(update_fields=["title"])
    response = api_client(vendor).get(URL, {"format": "csv", "status": "sent"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.now().astimezone(KOLKATA).date()
    assert response["Content-Disposition"] == f'attachment; filename="deliveries-{today.isoformat()}.csv"'
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert lines[0] == [
        "id",
        "broadcast_id",
        "broadcast_title",
        "recipient_id",
        "recipient_name",
        "channel",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
        "created_at",
        "updated_at",
    ]
    assert lines[1][:11] == [
        str(row.pk),
        str(winter.pk),
        "'+91 offer",
        str(fans[1].pk),
        "Fan 1",
        "chat",
        "sent",
        "1",
        "",
        "",
        "2026-11-30T10:15:02+05:30",
    ]
    assert len(lines) == 2
    everything = list(
        csv.reader(io.StringIO(b"".join(api_client(vendor).get(URL, {"format": "csv"}).streaming_content).decode()))
    )
    assert [line[6] for line in everything[1:]] == ["failed", "sent"]  # newest first
    assert everything[1][8] == "'=HYPERLINK(evil)"
    # Accept: text/csv asks for the same download.
    by_header = api_client(vendor).get(URL, HTTP_ACCEPT="text/csv")
    assert by_header["Content-Type"] == "text/csv; charset=utf-8"


def test_csv_errors_are_json(shop):
    response = api_client(shop.vendor).get(URL, {"format": "csv", "status": "lost"})
    assert_error(response, 400, "status")
    assert response["Content-Type"] == "application/json"


def test_answers_match_the_schema_which_documents_filters_and_the_csv(shop):
    path = "/api/v1/broadcasts/deliveries/"
    log_rows(shop.festive, shop.fans[:1], status="sent")
    log_rows(shop.winter, shop.fans[1:], channel="telegram", status="retrying", next_attempt_at=timezone.now())
    client = api_client(shop.vendor)
    assert_matches(client.get(URL), path, "get")
    assert_matches(client.get(URL, {"status": "lost"}), path, "get")
    assert_matches(api_client(shop.fans[0]).get(URL), path, "get")
    for name in ("broadcast", "channel", "status", "start", "end", "search", "page", "page_size", "format"):
        assert parameter(path, "get", name)
    assert parameter(path, "get", "channel")["schema"]["enum"] == ["chat", "email", "telegram"]
    assert parameter(path, "get", "format")["schema"]["enum"] == ["csv", "json"]
    answers = operation(path, "get")["responses"]
    assert set(answers["200"]["content"]) == {"application/json", "text/csv"}
    assert set(answers["400"]["content"]) == {"application/json"}
    row = component("DeliveryLog")
    assert row["properties"]["sent_at"]["nullable"] is True
    assert row["properties"]["next_attempt_at"]["nullable"] is True
    assert "nullable" not in row["properties"]["created_at"]


def _api_queries(client, query):
    response = client.get(URL, query)
    assert response.status_code == 200
    if response.streaming:
        b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # The user, then the count and the page.
        ({}, 3),
        # The user, the vendor's time zone (for the days), the count and the page.
        ({"start": "2020-01-01", "status": "pending", "search": "Fan"}, 4),
        # The user, the vendor's time zone (for the times), the one streamed query.
        ({"format": "csv", "end": "2099-01-01"}, 3),
    ],
)
def test_the_query_count_does_not_grow_with_the_rows(shop, django_assert_num_queries, query, expected):
    vendor, fans, festive, winter = shop.vendor, shop.fans, shop.festive, shop.winter
    client = api_client(vendor)
    log_rows(festive, fans[:1])
    with django_assert_num_queries(expected):
        _api_queries(client, query)
    log_rows(winter, fans)
    log_rows(festive, influencers(30, prefix="more"), channel="email")
    with django_assert_num_queries(expected):
        _api_queries(client, query)


# --- The page ---------------------------------------------------------------------------------


@pytest.fixture
def logged_in(client, shop):
    client.force_login(shop.vendor)
    return client


def test_the_page_lists_filters_and_links_the_csv(logged_in, shop):
    fans, festive, winter, rival_broadcast = shop.fans, shop.festive, shop.winter, shop.rival_broadcast
    log_rows(festive, fans, channel="email", status="failed", last_error="Mailbox full")
    log_rows(winter, fans[:1], status="sent")
    log_rows(rival_broadcast, fans, last_error="Rival's secret")
    page = logged_in.get(PAGE)
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<tr>") == 1 + 4
    assert "Mailbox full" in html
    assert "Rival&#x27;s secret" not in html
    assert "Rival news" not in html
    assert '<span class="badge bad">Failed</span>' in html
    assert '<span class="badge ok">Sent</span>' in html
    assert f'<option value="{festive.pk}">Festive drop</option>' in html
    assert f'href="{URL}?format=csv"' in html
    # The form sends every field, empty ones too: the filters chosen apply, the CSV link keeps them.
    page = logged_in.get(PAGE, {"search": "", "broadcast": festive.pk, "channel": "", "status": "failed", "start": ""})
    html = page.content.decode()
    assert html.count("<tr>") == 1 + 3
    assert "Winter blends</a>" not in html
    assert f'href="{URL}?broadcast={festive.pk}&amp;status=failed&amp;format=csv"' in html
    assert f'<option value="{festive.pk}" selected>Festive drop</option>' in html
    csv_text = b"".join(
        logged_in.get(URL, {"broadcast": festive.pk, "status": "failed", "format": "csv"}).streaming_content
    )
    assert csv_text.decode().count("\n") == 1 + 3


def test_the_page_shows_bad_filters_and_keeps_the_good_ones(logged_in, shop):
    fans, festive, winter = shop.fans, shop.festive, shop.winter
    log_rows(festive, fans)
    log_rows(winter, fans, status="sent")
    html = logged_in.get(PAGE, {"status": "sent", "start": "someday"}).content.decode()
    assert "From: Enter a valid date." in html
    assert html.count("<tr>") == 1 + 3
    assert f'href="{URL}?status=sent&amp;format=csv"' in html


def test_the_page_has_empty_states(logged_in, shop):
    html = logged_in.get(PAGE).content.decode()
    assert "No deliveries yet." in html
    log_rows(shop.festive, shop.fans)
    html = logged_in.get(PAGE, {"status": "failed"}).content.decode()
    assert "No deliveries match these filters." in html
    assert "<table>" not in html


def test_the_page_pages_and_shows_times_in_the_vendors_zone(logged_in, shop):
    festive = shop.festive
    log_rows(
        festive, influencers(55, prefix="crowd"), created_at=datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
    )
    html = logged_in.get(PAGE, {"channel": "chat"}).content.decode()
    assert "Page 1 of 2 · 55 in all" in html
    assert 'href="?channel=chat&amp;page=2"' in html
    assert "2 Mar 2026, 05:00" in html
    assert logged_in.get(PAGE, {"channel": "chat", "page": 2}).content.decode().count("<tr>") == 1 + 5


def test_the_page_is_for_vendors(client, shop):
    assert client.get(PAGE).status_code == 302
    client.force_login(shop.fans[0])
    assert client.get(PAGE).status_code == 403


def test_the_broadcasts_list_and_the_dashboard_link_the_log(logged_in):
    link = f'href="{PAGE}"'
    assert link in logged_in.get(reverse("broadcasts:broadcast-list")).content.decode()
    assert link in logged_in.get(reverse("dashboard")).content.decode()


# The session, the user, the vendor's time zone, the broadcasts to choose from, the count, the page,
# and the top bar's count of collaborations waiting for the vendor.
EXPECTED_PAGE_QUERIES = 7


def test_the_page_query_count_does_not_grow_with_the_rows(logged_in, shop, django_assert_num_queries):
    fans, festive, winter = shop.fans, shop.festive, shop.winter
    log_rows(festive, fans[:1])
    logged_in.get(PAGE)  # the session's first read
    with django_assert_num_queries(EXPECTED_PAGE_QUERIES):
        assert logged_in.get(PAGE, {"start": "2020-01-01"}).status_code == 200
    log_rows(winter, fans)
    log_rows(festive, influencers(60, prefix="more"), channel="email")
    with django_assert_num_queries(EXPECTED_PAGE_QUERIES):
        assert logged_in.get(PAGE, {"start": "2020-01-01"}).status_code == 200


@pytest.mark.django_db(transaction=True)
async def test_csv_streams_over_asgi_in_batches(settings):
    """Served by daphne (ASGI), the download is an asynchronous stream of batches, not one buffered body."""
    from asgiref.sync import sync_to_async
    from django.db import connections
    from django.test import AsyncClient
    from rest_framework_simplejwt.tokens import RefreshToken

    def make():
        vendor = VendorFactory()
        broadcast = make_broadcast(vendor, CampaignFactory(vendor=vendor), title="Big list")
        log_rows(broadcast, influencers(1200, prefix="asgi"))
        return str(RefreshToken.for_user(vendor).access_token)

    token = await sync_to_async(make)()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        response = await AsyncClient().get(URL, {"format": "csv"}, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
        assert response.is_async
        chunks = [chunk async for chunk in response.streaming_content]
    assert not [warning for warning in caught if "StreamingHttpResponse" in str(warning.message)]
    assert len(chunks) == 3  # 1201 lines in batches of 500
    lines = b"".join(chunks).decode().splitlines()
    assert len(lines) == 1 + 1200
    assert lines[1].split(",")[4] == "Fan 1199"
    # The test client ran the view in asgiref's shared thread; its connection is closed there.
    await sync_to_async(connections.close_all)()
