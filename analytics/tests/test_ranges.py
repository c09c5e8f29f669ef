"""One range rule for the dashboard page and the API (``analytics.ranges``)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import VendorFactory
from analytics import ranges
from anwariya.tests.api import api_client, assert_error

pytestmark = pytest.mark.django_db

SALES = "/api/v1/analytics/sales/"
TODAY = timezone.localdate()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-06-30", "end": "2026-01-01"}, "end"),  # ends before it starts
        ({"start": "2010-01-01", "end": "2026-01-01"}, "start"),  # over ten years
        ({"start": "2001-01-01"}, "start"),  # over ten years up to today
        ({"start": (TODAY + datetime.timedelta(days=30)).isoformat()}, "end"),  # starts after today
        ({"start": "1999-12-31"}, "start"),  # before the years reports bucket
    ],
)
def test_page_and_api_refuse_the_same_ranges_with_the_same_words(client, params, field):
    vendor = VendorFactory()
    body = assert_error(api_client(vendor).get(SALES, params), 400, field)
    client.force_login(vendor)
    response = client.get(reverse("analytics:dashboard"), params)
    assert response.status_code == 200
    page_errors = response.context["form"].errors
    if params.get("start", "").startswith("1999"):  # the API reads days strictly by its schema pattern
        assert page_errors[field] == ["Choose a date from 2000 to 2100."]
    else:
        assert page_errors[field] == body["errors"][field]
        assert page_errors[field][0] in response.content.decode()
    # The page falls back to the last 30 days rather than refusing.
    assert response.context["period"].days == 30


def test_a_range_of_exactly_ten_years_is_the_longest_on_both():
    vendor = VendorFactory()
    end = datetime.date(2026, 1, 1)
    longest = end - datetime.timedelta(days=ranges.MAX_RANGE_DAYS - 1)
    assert ranges.report_period(vendor, longest, end).days == ranges.MAX_RANGE_DAYS
    with pytest.raises(ValidationError) as caught:
        ranges.report_period(vendor, longest - datetime.timedelta(days=1), end)
    assert list(caught.value.message_dict) == ["start"]
    client = api_client(vendor)
    week = {"end": end.isoformat(), "bucket": "week"}
    assert client.get(SALES, {**week, "start": longest.isoformat()}).status_code == 200
    assert_error(client.get(SALES, {**week, "start": (longest - datetime.timedelta(days=1)).isoformat()}), 400, "start")


def test_day_buckets_over_three_years_are_refused_by_the_api_and_replaced_on_the_page(client):
    vendor = VendorFactory()
    params = {"start": "2022-01-01", "end": "2026-01-01", "bucket": "day"}
    assert_error(api_client(vendor).get(SALES, params), 400, "bucket")
    client.force_login(vendor)
    response = client.get(reverse("analytics:dashboard"), params)
    assert response.context["bucket"] == "year"
    period = response.context["period"]
    assert not ranges.bucket_fits(period, "day")
    assert ranges.bucket_fits(period, "month")
