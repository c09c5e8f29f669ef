"""Moving the profile models from ``campaigns`` to ``profiles`` keeps every row, and the content
types (so permissions and groups) move with them."""

import datetime

import pytest
from django.db import connection

from anwariya.tests.migrating import latest, migrate
from profiles.models import ContentFormat, InfluencerProfile, Niche, VendorProfile

# The last migrations before the move: campaigns owned the models, profiles did not exist.
BEFORE = [("campaigns", "0005_delivery_claimed_run"), ("profiles", None)]
MOVED = ("niche", "contentformat", "influencerprofile", "vendorprofile")

pytestmark = pytest.mark.django_db(transaction=True)


def make_old_rows(apps):
    """Rows as the code before the move wrote them, with its own (historical) models."""
    User = apps.get_model("accounts", "User")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Niche = apps.get_model("campaigns", "Niche")
    ContentFormat = apps.get_model("campaigns", "ContentFormat")
    InfluencerProfile = apps.get_model("campaigns", "InfluencerProfile")
    VendorProfile = apps.get_model("campaigns", "VendorProfile")
    Campaign = apps.get_model("campaigns", "Campaign")

    influencer = User.objects.create(email="ira@example.com", role="influencer", display_name="Ira")
    vendor = User.objects.create(email="shop@example.com", role="vendor", display_name="Asha")
    niche = Niche.objects.create(name="Chai", slug="chai")
    fmt = ContentFormat.objects.create(name="Threads", slug="threads")
    profile = InfluencerProfile.objects.create(
        user=influencer,
        follower_band="10k-50k",
        engagement_rate="4.50",
        country="India",
        social_links={"x": "https://x.com/ira"},
    )
    profile.niches.set([niche, Niche.objects.get(slug="food")])
    profile.content_formats.set([fmt])
    VendorProfile.objects.create(user=vendor, time_zone="Asia/Dubai", website="https://chai.example")
    campaign = Campaign.objects.create(
        vendor=vendor,
        title="Chai week",
        description="Tea.",
        deliverables="1 reel",
        budget="100.00",
        start_date=datetime.date(2026, 12, 1),
        end_date=datetime.date(2026, 12, 7),
    )
    campaign.niches.set([niche])

    # The old content types, as the admin knew them; a group holds a permission on one.
    ids = {}
    for model in MOVED:
        content_type = ContentType.objects.get(app_label="campaigns", model=model)
        ids[model] = content_type.pk
    editors = Group.objects.create(name="Niche editors")
    editors.permissions.add(Permission.objects.get(content_type_id=ids["niche"], codename="change_niche"))
    return ids


def test_the_move_keeps_rows_through_tables_and_permissions():
    try:
        old_apps = migrate(BEFORE)
        ids = make_old_rows(old_apps)
        migrate(latest())

        profile = InfluencerProfile.objects.get(user__email="ira@example.com")
        assert (profile.follower_band, str(profile.engagement_rate), profile.country) == ("10k-50k", "4.50", "India")
        assert profile.social_links == {"x": "https://x.com/ira"}
        assert sorted(profile.niches.values_list("slug", flat=True)) == ["chai", "food"]
        assert list(profile.content_formats.values_list("slug", flat=True)) == ["threads"]
        vendor_profile = VendorProfile.objects.get(user__email="shop@example.com")
        assert (vendor_profile.time_zone, vendor_profile.website) == ("Asia/Dubai", "https://chai.example")
        chai = Niche.objects.get(slug="chai")
        assert [c.title for c in chai.campaigns.all()] == ["Chai week"]
        assert ContentFormat.objects.filter(slug="threads").exists()

        from django.contrib.auth.models import Group
        from django.contrib.contenttypes.models import ContentType

        for model in MOVED:
            assert ContentType.objects.get(app_label="profiles", model=model).pk == ids[model]
            assert not ContentType.objects.filter(app_label="campaigns", model=model).exists()
        permission = Group.objects.get(name="Niche editors").permissions.get()
        assert (permission.content_type.app_label, permission.codename) == ("profiles", "change_niche")
    finally:
        migrate(latest())


def test_the_move_runs_backwards_too():
    try:
        old_apps = migrate(BEFORE)
        ids = make_old_rows(old_apps)
        migrate(latest())
        old_apps = migrate(BEFORE)

        profile = old_apps.get_model("campaigns", "InfluencerProfile").objects.get(user__email="ira@example.com")
        assert sorted(profile.niches.values_list("slug", flat=True)) == ["chai", "food"]
        ContentType = old_apps.get_model("contenttypes", "ContentType")
        for model in MOVED:
            assert ContentType.objects.get(app_label="campaigns", model=model).pk == ids[model]
    finally:
        migrate(latest())


def test_a_content_type_made_for_profiles_meanwhile_gives_way_to_the_old_one():
    """``migrate profiles 0001`` then post_migrate makes profiles' rows; the old ones, with their
    permissions, still win."""
    try:
        old_apps = migrate(BEFORE)
        ids = make_old_rows(old_apps)
        ContentType = old_apps.get_model("contenttypes", "ContentType")
        ContentType.objects.create(app_label="profiles", model="niche")
        migrate(latest())

        from django.contrib.contenttypes.models import ContentType as CurrentContentType

        assert CurrentContentType.objects.get(app_label="profiles", model="niche").pk == ids["niche"]
    finally:
        migrate(latest())


@pytest.mark.django_db
def test_the_tables_keep_their_names():
    tables = set(connection.introspection.table_names())
    names = {
        Niche._meta.db_table,
        ContentFormat._meta.db_table,
        InfluencerProfile._meta.db_table,
        InfluencerProfile.niches.through._meta.db_table,
        InfluencerProfile.content_formats.through._meta.db_table,
        VendorProfile._meta.db_table,
    }
    assert names == {
        "campaigns_niche",
        "campaigns_contentformat",
        "campaigns_influencerprofile",
        "campaigns_influencerprofile_niches",
        "campaigns_influencerprofile_content_formats",
        "campaigns_vendorprofile",
    }
    assert names <= tables
    assert not {table for table in tables if table.startswith("profiles_")}
