"""Deliverables on the pages: what each side sees and does, and who may read a draft."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory
from collaborations.models import Deliverable, LedgerEntry
from collaborations.tests.factories import (
    MP4_HEAD,
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

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def detail(collaboration):
    return reverse("collaborations:collaboration-detail", args=[collaboration.pk])


def page_of(client, collaboration):
    response = client.get(detail(collaboration))
    assert response.status_code == 200
    return response.content.decode()


def deliverable_section(page, position):
    match = re.search(rf'<section [^>]*data-testid="deliverable-{position}".*?</section>', page, re.S)
    assert match, f"no deliverable {position} on the page"
    return match.group(0)


def submit_data(item, **fields):
    return {f"d{item.pk}-{name}": value for name, value in fields.items()}


def test_before_acceptance_the_page_says_where_deliverables_come_from(client):
    collaboration = make_collaboration()
    send_terms(collaboration)
    client.force_login(collaboration.influencer)
    page = page_of(client, collaboration)
    assert "No deliverables yet: they are the ones in the terms, here once the influencer accepts them." in page


def test_the_influencer_sees_each_deliverable_with_its_due_date_and_a_submit_form(client):
    collaboration = make_active(deliverables=[deliverable(5, "reel", "Brew our chai"), deliverable(9, "story")])
    client.force_login(collaboration.influencer)
    page = page_of(client, collaboration)
    reel = deliverable_section(page, 1)
    due = timezone.localdate() + datetime.timedelta(days=5)
    assert "Brew our chai" in reel
    assert f"<dd>{due:%-d %b %Y}</dd>" in reel
    assert 'data-testid="deliverable-status">Pending<' in reel
    assert 'enctype="multipart/form-data"' in reel
    for label in ("Post URL", "Caption", "Draft file"):
        assert f">{label}</label>" in reel
    item = first_deliverable(collaboration)
    # The live warning: the labels on the caption field, the warning shown while it is empty.
    assert f'data-warning="id_d{item.pk}-caption-warning"' in reel
    assert "&quot;#ad&quot;" in reel
    assert re.search(r'data-testid="caption-warning">The caption has no disclosure label such as #ad', reel)
    assert "js/deliverables.js" in page
    assert "Submit each deliverable below" in page  # the next step


def test_submitting_from_the_page_with_a_draft_and_no_label_warns_and_the_vendor_reviews_it(client):
    collaboration = make_active()
    item = first_deliverable(collaboration)
    client.force_login(collaboration.influencer)
    response = client.post(
        reverse("collaborations:deliverable-submit", args=[item.pk]),
        submit_data(item, url="https://instagram.com/reel/abc/", caption="Chai time!", file=upload("look.png")),
        follow=True,
    )
    text = response.content.decode()
    assert "Round 1 submitted: the vendor reviews it next." in text
    assert "The caption has no disclosure label such as #ad" in text  # the message after submitting
    item.refresh_from_db()
    assert item.status == "submitted"
    submission = item.submissions.get()
    assert submission.missing_disclosure

    client.force_login(collaboration.vendor)
    page = page_of(client, collaboration)
    section = deliverable_section(page, 1)
    file_url = reverse("collaborations:submission-file", args=[submission.pk])
    assert f'<img class="draft" src="{file_url}"' in section
    assert 'href="https://instagram.com/reel/abc/"' in section
    assert "Chai time!" in section
    assert 'data-testid="disclosure-warning"' in section
    assert "Approve round 1" in section
    assert "3 of 3 requests for changes left." in section
    assert "Content is waiting for your review" in page


def test_a_video_draft_plays_inline(client):
    collaboration = make_active()
    item = first_deliverable(collaboration)
    submission = submit(item, url="", file=upload("reel.mp4", MP4_HEAD))
    client.force_login(collaboration.vendor)
    section = deliverable_section(page_of(client, collaboration), 1)
    assert f'<video class="draft" src="{reverse("collaborations:submission-file", args=[submission.pk])}"' in section


def test_a_bad_submission_comes_back_with_the_error_on_its_field(client):
    collaboration = make_active()
    item = first_deliverable(collaboration)
    client.force_login(collaboration.influencer)
    target = reverse("collaborations:deliverable-submit", args=[item.pk])
    response = client.post(target, submit_data(item, url="", caption="#ad"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Give the post&#x27;s URL or upload a draft file." in text
    response = client.post(target, submit_data(item, caption="#ad", file=upload("fake.png", b"GIF89a not really")))
    assert response.status_code == 400
    assert "The file&#x27;s content is not a png file" in response.content.decode()
    # The caption typed is kept, and with its label the warning starts hidden.
    assert re.search(r'data-testid="caption-warning" hidden>', response.content.decode())
    assert not item.submissions.exists()


def test_the_vendor_asks_for_changes_with_a_comment_and_the_influencer_sees_it(client):
    collaboration = make_active()
    item = first_deliverable(collaboration)
    submit(item)
    client.force_login(collaboration.vendor)
    target = reverse("collaborations:deliverable-request-changes", args=[item.pk])
    response = client.post(target, {f"d{item.pk}-comment": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = client.post(target, {f"d{item.pk}-comment": "Show the tin"}, follow=True)
    assert "Sent back with your comment (2 more requests left)." in response.content.decode()
    client.force_login(collaboration.influencer)
    section = deliverable_section(page_of(client, collaboration), 1)
    assert "The vendor asked for changes: “Show the tin”. Submit a new round." in section
    assert 'data-testid="deliverable-status">Changes requested<' in section
    assert 'data-testid="revisions">1 of 3<' in section


def test_past_the_revision_limit_the_vendor_can_only_approve(client, settings):
    settings.COLLAB_MAX_REVISIONS = 1
    collaboration = make_active()
    item = first_deliverable(collaboration)
    submit(item)
    ask_changes(item)
    submit(item)
    client.force_login(collaboration.vendor)
    section = deliverable_section(page_of(client, collaboration), 1)
    assert "You asked for changes 1 time, the most allowed" in section
    assert "Ask for changes" not in section
    response = client.post(
        reverse("collaborations:deliverable-request-changes", args=[item.pk]), {f"d{item.pk}-comment": "Again"}
    )
    assert response.status_code == 400
    assert "the most allowed (1): approve this round, or cancel the collaboration." in response.content.decode()
    assert "Earlier rounds (1)" in section


def test_approving_every_deliverable_then_marking_it_completed(client):
    collaboration = make_active(deliverables=[deliverable(5), deliverable(6, "post")], fee=Decimal("2500.00"))
    reel, post = first_deliverable(collaboration, 1), first_deliverable(collaboration, 2)
    submit(reel)
    submit(post)
    client.force_login(collaboration.vendor)
    response = client.post(reverse("collaborations:deliverable-approve", args=[reel.pk]), follow=True)
    assert "Approved." in response.content.decode()
    response = client.post(reverse("collaborations:deliverable-approve", args=[post.pk]), follow=True)
    page = response.content.decode()
    assert "Every deliverable is approved: you can mark it completed." in page
    assert "Every deliverable is approved: the fee of" in page
    assert "2,500.00" in page
    assert "Mark completed" in page
    assert LedgerEntry.objects.filter(collaboration=collaboration, kind="fee").count() == 1

    client.force_login(collaboration.influencer)
    influencer_page = page_of(client, collaboration)
    assert "Every deliverable is approved" in influencer_page
    assert "Mark completed" not in influencer_page
    assert client.post(reverse("collaborations:collaboration-complete", args=[collaboration.pk])).status_code == 403

    client.force_login(collaboration.vendor)
    response = client.post(reverse("collaborations:collaboration-complete", args=[collaboration.pk]), follow=True)
    page = response.content.decode()
    assert "The collaboration is completed." in page
    assert "This collaboration is completed. Sales with the referral code keep earning commission." in page
    response = client.post(reverse("collaborations:collaboration-complete", args=[collaboration.pk]), follow=True)
    assert "Only an approved collaboration" in response.content.decode()


def test_overdue_deliverables_are_flagged_on_both_sides(client):
    collaboration = make_active(deliverables=[deliverable(5), deliverable(6, "post")])
    Deliverable.objects.filter(collaboration=collaboration, position=2).update(
        due_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    for user in (collaboration.vendor, collaboration.influencer):
        client.force_login(user)
        page = page_of(client, collaboration)
        assert 'data-testid="overdue"' not in deliverable_section(page, 1)
        assert 'data-testid="overdue">Overdue<' in deliverable_section(page, 2)
        assert 'data-testid="overdue-count">1 overdue<' in page


def test_only_the_parties_and_staff_read_a_draft_file(client, settings):
    collaboration = make_active()
    content = image_bytes("JPEG")
    submission = submit(first_deliverable(collaboration), file=upload("draft.jpg", content))
    target = reverse("collaborations:submission-file", args=[submission.pk])
    for user in (collaboration.vendor, collaboration.influencer, AdminFactory()):
        client.force_login(user)
        response = client.get(target)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Content-Disposition"].startswith("inline")
        assert b"".join(response.streaming_content) == content
    for stranger in (VendorFactory(), InfluencerFactory()):
        client.force_login(stranger)
        assert client.get(target).status_code == 404
    client.force_login(collaboration.vendor)
    assert client.get(f"/{settings.MEDIA_URL}{submission.file.name}").status_code == 404  # no public URL
    client.logout()
    assert client.get(target)["Location"].startswith(reverse("login"))


def test_the_wrong_side_is_403_and_strangers_404(client):
    collaboration = make_active()
    item = first_deliverable(collaboration)
    client.force_login(collaboration.vendor)
    submit_url = reverse("collaborations:deliverable-submit", args=[item.pk])
    assert client.post(submit_url, submit_data(item, url="https://example.com/p/1")).status_code == 403
    submit(item)
    client.force_login(collaboration.influencer)
    assert client.post(reverse("collaborations:deliverable-approve", args=[item.pk])).status_code == 403
    changes_url = reverse("collaborations:deliverable-request-changes", args=[item.pk])
    assert client.post(changes_url, {f"d{item.pk}-comment": "x"}).status_code == 403
    client.force_login(VendorFactory())
    for name in ("deliverable-detail",):
        assert client.get(reverse(f"collaborations:{name}", args=[item.pk])).status_code == 404
    for name in ("deliverable-submit", "deliverable-approve", "deliverable-request-changes"):
        assert client.post(reverse(f"collaborations:{name}", args=[item.pk])).status_code == 404
    assert client.post(reverse("collaborations:collaboration-complete", args=[collaboration.pk])).status_code == 404
    item.refresh_from_db()
    assert item.status == "submitted"


def test_a_deliverables_own_page_shows_it_with_its_rounds(client):
    collaboration = make_active()
    item = first_deliverable(collaboration)
    submit(item, caption="First try #ad")
    ask_changes(item, "Closer shot")
    submit(item, caption="Second try #ad")
    client.force_login(collaboration.vendor)
    page = client.get(reverse("collaborations:deliverable-detail", args=[item.pk])).content.decode()
    assert "Second try #ad" in page
    assert "Earlier rounds (1)" in page
    assert "First try #ad" in page
    assert "Changes requested: “Closer shot”" in page


def test_the_detail_page_query_count_does_not_grow_with_deliverables(client, django_assert_max_num_queries):
    collaboration = make_active(deliverables=[deliverable(5)])
    client.force_login(collaboration.vendor)
    with django_assert_max_num_queries(40) as few:
        client.get(detail(collaboration))
    bigger = make_active(vendor=collaboration.vendor, deliverables=[deliverable(5 + i, "post") for i in range(5)])
    for position in (1, 2):
        submit(first_deliverable(bigger, position), file=upload())
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(detail(bigger)).content.decode()
    assert 'data-testid="deliverable-5"' in page


def test_a_video_draft_is_served_in_byte_ranges_for_phone_players(client):
    collaboration = make_active()
    content = MP4_HEAD + bytes(range(60))
    submission = submit(first_deliverable(collaboration), file=upload("reel.mp4", content))
    target = reverse("collaborations:submission-file", args=[submission.pk])
    client.force_login(collaboration.influencer)
    whole = client.get(target)
    assert (whole.status_code, whole["Accept-Ranges"], whole["Content-Type"]) == (200, "bytes", "video/mp4")
    part = client.get(target, HTTP_RANGE="bytes=4-11")
    assert (part.status_code, part["Content-Range"], part["Content-Length"]) == (206, f"bytes 4-11/{len(content)}", "8")
    assert b"".join(part.streaming_content) == b"ftypmp42"
    tail = client.get(target, HTTP_RANGE="bytes=-5")
    assert b"".join(tail.streaming_content) == content[-5:]
    past = client.get(target, HTTP_RANGE=f"bytes={len(content)}-")
    assert (past.status_code, past["Content-Range"]) == (416, f"bytes */{len(content)}")
    assert b"".join(client.get(target, HTTP_RANGE="bytes=nonsense").streaming_content) == content


def test_a_draft_gone_from_storage_is_a_404_not_a_500(client):
    collaboration = make_active()
    submission = submit(first_deliverable(collaboration), file=upload())
    submission.file.storage.delete(submission.file.name)
    client.force_login(collaboration.vendor)
    assert client.get(reverse("collaborations:submission-file", args=[submission.pk])).status_code == 404
