"""Deliverables and their approval, at the service: from the terms to a completed collaboration."""

import datetime
import json
import pathlib
import zoneinfo
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from anwariya.errors import Conflict
from anwariya.tests.api import api_client
from chat.models import Message
from collaborations import deliverables, selectors, services
from collaborations.deliverables import caption_has_disclosure, disclosure_labels
from collaborations.models import Collaboration, Deliverable, LedgerEntry, Submission
from collaborations.services import CollaborationError, NotAllowed
from collaborations.tests.factories import (
    MP4_HEAD,
    WEBM_HEAD,
    approve,
    ask_changes,
    deliverable,
    first_deliverable,
    image_bytes,
    make_active,
    make_collaboration,
    send_terms,
    submit,
    upload,
)
from profiles.tests.factories import VendorProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def stored_files(settings):
    return sorted(path.name for path in pathlib.Path(settings.MEDIA_ROOT).rglob("*") if path.is_file())


def chat_lines(collaboration):
    return list(
        Message.objects.filter(chat__vendor=collaboration.vendor, chat__influencer=collaboration.influencer)
        .order_by("pk")
        .values_list("text", flat=True)
    )


# --- From the terms -------------------------------------------------------------------------


def test_accepting_terms_makes_one_pending_deliverable_per_row_of_the_version():
    rows = [deliverable(5, "reel", "Brew it"), deliverable(9, "story", "Unbox it")]
    collaboration = make_active(deliverables=rows)
    made = list(Deliverable.objects.filter(collaboration=collaboration))
    terms = collaboration.terms_versions.get()
    assert [(d.position, d.kind, d.brief, d.due_date, d.status, d.terms_id) for d in made] == [
        (1, "reel", "Brew it", rows[0]["due_date"], "pending", terms.pk),
        (2, "story", "Unbox it", rows[1]["due_date"], "pending", terms.pk),
    ]
    assert collaboration.stage == "active"


def test_sending_terms_makes_no_deliverables_until_accepted():
    collaboration = make_collaboration()
    send_terms(collaboration)
    assert not Deliverable.objects.exists()


def test_a_later_version_keeps_content_of_the_same_kind_and_replaces_pending_ones():
    collaboration = make_active(
        deliverables=[deliverable(5, "reel", "Reel v1"), deliverable(6, "post", "Post v1"), deliverable(7, "story")]
    )
    reel, post = first_deliverable(collaboration, 1), first_deliverable(collaboration, 2)
    submit(reel)
    approve(reel)
    collaboration.refresh_from_db()
    assert collaboration.stage == "active"  # two still pending

    send_terms(
        collaboration,
        deliverables=[deliverable(10, "reel", "Reel v2"), deliverable(12, "video", "A video instead")],
        fee=Decimal("6000.00"),
    )
    services.terms_accept(collaboration=collaboration, actor=collaboration.influencer, version=2)

    v2 = collaboration.terms_versions.get(number=2)
    kept = Deliverable.objects.get(pk=reel.pk)
    assert (kept.status, kept.brief, kept.terms_id) == ("approved", "Reel v2", v2.pk)
    assert kept.due_date == timezone.localdate() + datetime.timedelta(days=10)
    assert kept.submissions.count() == 1  # its round stays
    replaced = Deliverable.objects.get(collaboration=collaboration, position=2)
    assert (replaced.pk, replaced.kind, replaced.brief, replaced.status) == (
        post.pk,
        "video",
        "A video instead",
        "pending",
    )
    assert not Deliverable.objects.filter(collaboration=collaboration, position=3).exists()  # the pending story went


def test_a_later_version_keeps_a_deliverable_sent_back_with_its_revisions():
    collaboration = make_active(deliverables=[deliverable(5, "reel")])
    reel = first_deliverable(collaboration)
    submit(reel)
    ask_changes(reel)
    send_terms(collaboration, deliverables=[deliverable(8, "reel", "Longer reel")])
    services.terms_accept(collaboration=collaboration, actor=collaboration.influencer)
    reel.refresh_from_db()
    assert (reel.status, reel.revisions, reel.brief) == ("changes_requested", 1, "Longer reel")


def test_new_terms_that_drop_or_change_content_already_made_are_refused_when_sent():
    collaboration = make_active(deliverables=[deliverable(5, "reel"), deliverable(6, "post")])
    reel = first_deliverable(collaboration)
    submit(reel)
    approve(reel)
    for rows in ([deliverable(5, "post")], [deliverable(5, "story"), deliverable(6, "reel")]):
        with pytest.raises(CollaborationError) as refused:
            send_terms(collaboration, deliverables=rows)
        assert refused.value.errors["deliverables"] == ["Reel #1 is approved: keep a reel at position 1."]
    assert collaboration.terms_versions.count() == 1
    send_terms(collaboration, deliverables=[deliverable(5, "reel")])  # keeping it is fine; the post goes
    services.terms_accept(collaboration=collaboration, actor=collaboration.influencer)
    assert list(Deliverable.objects.filter(collaboration=collaboration).values_list("position", "status")) == [
        (1, "approved")
    ]
    collaboration.refresh_from_db()
    assert collaboration.stage == "approved"  # what is left is all approved: the fee is due now
    assert LedgerEntry.objects.get(collaboration=collaboration).payable == Decimal("5000.00")


# --- Submitting -----------------------------------------------------------------------------


def test_the_influencer_submits_a_link_and_the_collaboration_waits_for_review(django_capture_on_commit_callbacks):
    collaboration = make_active()
    item = first_deliverable(collaboration)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(item, url="https://instagram.com/reel/xyz/", caption="Morning chai #ad")
    assert (submission.round, submission.url, submission.missing_disclosure) == (
        1,
        "https://instagram.com/reel/xyz/",
        False,
    )
    item.refresh_from_db()
    collaboration.refresh_from_db()
    assert (item.status, collaboration.stage) == ("submitted", "content_submitted")
    assert item.submitted_at == submission.submitted_at
    assert "Submitted reel #1" in chat_lines(collaboration)[-1]
    assert [m.to for m in mail.outbox] == [[collaboration.vendor.email]]


def test_only_the_influencer_submits_and_only_with_a_url_or_a_file():
    collaboration = make_active()
    item = first_deliverable(collaboration)
    with pytest.raises(NotAllowed):
        deliverables.deliverable_submit(item, collaboration.vendor, url="https://example.com/p/1")
    with pytest.raises(CollaborationError) as refused:
        submit(item, url="", caption="#ad")
    assert refused.value.errors == {"url": ["Give the post's URL or upload a draft file."]}
    with pytest.raises(CollaborationError) as refused:
        submit(item, url="javascript:alert(1)")
    assert "url" in refused.value.errors
    with pytest.raises(CollaborationError) as refused:
        submit(item, caption="x" * 5001)
    assert "caption" in refused.value.errors
    assert not Submission.objects.exists()


def test_a_round_waiting_for_review_cannot_be_submitted_again_nor_an_approved_one():
    collaboration = make_active(deliverables=[deliverable(5), deliverable(6, "post")])
    item = first_deliverable(collaboration)
    submit(item)
    with pytest.raises(Conflict) as refused:
        submit(item)
    assert refused.value.errors == {"status": ["submitted"]}
    approve(item)
    with pytest.raises(Conflict, match="approved already"):
        submit(item)
    assert item.submissions.count() == 1


@pytest.mark.parametrize("stage_change", ["terms_sent", "cancelled", "new"])
def test_nothing_is_submitted_unless_the_collaboration_is_active(stage_change):
    collaboration = make_active()
    item = first_deliverable(collaboration)
    if stage_change == "terms_sent":
        send_terms(collaboration)
    elif stage_change == "cancelled":
        services.collaboration_cancel(collaboration=collaboration, actor=collaboration.vendor, reason="Budget")
    else:
        send_terms(collaboration)
        services.terms_reject(collaboration=collaboration, actor=collaboration.influencer, comment="More fee")
    with pytest.raises(Conflict) as refused:
        submit(first_deliverable(collaboration))
    assert refused.value.errors == {"stage": [stage_change]}
    assert not item.submissions.exists()


# --- Disclosure -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caption", "has_label"),
    [
        ("Morning chai #ad", True),
        ("#AD: morning chai", True),
        ("Brewing (#sponsored)", True),
        ("In Paid  Partnership with Chai Co", True),
        ("#collab with @chaico", True),
        ("#adventure time", False),
        ("#bad day, #adult", False),
        ("ad", False),
        ("paid partnerships galore", False),
        ("", False),
    ],
)
def test_disclosure_labels_match_as_whole_tags_or_phrases_in_any_case(caption, has_label):
    assert caption_has_disclosure(caption, disclosure_labels(None)) is has_label


def test_the_terms_own_label_and_the_setting_count(settings):
    collaboration = make_collaboration()
    terms = send_terms(collaboration, disclosure="#ChaiPartner")
    assert caption_has_disclosure("Tea time #chaipartner", disclosure_labels(terms))
    settings.COLLAB_DISCLOSURE_LABELS = ["#werbung"]
    assert caption_has_disclosure("Tee #Werbung", disclosure_labels(terms))
    assert not caption_has_disclosure("Tea #ad", disclosure_labels(terms))


def test_a_caption_without_a_label_is_taken_with_the_warning_for_both_sides(django_capture_on_commit_callbacks):
    collaboration = make_active()
    item = first_deliverable(collaboration)
    submission = submit(item, caption="Best chai in town!")
    assert submission.missing_disclosure is True
    assert item.status == "submitted"
    assert "no disclosure label" in chat_lines(collaboration)[-1]


# --- Draft files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("draft.png", image_bytes("PNG")),
        ("Draft Photo.JPEG", image_bytes("JPEG")),
        ("draft.jpg", image_bytes("JPEG")),
        ("draft.webp", image_bytes("WEBP")),
        ("draft.gif", image_bytes("GIF")),
        ("reel.mp4", MP4_HEAD + b"\x00" * 64),
        ("reel.mov", b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + b"\x00" * 64),
        ("reel.webm", WEBM_HEAD + b"\x00" * 64),
    ],
)
def test_real_images_and_videos_are_stored_through_the_storage(name, content, settings):
    collaboration = make_active()
    submission = submit(first_deliverable(collaboration), url="", file=upload(name, content))
    assert submission.file.name.startswith("collaborations/drafts/")
    extension = name.rsplit(".", 1)[1].lower().replace("jpeg", "jpg")
    assert submission.file.name.endswith(f".{extension}")
    with default_storage.open(submission.file.name, "rb") as stored:
        assert stored.read() == content
    assert len(stored_files(settings)) == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"hello", "Upload an image or a video"),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "Upload an image or a video"),
        ("draft", image_bytes(), "Upload an image or a video"),
        ("script.png", b"<script>alert(1)</script>", "not a png file"),
        ("photo.jpg", image_bytes("PNG"), "not a jpg file"),
        ("clip.mp4", image_bytes("PNG"), "not a mp4 file"),
        ("clip.webm", b"\x1a\x45\xdf\xa3\x9f\x42\x82\x88matroska" + b"\x00" * 32, "not a webm file"),
        ("broken.png", image_bytes()[:40], "not a png file"),
        ("empty.png", b"", "The file is empty."),
    ],
)
def test_other_files_and_disguised_ones_are_refused_and_nothing_is_stored(name, content, message, settings):
    collaboration = make_active()
    item = first_deliverable(collaboration)
    with pytest.raises(CollaborationError) as refused:
        submit(item, file=upload(name, content))
    assert message in refused.value.errors["file"][0]
    assert not Submission.objects.exists()
    assert stored_files(settings) == []


def test_a_file_over_the_limit_is_refused(settings):
    settings.COLLAB_UPLOAD_MAX_MB = 1
    collaboration = make_active()
    content = image_bytes() + b"\x00" * (1024 * 1024)
    with pytest.raises(CollaborationError) as refused:
        submit(first_deliverable(collaboration), file=upload("big.png", content))
    assert refused.value.errors == {"file": ["The file is larger than 1 MB."]}


def test_an_image_of_too_many_pixels_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 50)  # 12 × 8 = 96 pixels: over the limit
    collaboration = make_active()
    with pytest.raises(CollaborationError) as refused:
        submit(first_deliverable(collaboration), file=upload("draft.png"))
    assert "not a png file" in refused.value.errors["file"][0]


def test_a_round_that_fails_after_storing_its_file_leaves_no_file(monkeypatch, settings):
    collaboration = make_active()
    item = first_deliverable(collaboration)

    def broken(*args, **kwargs):
        raise RuntimeError("chat is down")

    monkeypatch.setattr(deliverables, "notify", broken)
    with pytest.raises(RuntimeError):
        submit(item, file=upload())
    assert not Submission.objects.exists()
    assert stored_files(settings) == []
    item.refresh_from_db()
    assert item.status == "pending"


# --- Reviewing ------------------------------------------------------------------------------


def test_changes_requested_send_it_back_with_the_comment_and_count_a_revision(django_capture_on_commit_callbacks):
    collaboration = make_active()
    item = first_deliverable(collaboration)
    submit(item)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ask_changes(item, "Show the label")
    item.refresh_from_db()
    collaboration.refresh_from_db()
    assert (item.status, item.revisions, collaboration.stage) == ("changes_requested", 1, "active")
    answered = item.submissions.get()
    assert (answered.decision, answered.comment, answered.decided_by_id) == (
        "changes_requested",
        "Show the label",
        collaboration.vendor_id,
    )
    assert "Show the label" in chat_lines(collaboration)[-1]
    assert [m.to for m in mail.outbox] == [[collaboration.influencer.email]]
    second = submit(item)
    assert second.round == 2


def test_after_the_most_revisions_the_vendor_can_only_approve(settings):
    assert settings.COLLAB_MAX_REVISIONS == 3
    collaboration = make_active()
    item = first_deliverable(collaboration)
    for _ in range(3):
        submit(item)
        ask_changes(item)
    submit(item)
    with pytest.raises(Conflict) as refused:
        ask_changes(item)
    assert "the most allowed (3): approve this round, or cancel the collaboration" in refused.value.detail
    assert refused.value.errors == {"revisions": ["No changes left to ask for (3 of 3 used)."]}
    item.refresh_from_db()
    assert (item.status, item.revisions) == ("submitted", 3)
    approve(item)
    assert Deliverable.objects.get(pk=item.pk).status == "approved"


def test_the_revision_limit_is_a_setting(settings):
    settings.COLLAB_MAX_REVISIONS = 1
    collaboration = make_active()
    item = first_deliverable(collaboration)
    submit(item)
    ask_changes(item)
    submit(item)
    with pytest.raises(Conflict, match=r"the most allowed \(1\)"):
        ask_changes(item)


def test_a_request_for_changes_needs_a_comment():
    collaboration = make_active()
    item = first_deliverable(collaboration)
    submit(item)
    with pytest.raises(CollaborationError) as refused:
        ask_changes(item, "   ")
    assert refused.value.errors == {"comment": ["Say what should change."]}


def test_only_the_vendor_reviews_and_only_a_submitted_deliverable():
    collaboration = make_active()
    item = first_deliverable(collaboration)
    with pytest.raises(NotAllowed):
        deliverables.deliverable_approve(item, collaboration.influencer)
    with pytest.raises(NotAllowed):
        deliverables.deliverable_request_changes(item, collaboration.influencer, "No")
    with pytest.raises(Conflict) as refused:
        approve(item)
    assert refused.value.errors == {"stage": ["active"]}
    submit(item)
    ask_changes(item)
    with pytest.raises(Conflict):
        approve(item)  # sent back: nothing waits for review


def test_the_last_approval_approves_the_collaboration_and_books_the_fee_once(django_capture_on_commit_callbacks):
    collaboration = make_active(deliverables=[deliverable(5), deliverable(6, "post")], fee=Decimal("4500.00"))
    reel, post = first_deliverable(collaboration, 1), first_deliverable(collaboration, 2)
    submit(reel)
    submit(post)
    approve(reel)
    collaboration.refresh_from_db()
    assert collaboration.stage == "content_submitted"  # the post still waits
    assert not LedgerEntry.objects.exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approve(post)
    collaboration.refresh_from_db()
    assert collaboration.stage == "approved"
    fee = LedgerEntry.objects.get(collaboration=collaboration)
    assert (fee.kind, fee.payable, fee.held, fee.currency, fee.created_by_id) == (
        "fee",
        Decimal("4500.00"),
        Decimal("0.00"),
        "INR",
        collaboration.vendor_id,
    )
    assert (collaboration.payable, fee.payable_after) == (Decimal("4500.00"), Decimal("4500.00"))
    assert "the fee of INR 4500.00 is now payable" in chat_lines(collaboration)[-1]
    assert [m.to for m in mail.outbox] == [[collaboration.influencer.email]]
    with pytest.raises(Conflict):
        approve(post)
    assert LedgerEntry.objects.filter(kind="fee").count() == 1


def test_no_fee_is_booked_when_the_fee_is_zero():
    collaboration = make_active(fee=Decimal("0"))
    item = first_deliverable(collaboration)
    submit(item)
    approve(item)
    collaboration.refresh_from_db()
    assert collaboration.stage == "approved"
    assert not LedgerEntry.objects.exists()
    assert collaboration.payable == Decimal("0")


def test_the_vendor_marks_an_approved_collaboration_completed(django_capture_on_commit_callbacks):
    collaboration = make_active()
    item = first_deliverable(collaboration)
    with pytest.raises(Conflict) as refused:
        deliverables.collaboration_complete(collaboration, collaboration.vendor)
    assert refused.value.errors == {"stage": ["active"]}
    submit(item)
    approve(item)
    with pytest.raises(NotAllowed):
        deliverables.collaboration_complete(collaboration, collaboration.influencer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        deliverables.collaboration_complete(collaboration, collaboration.vendor)
    assert collaboration.stage == "completed"
    assert Collaboration.objects.get(pk=collaboration.pk).stage == "completed"
    assert "completed" in chat_lines(collaboration)[-1]
    assert [m.to for m in mail.outbox] == [[collaboration.influencer.email]]
    with pytest.raises(Conflict):
        services.collaboration_cancel(collaboration=collaboration, actor=collaboration.vendor, reason="Late")


# --- Overdue --------------------------------------------------------------------------------


def overdue_flags(collaboration):
    return list(selectors.deliverables_of_collaboration(collaboration).values_list("position", "is_overdue"))


def test_a_deliverable_past_its_due_date_and_not_approved_is_overdue():
    collaboration = make_active(deliverables=[deliverable(5), deliverable(6, "post"), deliverable(7, "story")])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Deliverable.objects.filter(collaboration=collaboration, position__in=[1, 2]).update(due_date=yesterday)
    reel = first_deliverable(collaboration, 1)
    submit(reel)
    approve(reel)
    submit(first_deliverable(collaboration, 2))  # waiting for review is not done yet
    assert overdue_flags(collaboration) == [(1, False), (2, True), (3, False)]
    services.collaboration_cancel(collaboration=collaboration, actor=collaboration.vendor, reason="Ended")
    assert overdue_flags(collaboration) == [(1, False), (2, False), (3, False)]


@pytest.mark.parametrize(("zone", "overdue"), [("Pacific/Kiritimati", True), ("Pacific/Pago_Pago", False)])
def test_overdue_counts_days_in_the_vendors_time_zone(zone, overdue):
    collaboration = make_active()
    VendorProfileFactory(user=collaboration.vendor, time_zone=zone)
    # Kiritimati (UTC+14) is always a day or two ahead of Pago Pago (UTC-11).
    due = timezone.localdate(timezone=zoneinfo.ZoneInfo("Pacific/Kiritimati")) - datetime.timedelta(days=1)
    Deliverable.objects.filter(collaboration=collaboration).update(due_date=due)
    collaboration = Collaboration.objects.select_related("vendor").get(pk=collaboration.pk)
    assert overdue_flags(collaboration) == [(1, overdue)]


# --- Export ---------------------------------------------------------------------------------


def test_the_data_export_holds_deliverables_and_rounds_with_file_names_only():
    collaboration = make_active()
    item = first_deliverable(collaboration)
    submit(item, url="", caption="No label here", file=upload("My Draft.png"))
    ask_changes(item, "Add #ad")
    response = api_client(collaboration.influencer).get("/api/v1/auth/me/export/")
    assert response.status_code == 200
    [exported] = json.loads(response.content)["sections"]["collaborations"]
    [row] = exported["deliverables"]
    assert (row["kind"], row["status"], row["revisions"], row["terms_version"]) == ("reel", "changes_requested", 1, 1)
    [round_one] = row["submissions"]
    assert round_one["file"].endswith("-My_Draft.png")
    assert "/" not in round_one["file"]
    assert (round_one["decision"], round_one["comment"], round_one["missing_disclosure"]) == (
        "changes_requested",
        "Add #ad",
        True,
    )
    assert "collaborations/drafts" not in response.content.decode()
