import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import AdminFactory, VendorFactory
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import assert_matches
from catalog.tests.factories import ProductFactory
from collaborations.models import Collaboration
from collaborations.tests.factories import make_collaboration, send_terms

pytestmark = pytest.mark.django_db

LIST = "/api/v1/collaborations/"
DETAIL = "/api/v1/collaborations/{id}/"
TERMS = "/api/v1/collaborations/{id}/terms/"
ACCEPT = "/api/v1/collaborations/{id}/terms/accept/"
REJECT = "/api/v1/collaborations/{id}/terms/reject/"
CANCEL = "/api/v1/collaborations/{id}/cancel/"


def url(template, collaboration):
    return template.replace("{id}", str(collaboration.pk))


def terms_payload(**overrides):
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    payload = {
        "deliverables": [{"kind": "reel", "brief": "Brew and sip, 30 seconds.", "due_date": due}],
        "fee": "4500.00",
        "commission_rate": "7.50",
        "gifted_products": [],
        "usage_rights": "Reposts for 60 days.",
    }
    payload.update(overrides)
    return payload


def test_both_parties_list_and_read_it_with_stage_code_and_tracking_link():
    collaboration = make_collaboration()
    make_collaboration()  # someone else's
    for user in (collaboration.vendor, collaboration.influencer):
        client = api_client(user)
        response = client.get(LIST)
        assert_matches(response, LIST, "get")
        assert [row["id"] for row in response.json()["results"]] == [collaboration.pk]
        detail = client.get(url(DETAIL, collaboration))
        assert_matches(detail, DETAIL, "get")
        body = detail.json()
        assert body["stage"] == "new"
        assert body["referral_code"] == collaboration.application.referral_code
        assert body["tracking_url"] == f"http://testserver/r/{collaboration.tracking_code}"


def test_strangers_get_404_on_every_endpoint_and_staff_read():
    collaboration = make_collaboration()
    stranger = api_client(VendorFactory())
    for template, method in (
        (DETAIL, "get"),
        (TERMS, "get"),
        (TERMS, "post"),
        (ACCEPT, "post"),
        (REJECT, "post"),
        (CANCEL, "post"),
    ):
        response = getattr(stranger, method)(url(template, collaboration), {}, format="json")
        assert_error(response, 404)
    assert api_client(AdminFactory()).get(url(DETAIL, collaboration)).status_code == 200


def test_list_filters_by_stage():
    vendor = VendorFactory()
    new = make_collaboration(vendor=vendor)
    sent = make_collaboration(vendor=vendor)
    send_terms(sent)
    client = api_client(vendor)
    response = client.get(LIST, {"stage": "terms_sent"})
    assert [row["id"] for row in response.json()["results"]] == [sent.pk]
    assert [row["id"] for row in client.get(LIST, {"stage": "new"}).json()["results"]] == [new.pk]
    assert_error(client.get(LIST, {"stage": "nope"}), 400, "stage")


def test_list_query_count_does_not_grow_with_rows(django_assert_max_num_queries):
    vendor = VendorFactory()
    for _ in range(3):
        make_collaboration(vendor=vendor)
    client = api_client(vendor)
    with django_assert_max_num_queries(4) as few:
        client.get(LIST)
    for _ in range(5):
        make_collaboration(vendor=vendor)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(LIST).json()["results"]) == 8


def test_the_whole_terms_round_over_the_api():
    collaboration = make_collaboration()
    product = ProductFactory(vendor=collaboration.vendor)
    vendor, influencer = api_client(collaboration.vendor), api_client(collaboration.influencer)

    response = vendor.post(url(TERMS, collaboration), terms_payload(gifted_products=[product.pk]), format="json")
    assert response.status_code == 201, response.content
    assert_matches(response, TERMS, "post")
    assert response.json()["number"] == 1
    assert response.json()["gifted_products"] == [product.pk]
    assert response.json()["disclosure"] == "#ad"

    response = influencer.post(url(REJECT, collaboration), {"comment": "Two reels, please."}, format="json")
    assert response.status_code == 200
    assert_matches(response, REJECT, "post")
    assert response.json()["status"] == "rejected"
    assert vendor.get(url(DETAIL, collaboration)).json()["stage"] == "new"

    vendor.post(url(TERMS, collaboration), terms_payload(fee="6000.00"), format="json")
    response = influencer.post(url(ACCEPT, collaboration), {"version": 2}, format="json")
    assert response.status_code == 200, response.content
    assert_matches(response, ACCEPT, "post")
    assert response.json()["status"] == "accepted"

    listing = influencer.get(url(TERMS, collaboration))
    assert_matches(listing, TERMS, "get")
    assert [v["number"] for v in listing.json()["results"]] == [2, 1]
    assert influencer.get(url(DETAIL, collaboration)).json()["stage"] == "active"


def test_wrong_role_on_an_action_is_403():
    collaboration = make_collaboration()
    influencer, vendor = api_client(collaboration.influencer), api_client(collaboration.vendor)
    assert_error(influencer.post(url(TERMS, collaboration), terms_payload(), format="json"), 403)
    send_terms(collaboration)
    assert_error(vendor.post(url(ACCEPT, collaboration), {}, format="json"), 403)
    assert_error(vendor.post(url(REJECT, collaboration), {"comment": "x"}, format="json"), 403)


def test_wrong_stage_is_409():
    collaboration = make_collaboration()
    influencer = api_client(collaboration.influencer)
    response = influencer.post(url(ACCEPT, collaboration), {}, format="json")
    assert_error(response, 409, "stage")
    assert_matches(response, ACCEPT, "post")
    send_terms(collaboration)
    send_terms(collaboration)
    assert_error(influencer.post(url(ACCEPT, collaboration), {"version": 1}, format="json"), 409, "version")
    assert influencer.post(url(CANCEL, collaboration), {"reason": "Changed plans"}, format="json").status_code == 200
    response = api_client(collaboration.vendor).post(url(TERMS, collaboration), terms_payload(), format="json")
    assert_error(response, 409, "stage")
    assert_error(influencer.post(url(CANCEL, collaboration), {"reason": "Again"}, format="json"), 409, "stage")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"deliverables": []}, "deliverables"),
        ({"deliverables": [{"kind": "tweet", "brief": "x", "due_date": "2100-01-01"}]}, "deliverables"),
        ({"deliverables": [{"kind": "reel", "brief": "x", "due_date": "2000-01-01"}]}, "deliverables"),
        ({"fee": "-1"}, "fee"),
        ({"commission_rate": "101"}, "commission_rate"),
        ({"gifted_products": [999999]}, "gifted_products"),
        ({"usage_rights": "bad\x00text"}, None),
    ],
)
def test_bad_terms_are_400_naming_the_field(overrides, field):
    collaboration = make_collaboration()
    response = api_client(collaboration.vendor).post(
        url(TERMS, collaboration), terms_payload(**overrides), format="json"
    )
    assert_error(response, 400, field)
    assert_matches(response, TERMS, "post")
    assert not collaboration.terms_versions.exists()


def test_cancel_needs_a_reason_and_names_who_cancelled():
    collaboration = make_collaboration()
    vendor = api_client(collaboration.vendor)
    assert_error(vendor.post(url(CANCEL, collaboration), {}, format="json"), 400, "reason")
    response = vendor.post(url(CANCEL, collaboration), {"reason": "Budget cut"}, format="json")
    assert_matches(response, CANCEL, "post")
    body = response.json()
    assert (body["stage"], body["cancelled_by"], body["cancel_reason"]) == (
        "cancelled",
        collaboration.vendor_id,
        "Budget cut",
    )
    assert Collaboration.objects.get().stage == "cancelled"


def test_reject_needs_a_comment():
    collaboration = make_collaboration()
    send_terms(collaboration)
    response = api_client(collaboration.influencer).post(url(REJECT, collaboration), {"comment": "  "}, format="json")
    assert_error(response, 400, "comment")


def test_anonymous_is_401():
    collaboration = make_collaboration()
    assert api_client().get(url(DETAIL, collaboration)).status_code == 401
    assert api_client().get(LIST).status_code == 401
