"""GET /api/v1/collaborations/{id}/results/: the numbers for either party, the vendor's own for them, 404 otherwise."""

import datetime

import pytest

from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import assert_matches, component
from collaborations.tests.factories import book_fee, make_clicks, make_collaboration, make_results_scenario

pytestmark = pytest.mark.django_db

RESULTS = "/api/v1/collaborations/{id}/results/"


def url(collaboration):
    return RESULTS.replace("{id}", str(collaboration.pk))


def test_the_influencer_reads_clicks_sales_and_commission_without_the_vendors_numbers():
    ira = make_results_scenario()["ira"]
    response = api_client(ira.influencer).get(url(ira))

    assert response.status_code == 200
    assert_matches(response, RESULTS, "get")
    body = response.json()
    assert body["collaboration"] == ira.pk
    assert (body["clicks"], body["unique_clicks"], body["bills"]) == (15, 10, 2)
    assert body["revenue"] == "550.00"
    assert (body["commission_held"], body["commission_payable"], body["paid"]) == ("30.00", "325.00", "200.00")
    assert (body["fee"], body["commission"]) == ("500.00", "55.00")
    assert body["conversion_pct"] == "20.0"
    assert body["deliverables"] == {"pending": 1, "submitted": 1, "changes_requested": 0, "approved": 1, "total": 3}
    assert (body["products_received"], body["products_on_the_way"]) == (2, 1)
    # The vendor's profit and costs are theirs.
    assert [body[key] for key in ("profit", "gift_cost", "cost", "roi_pct", "cost_per_bill")] == [None] * 5


def test_the_vendor_and_staff_also_read_cost_profit_and_roi():
    ira = make_results_scenario()["ira"]
    for user in (ira.vendor, AdminFactory()):
        response = api_client(user).get(url(ira))

        assert_matches(response, RESULTS, "get")
        body = response.json()
        assert body["revenue"] == "550.00"
        assert (body["profit"], body["gift_cost"], body["cost"]) == ("270.00", "220.00", "775.00")
        assert (body["roi_pct"], body["cost_per_bill"]) == ("-65.2", "387.50")


def test_a_new_collaboration_answers_zeros_and_nulls_as_documented():
    collaboration = make_collaboration()
    response = api_client(collaboration.vendor).get(url(collaboration))

    assert_matches(response, RESULTS, "get")
    body = response.json()
    assert (body["clicks"], body["bills"], body["revenue"], body["cost"]) == (0, 0, "0.00", "0.00")
    assert (body["roi_pct"], body["cost_per_bill"], body["conversion_pct"]) == (None, None, None)


def test_strangers_get_404_and_anonymous_401():
    collaboration = make_collaboration()
    for stranger in (VendorFactory(), InfluencerFactory()):
        response = api_client(stranger).get(url(collaboration))
        assert_error(response, 404)
        assert_matches(response, RESULTS, "get")
    assert_error(api_client().get(url(collaboration)), 401)
    assert_error(api_client(collaboration.vendor).get(RESULTS.replace("{id}", "9223372036854775807")), 404)


def test_query_count_does_not_grow_with_the_collaborations_rows(django_assert_max_num_queries):
    collaboration = make_collaboration()
    client = api_client(collaboration.influencer)
    with django_assert_max_num_queries(4) as few:
        client.get(url(collaboration))
    book_fee(collaboration, "100.00")
    for day in range(1, 6):
        make_clicks(collaboration, datetime.date(2026, 1, day), 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(url(collaboration)).json()
    assert (body["clicks"], body["fee"]) == (15, "100.00")


def test_the_schema_documents_the_names_clients_use():
    schema = component("CollaborationResults")

    names = ("clicks", "bills", "revenue", "commission_held", "commission_payable", "paid")
    assert set(names) <= set(schema["required"])
    assert [schema["properties"][name]["type"] for name in names] == ["integer", "integer", *["string"] * 4]
