"""The data migration gives every application accepted before collaborations existed its
collaboration (stage ``new``), and only those."""

import datetime

import pytest
from django.utils import timezone

from anwariya.tests.migrating import latest, migrate

BEFORE = [("collaborations", "0001_collaboration_and_terms")]
AFTER = [("collaborations", "0002_collaborations_for_accepted_applications")]

pytestmark = pytest.mark.django_db(transaction=True)


def test_existing_accepted_applications_get_a_new_collaboration_each():
    try:
        apps = migrate(BEFORE)
        User = apps.get_model("accounts", "User")
        Campaign = apps.get_model("campaigns", "Campaign")
        Application = apps.get_model("campaigns", "Application")
        vendor = User.objects.create(email="shop@example.com", role="vendor", display_name="Asha")
        today = timezone.localdate()
        campaign = Campaign.objects.create(
            vendor=vendor,
            title="Monsoon teas",
            description="d",
            budget="1000.00",
            start_date=today,
            end_date=today + datetime.timedelta(days=9),
            status="open",
        )
        decided = timezone.now() - datetime.timedelta(days=3)
        made = {}
        for index, status in enumerate(["accepted", "accepted", "pending", "rejected", "invited"]):
            influencer = User.objects.create(email=f"i{index}@example.com", role="influencer", display_name=f"I{index}")
            application = Application.objects.create(
                campaign=campaign,
                influencer=influencer,
                status=status,
                message="hi",
                referral_code=f"CODE{index}" if status == "accepted" else None,
                decided_at=decided if status != "pending" else None,
            )
            made[application.pk] = status

        apps = migrate(AFTER)
        Collaboration = apps.get_model("collaborations", "Collaboration")
        rows = list(
            Collaboration.objects.order_by("application_id").values(
                "application_id", "campaign_id", "vendor_id", "influencer_id", "stage", "created_at"
            )
        )
        accepted = sorted(pk for pk, status in made.items() if status == "accepted")
        assert [row["application_id"] for row in rows] == accepted
        Application = apps.get_model("campaigns", "Application")
        for row in rows:
            application = Application.objects.get(pk=row["application_id"])
            assert row["stage"] == "new"
            assert (row["campaign_id"], row["vendor_id"], row["influencer_id"]) == (
                campaign.pk,
                vendor.pk,
                application.influencer_id,
            )
            assert row["created_at"] == decided

        # Backwards removes what it made (no terms yet), and forwards again makes them again.
        apps = migrate(BEFORE)
        assert apps.get_model("collaborations", "Collaboration").objects.count() == 0
        apps = migrate(AFTER)
        assert apps.get_model("collaborations", "Collaboration").objects.count() == 2
    finally:
        migrate(latest())
