import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory
from collaborations.models import Collaboration
from collaborations.tests.factories import make_collaboration, send_terms

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
