"""Deliverables over the API, every answer checked against the OpenAPI schema."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import assert_matches
from collaborations.models import Deliverable, LedgerEntry
from collaborations.tests.factories import (
    MP4_HEAD,
    approve,
    ask_changes,
    deliverable,
    first_deliverable,
    image_bytes,
    make_active,
    submit,
    upload,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/collaborations/{id}/deliverables/"
COMPLETE = "/api/v1/collaborations/{id}/complete/"
DETAIL = "/api/v1/collaborations/{id}/"
SUBMIT = "/api/v1/deliverables/{id}/submit/"
APPROVE = "/api/v1/deliverables/{id}/approve/"
CHANGES = "/api/v1/deliverables/{id}/request-changes/"
FILE = "/api/v1/submissions/{id}/file/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def url(template, obj):
    return template.replace("{id}", str(obj.pk))


def test_both_parties_list_the_deliverables_with_status_rounds_and_overdue():
    collaboration = make_active(deliverables=[deliverable(5, "reel", "Brew it"), deliverable(6, "post")])
    reel = first_deliverable(collaboration)
    submit(reel, caption="Chai time")  # no label
    ask_changes(reel, "Add #ad")
    submit(reel, caption="Chai time #ad")
    Deliverable.objects.filter(collaboration=collaboration, position=2).update(
        due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    for user in (collaboration.vendor, collaboration.influencer, AdminFactory()):
        response = api_client(user).get(url(LIST, collaboration))
        assert response.status_code == 200
        assert_matches(response, LIST, "get")
        first, second = response.json()["results"]
        assert (first["kind"], first["brief"], first["status"], first["revisions"], first["revisions_left"]) == (
            "reel",
            "Brew it",
            "submitted",
            1,
            2,
        )
        assert first["due_date"] == (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
        assert (first["is_overdue"], second["is_overdue"]) == (False, True)
        assert [r["round"] for r in first["submissions"]] == [2, 1]
        assert first["submissions"][1]["decision"] == "changes_requested"
        assert first["submissions"][1]["comment"] == "Add #ad"
        assert first["latest_submission"]["round"] == 2
        assert first["disclosure_warning"] is None  # the latest round has its label
        assert "#ad" in first["disclosure_labels"]
        assert second["latest_submission"] is None
        assert second["submissions"] == []


def test_the_list_query_count_does_not_grow_with_deliverables_and_rounds(django_assert_max_num_queries):
    collaboration = make_active(deliverables=[deliverable(5)])
    client = api_client(collaboration.vendor)
    with django_assert_max_num_queries(8) as few:
        client.get(url(LIST, collaboration))
    bigger = make_active(vendor=collaboration.vendor, deliverables=[deliverable(5 + i, "post") for i in range(6)])
    for position in (1, 2, 3):
        item = first_deliverable(bigger, position)
        submit(item, file=upload())
        ask_changes(item)
        submit(item)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url(LIST, bigger))
    assert len(response.json()["results"]) == 6


def test_submit_a_link_as_json_and_get_the_warning_back():
    collaboration = make_active()
    item = first_deliverable(collaboration)
    response = api_client(collaboration.influencer).post(
        url(SUBMIT, item), {"url": "https://instagram.com/reel/abc/", "caption": "Morning chai"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert_matches(response, SUBMIT, "post")
    body = response.json()
    assert body["status"] == "submitted"
    assert body["latest_submission"]["url"] == "https://instagram.com/reel/abc/"
    assert body["latest_submission"]["missing_disclosure"] is True
    assert body["latest_submission"]["file_url"] is None
    assert "no disclosure label such as #ad" in body["disclosure_warning"]
    assert api_client(collaboration.vendor).get(url(DETAIL, collaboration)).json()["stage"] == "content_submitted"


def test_submit_a_draft_as_multipart_and_only_the_parties_download_it():
    collaboration = make_active()
    item = first_deliverable(collaboration)
    content = image_bytes("PNG")
    response = api_client(collaboration.influencer).post(
        url(SUBMIT, item), {"caption": "Chai #ad", "file": upload("look.png", content)}, format="multipart"
    )
    assert response.status_code == 201, response.content
    assert_matches(response, SUBMIT, "post")
    latest = response.json()["latest_submission"]
    assert latest["file_name"].endswith("-look.png")
    assert latest["url"] == ""
    assert latest["file_url"] == f"http://testserver/api/v1/submissions/{latest['id']}/file/"
    for user in (collaboration.vendor, collaboration.influencer, AdminFactory()):
        download = api_client(user).get(latest["file_url"])
        assert download.status_code == 200
        assert download["Content-Type"] == "image/png"
        assert b"".join(download.streaming_content) == content
    for stranger in (VendorFactory(), InfluencerFactory()):
        assert_error(api_client(stranger).get(latest["file_url"]), 404)


def test_a_round_without_a_file_has_no_download():
    collaboration = make_active()
    submission = submit(first_deliverable(collaboration))
    assert_error(api_client(collaboration.vendor).get(url(FILE, submission)), 404)


@pytest.mark.parametrize(
    ("name", "content", "field"),
    [
        ("video.mp4", image_bytes("PNG"), "file"),
        ("photo.png", MP4_HEAD, "file"),
        ("notes.txt", b"just text", "file"),
        ("page.html", b"<html><script>alert(1)</script></html>", "file"),
    ],
)
def test_disguised_and_wrong_files_are_a_400_naming_the_file(name, content, field):
    collaboration = make_active()
    item = first_deliverable(collaboration)
    response = api_client(collaboration.influencer).post(
        url(SUBMIT, item), {"file": upload(name, content)}, format="multipart"
    )
    assert_error(response, 400, field)
    assert_matches(response, SUBMIT, "post")
    assert not item.submissions.exists()


def test_a_file_over_the_limit_is_a_400(settings):
    settings.COLLAB_UPLOAD_MAX_MB = 1
    collaboration = make_active()
    response = api_client(collaboration.influencer).post(
        url(SUBMIT, first_deliverable(collaboration)),
        {"file": upload("big.png", image_bytes() + b"\x00" * (1024 * 1024 + 1))},
        format="multipart",
    )
    body = assert_error(response, 400, "file")
    assert body["errors"]["file"] == ["The file is larger than 1 MB."]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "url"),
        ({"url": "", "caption": "#ad"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": "ftp://example.com/file"}, "url"),
        ({"url": 5}, "url"),
        ({"url": "https://example.com/" + "a" * 500}, "url"),
        ({"url": "https://example.com/p", "caption": "x" * 5001}, "caption"),
    ],
)
def test_bad_submissions_are_a_400_naming_the_field(payload, field):
    collaboration = make_active()
    item = first_deliverable(collaboration)
    response = api_client(collaboration.influencer).post(url(SUBMIT, item), payload, format="json")
    assert_error(response, 400, field)
    assert_matches(response, SUBMIT, "post")
    assert not item.submissions.exists()


def test_review_over_the_api_up_to_the_revision_limit_then_approve_books_the_fee(settings):
    settings.COLLAB_MAX_REVISIONS = 2
    collaboration = make_active(fee=Decimal("3000.00"))
    item = first_deliverable(collaboration)
    vendor = api_client(collaboration.vendor)
    for left in (1, 0):
        submit(item)
        response = vendor.post(url(CHANGES, item), {"comment": "Brighter light"}, format="json")
        assert response.status_code == 200, response.content
        assert_matches(response, CHANGES, "post")
        assert (response.json()["status"], response.json()["revisions_left"]) == ("changes_requested", left)
    submit(item)
    response = vendor.post(url(CHANGES, item), {"comment": "Once more"}, format="json")
    body = assert_error(response, 409, "revisions")
    assert "approve this round, or cancel the collaboration" in body["detail"]
    assert_matches(response, CHANGES, "post")

    response = vendor.post(url(APPROVE, item))
    assert response.status_code == 200, response.content
    assert_matches(response, APPROVE, "post")
    assert (response.json()["status"], response.json()["revisions"]) == ("approved", 2)
    assert vendor.get(url(DETAIL, collaboration)).json()["stage"] == "approved"
    assert LedgerEntry.objects.get(collaboration=collaboration, kind="fee").payable == Decimal("3000.00")

    assert_error(vendor.post(url(APPROVE, item)), 409, "stage")
    response = vendor.post(url(COMPLETE, collaboration))
    assert response.status_code == 200
    assert_matches(response, COMPLETE, "post")
    assert response.json()["stage"] == "completed"
    assert LedgerEntry.objects.filter(kind="fee").count() == 1


def test_a_request_for_changes_needs_a_comment():
    collaboration = make_active()
    item = first_deliverable(collaboration)
    submit(item)
    vendor = api_client(collaboration.vendor)
    for payload in ({}, {"comment": "   "}, {"comment": "x" * 2001}, {"comment": 3}):
        response = vendor.post(url(CHANGES, item), payload, format="json")
        assert_error(response, 400, "comment")
        assert_matches(response, CHANGES, "post")


def test_the_wrong_side_is_403_and_a_stranger_404_on_every_endpoint():
    collaboration = make_active()
    item = first_deliverable(collaboration)
    vendor, influencer = api_client(collaboration.vendor), api_client(collaboration.influencer)
    response = vendor.post(url(SUBMIT, item), {"url": "https://example.com/p/1"}, format="json")
    assert_error(response, 403)
    assert_matches(response, SUBMIT, "post")
    submit(item)
    for template in (APPROVE, CHANGES):
        response = influencer.post(url(template, item), {"comment": "Self-approve"}, format="json")
        assert_error(response, 403)
    item.refresh_from_db()
    approve(item)
    assert_error(influencer.post(url(COMPLETE, collaboration)), 403)

    for stranger in (api_client(VendorFactory()), api_client(InfluencerFactory())):
        for template, obj, method in (
            (LIST, collaboration, "get"),
            (COMPLETE, collaboration, "post"),
            (SUBMIT, item, "post"),
            (APPROVE, item, "post"),
            (CHANGES, item, "post"),
        ):
            response = getattr(stranger, method)(url(template, obj), {"comment": "x", "url": ""}, format="json")
            assert_error(response, 404)
            assert_matches(response, template, method)


def test_wrong_state_is_409():
    collaboration = make_active()
    item = first_deliverable(collaboration)
    vendor = api_client(collaboration.vendor)
    response = vendor.post(url(APPROVE, item))
    assert_error(response, 409, "stage")
    assert_matches(response, APPROVE, "post")
    response = vendor.post(url(COMPLETE, collaboration))
    assert_error(response, 409, "stage")
    assert_matches(response, COMPLETE, "post")
    influencer = api_client(collaboration.influencer)
    influencer.post(url(SUBMIT, item), {"url": "https://example.com/p/1"}, format="json")
    response = influencer.post(url(SUBMIT, item), {"url": "https://example.com/p/2"}, format="json")
    assert_error(response, 409, "status")
    assert_matches(response, SUBMIT, "post")


def test_anonymous_is_401():
    collaboration = make_active()
    assert api_client().get(url(LIST, collaboration)).status_code == 401
    assert api_client().post(url(SUBMIT, first_deliverable(collaboration)), {}, format="json").status_code == 401
