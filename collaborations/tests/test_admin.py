from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from collaborations.models import Collaboration, Deliverable, LedgerEntry, Shipment
from collaborations.tests.factories import (
    first_deliverable,
    make_active,
    make_active_collaboration,
    make_collaboration,
    make_shipment,
    send_terms,
    submit,
    upload,
)

pytestmark = pytest.mark.django_db


def test_staff_see_collaborations_and_terms_read_only(client):
    collaboration = make_collaboration()
    terms = send_terms(collaboration)
    client.force_login(AdminFactory())
    listing = client.get(reverse("admin:collaborations_collaboration_changelist"))
    assert collaboration.campaign.title in listing.content.decode()
    page = client.get(reverse("admin:collaborations_termsversion_change", args=[terms.pk])).content.decode()
    assert "5000.00" in page
    assert 'name="fee"' not in page  # money is read-only
    assert client.get(reverse("admin:collaborations_collaboration_add")).status_code == 403


def test_admin_cancel_action_goes_through_the_service(client):
    open_one = make_collaboration()
    done = make_collaboration()
    done.stage = Collaboration.Stage.COMPLETED
    done.save(update_fields=["stage"])
    client.force_login(AdminFactory())
    response = client.post(
        reverse("admin:collaborations_collaboration_changelist"),
        {"action": "cancel_collaborations", "_selected_action": [open_one.pk, done.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "Cancelled (on the vendor" in text
    assert "can no longer be cancelled" in text
    open_one.refresh_from_db()
    assert open_one.stage == "cancelled"
    assert open_one.cancelled_by_id == open_one.vendor_id
    assert Collaboration.objects.get(pk=done.pk).stage == "completed"


def test_staff_see_shipments_read_only_and_move_them_with_actions_through_the_service(client):
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor, quantity=4)
    ready = make_shipment(collaboration, (tea, 1), carrier="DTDC", tracking_number="D42")
    untracked = make_shipment(collaboration, (tea, 2))
    client.force_login(AdminFactory())
    changelist = reverse("admin:collaborations_shipment_changelist")
    assert str(ready) in client.get(changelist).content.decode()
    page = client.get(reverse("admin:collaborations_shipment_change", args=[ready.pk])).content.decode()
    assert "D42" in page
    assert "60.00" in page
    assert 'name="cost"' not in page  # money is read-only
    assert 'name="status"' not in page  # a state the service owns
    assert client.get(reverse("admin:collaborations_shipment_add")).status_code == 403

    response = client.post(
        changelist, {"action": "mark_shipped", "_selected_action": [ready.pk, untracked.pk]}, follow=True
    )
    text = response.content.decode()
    assert f"{ready}: Shipped (on the vendor" in text
    assert f"{untracked}: A shipped gift needs its carrier and tracking number." in text
    assert Shipment.objects.get(pk=ready.pk).status == "shipped"
    assert Shipment.objects.get(pk=untracked.pk).status == "preparing"

    client.post(changelist, {"action": "mark_returned", "_selected_action": [untracked.pk]})
    assert Shipment.objects.get(pk=untracked.pk).status == "returned"
    assert Product.objects.get(pk=tea.pk).quantity == 3
    items = client.get(reverse("admin:collaborations_shipmentitem_changelist")).content.decode()
    assert tea.name in items


def test_staff_see_deliverables_and_rounds_read_only_with_a_private_draft_link(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    collaboration = make_active()
    item = first_deliverable(collaboration)
    submission = submit(item, caption="Chai #ad", file=upload("look.png"))
    client.force_login(AdminFactory())
    page = client.get(reverse("admin:collaborations_deliverable_change", args=[item.pk])).content.decode()
    assert "Chai #ad" in page
    assert reverse("collaborations:submission-file", args=[submission.pk]) in page
    assert 'name="status"' not in page
    assert 'name="brief"' not in page
    page = client.get(reverse("admin:collaborations_submission_change", args=[submission.pk])).content.decode()
    assert 'name="caption"' not in page
    assert client.get(reverse("admin:collaborations_deliverable_add")).status_code == 403
    assert client.get(reverse("admin:collaborations_submission_add")).status_code == 403


def test_admin_approve_and_complete_actions_go_through_the_services(client):
    collaboration = make_active(fee=Decimal("1200.00"))
    waiting, pending = first_deliverable(collaboration), first_deliverable(make_active())
    submit(waiting)
    client.force_login(AdminFactory())
    response = client.post(
        reverse("admin:collaborations_deliverable_changelist"),
        {"action": "approve_deliverables", "_selected_action": [waiting.pk, pending.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "Approved (on the vendor" in text
    assert "Nothing can be reviewed now" in text
    assert Deliverable.objects.get(pk=waiting.pk).status == "approved"
    assert Deliverable.objects.get(pk=pending.pk).status == "pending"
    assert LedgerEntry.objects.get(collaboration=collaboration).payable == Decimal("1200.00")
    response = client.post(
        reverse("admin:collaborations_collaboration_changelist"),
        {"action": "complete_collaborations", "_selected_action": [collaboration.pk]},
        follow=True,
    )
    assert "Marked completed (on the vendor" in response.content.decode()
    assert Collaboration.objects.get(pk=collaboration.pk).stage == "completed"
