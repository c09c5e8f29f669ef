from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from accounts.tests.factories import InfluencerFactory, VendorFactory
from anwariya.errors import Conflict, DomainError
from campaigns import services as campaign_services
from campaigns.models import Application
from campaigns.tests.factories import CampaignFactory
from catalog.tests.factories import ProductFactory
from chat.models import Chat, Message
from collaborations import services
from collaborations.models import Collaboration, TermsVersion
from collaborations.tests.factories import deliverable, make_collaboration, send_terms

pytestmark = pytest.mark.django_db


def test_accepting_an_application_opens_a_new_collaboration_with_the_pair_and_campaign():
    collaboration = make_collaboration()
    assert collaboration.stage == Collaboration.Stage.NEW
    assert collaboration.vendor_id == collaboration.campaign.vendor_id
    assert collaboration.influencer_id == collaboration.application.influencer_id
    assert collaboration.referral_code == collaboration.application.referral_code
    assert collaboration.tracking_path == f"/r/{collaboration.tracking_code}"
    assert len(collaboration.tracking_code) == 8


def test_an_invitation_becomes_a_collaboration_only_when_accepted(settings):
    settings.TOKEN_PRICE_CONTACT = 0
    campaign = CampaignFactory()
    influencer = InfluencerFactory()
    invitation = campaign_services.campaign_invite(campaign=campaign, vendor=campaign.vendor, influencer=influencer)
    assert not Collaboration.objects.exists()
    campaign_services.application_accept(application=invitation, actor=influencer)
    assert Collaboration.objects.get().application_id == invitation.pk


def test_rejected_application_has_no_collaboration():
    campaign = CampaignFactory()
    application = campaign_services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="Hi")
    campaign_services.application_reject(application=application, actor=campaign.vendor)
    assert not Collaboration.objects.exists()


def test_a_failing_collaboration_undoes_the_acceptance(monkeypatch):
    campaign = CampaignFactory()
    application = campaign_services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="Hi")

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Collaboration.objects, "get_or_create", broken)
    with pytest.raises(RuntimeError):
        campaign_services.application_accept(application=application, actor=campaign.vendor)
    application.refresh_from_db()
    assert application.status == Application.Status.PENDING


def test_vendor_sends_terms_then_influencer_accepts_and_it_is_active():
    collaboration = make_collaboration()
    product = ProductFactory(vendor=collaboration.vendor)
    terms = send_terms(collaboration, gifted_products=[product.pk])
    assert (terms.number, terms.status, terms.currency) == (1, "sent", "INR")
    assert list(terms.gifted_products.all()) == [product]
    assert terms.disclosure == "#ad"
    assert [d.kind for d in terms.deliverables.all()] == ["reel"]
    collaboration.refresh_from_db()
    assert collaboration.stage == "terms_sent"

    accepted = services.terms_accept(collaboration=collaboration, actor=collaboration.influencer, version=1)
    assert accepted.status == "accepted"
    assert accepted.accepted_at is not None
    collaboration.refresh_from_db()
    assert collaboration.stage == "active"


def test_sent_back_terms_return_to_new_and_the_next_version_is_two():
    collaboration = make_collaboration()
    send_terms(collaboration)
    rejected = services.terms_reject(collaboration=collaboration, actor=collaboration.influencer, comment="Fee too low")
    assert (rejected.status, rejected.comment) == ("rejected", "Fee too low")
    collaboration.refresh_from_db()
    assert collaboration.stage == "new"
    second = send_terms(collaboration, fee=Decimal("8000"))
    assert second.number == 2
    collaboration.refresh_from_db()
    assert collaboration.stage == "terms_sent"


def test_new_version_while_waiting_supersedes_the_old_and_accepting_the_old_is_refused():
    collaboration = make_collaboration()
    send_terms(collaboration)
    send_terms(collaboration, fee=Decimal("6000"))
    assert list(TermsVersion.objects.order_by("number").values_list("status", flat=True)) == ["superseded", "sent"]
    with pytest.raises(Conflict) as error:
        services.terms_accept(collaboration=collaboration, actor=collaboration.influencer, version=1)
    assert "version" in error.value.errors


def test_changing_accepted_terms_needs_acceptance_again_and_keeps_the_accepted_version():
    collaboration = make_collaboration()
    first = send_terms(collaboration)
    services.terms_accept(collaboration=collaboration, actor=collaboration.influencer)
    send_terms(collaboration, commission_rate=Decimal("12.5"))
    collaboration.refresh_from_db()
    first.refresh_from_db()
    assert collaboration.stage == "terms_sent"
    assert (first.status, first.commission_rate) == ("accepted", Decimal("10.00"))


def test_only_the_vendor_sends_and_only_the_influencer_answers():
    collaboration = make_collaboration()
    with pytest.raises(DomainError) as error:
        services.terms_send(
            collaboration=collaboration,
            actor=collaboration.influencer,
            deliverables=[deliverable()],
            fee=1,
            commission_rate=1,
        )
    assert error.value.status_code == 403
    send_terms(collaboration)
    with pytest.raises(DomainError) as error:
        services.terms_accept(collaboration=collaboration, actor=collaboration.vendor)
    assert error.value.status_code == 403


def test_accept_without_waiting_terms_is_a_conflict():
    collaboration = make_collaboration()
    with pytest.raises(Conflict):
        services.terms_accept(collaboration=collaboration, actor=collaboration.influencer)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"deliverables": []}, "deliverables"),
        ({"deliverables": [deliverable(days=-1)]}, "deliverables"),
        ({"deliverables": [deliverable(kind="tweet")]}, "deliverables"),
        ({"deliverables": [deliverable(brief="x" * 281)]}, "deliverables"),
        ({"fee": Decimal("-1")}, "fee"),
        ({"fee": "lots"}, "fee"),
        ({"commission_rate": Decimal("100.01")}, "commission_rate"),
        ({"commission_rate": Decimal("1.001")}, "commission_rate"),
        ({"usage_rights": "x" * 2001}, "usage_rights"),
    ],
)
def test_bad_terms_are_refused_naming_the_field_and_nothing_is_written(overrides, field):
    collaboration = make_collaboration()
    with pytest.raises(DomainError) as error:
        send_terms(collaboration, **overrides)
    assert field in error.value.errors
    assert not TermsVersion.objects.exists()
    collaboration.refresh_from_db()
    assert collaboration.stage == "new"


def test_gifted_products_must_be_the_vendors_own_and_active():
    collaboration = make_collaboration()
    other_vendors = ProductFactory(vendor=VendorFactory())
    with pytest.raises(DomainError) as error:
        send_terms(collaboration, gifted_products=[other_vendors.pk])
    assert str(other_vendors.pk) in error.value.errors["gifted_products"][0]
    inactive = ProductFactory(vendor=collaboration.vendor)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    with pytest.raises(DomainError):
        send_terms(collaboration, gifted_products=[inactive.pk])


def test_deliverable_errors_are_keyed_by_row():
    collaboration = make_collaboration()
    with pytest.raises(DomainError) as error:
        send_terms(collaboration, deliverables=[deliverable(), deliverable(days=-3)])
    assert error.value.errors["deliverables"] == {"1": {"due_date": ["The due date is in the past."]}}


def test_either_side_cancels_with_a_reason_and_cancelled_is_final():
    collaboration = make_collaboration()
    send_terms(collaboration)
    with pytest.raises(DomainError) as error:
        services.collaboration_cancel(collaboration=collaboration, actor=collaboration.influencer, reason=" ")
    assert "reason" in error.value.errors
    services.collaboration_cancel(collaboration=collaboration, actor=collaboration.influencer, reason="Moving abroad")
    collaboration.refresh_from_db()
    assert collaboration.stage == "cancelled"
    assert collaboration.cancelled_by_id == collaboration.influencer_id
    assert collaboration.cancel_reason == "Moving abroad"
    assert collaboration.cancelled_at is not None
    assert TermsVersion.objects.get().status == "superseded"  # no terms wait for an answer any more
    with pytest.raises(Conflict):
        services.collaboration_cancel(collaboration=collaboration, actor=collaboration.vendor, reason="Again")
    with pytest.raises(Conflict):
        send_terms(collaboration)


def test_a_stranger_cannot_cancel():
    collaboration = make_collaboration()
    with pytest.raises(DomainError) as error:
        services.collaboration_cancel(collaboration=collaboration, actor=VendorFactory(), reason="No")
    assert error.value.status_code == 403


def test_each_step_writes_a_line_in_the_pairs_chat_and_emails_the_other_side(django_capture_on_commit_callbacks):
    collaboration = make_collaboration()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_terms(collaboration)
    chat = Chat.objects.get(campaign=collaboration.campaign, influencer=collaboration.influencer)
    line = Message.objects.filter(chat=chat).latest("pk")
    assert line.sender_id == collaboration.vendor_id
    assert line.text.startswith("Terms v1 sent")
    assert [m.to for m in mail.outbox] == [[collaboration.influencer.email]]
    with django_capture_on_commit_callbacks(execute=True):
        services.terms_reject(collaboration=collaboration, actor=collaboration.influencer, comment="More time")
    line = Message.objects.filter(chat=chat).latest("pk")
    assert line.sender_id == collaboration.influencer_id
    assert "More time" in line.text
    assert mail.outbox[-1].to == [collaboration.vendor.email]


def test_due_today_is_allowed():
    collaboration = make_collaboration()
    terms = send_terms(collaboration, deliverables=[deliverable(days=0)])
    assert terms.deliverables.get().due_date == timezone.localdate()
