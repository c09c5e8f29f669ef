"""Every application accepted before collaborations existed gets one, at stage ``new`` (no terms yet)."""

from django.db import migrations
from django.utils import timezone


def create_collaborations(apps, schema_editor):
    Application = apps.get_model("campaigns", "Application")
    Collaboration = apps.get_model("collaborations", "Collaboration")
    accepted = (
        Application.objects.filter(status="accepted", collaboration__isnull=True)
        .select_related("campaign")
        .order_by("pk")
    )
    batch = []
    for application in accepted.iterator(chunk_size=500):
        when = application.decided_at or application.created_at or timezone.now()
        batch.append(
            Collaboration(
                application_id=application.pk,
                campaign_id=application.campaign_id,
                vendor_id=application.campaign.vendor_id,
                influencer_id=application.influencer_id,
                stage="new",
                created_at=when,
                updated_at=when,
            )
        )
        if len(batch) >= 500:
            Collaboration.objects.bulk_create(batch)
            batch = []
    Collaboration.objects.bulk_create(batch)


def remove_collaborations(apps, schema_editor):
    """Going back removes only collaborations that never got terms (those the forward step made)."""
    Collaboration = apps.get_model("collaborations", "Collaboration")
    Collaboration.objects.filter(stage="new", terms_versions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("collaborations", "0001_collaboration_and_terms"),
    ]

    operations = [migrations.RunPython(create_collaborations, remove_collaborations)]
