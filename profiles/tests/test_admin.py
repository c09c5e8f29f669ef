import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.tests.factories import AdminFactory, VendorFactory
from profiles.tests.factories import InfluencerProfileFactory, VendorProfileFactory, niche

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["niche", "contentformat", "influencerprofile", "vendorprofile"])
def test_the_admin_lists_each_profile_model_under_profiles(client, model):
    InfluencerProfileFactory(niches=["food"])
    VendorProfileFactory(time_zone="Asia/Dubai")
    client.force_login(AdminFactory())
    assert client.get(f"/admin/profiles/{model}/").status_code == 200
    assert Permission.objects.filter(content_type__app_label="profiles", codename=f"change_{model}").exists()


# --- Writes go through the profile services ---------------------------------------------------


def change_form(client, profile, **changes):
    """The profile's admin change form as the page fills it, with ``changes``."""
    url = reverse(f"admin:profiles_{profile._meta.model_name}_change", args=[profile.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if not form.fields[name].widget.needs_multipart_form}
    data = {name: value for name, value in data.items() if value is not None}
    return url, {**data, **changes}


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


def test_admin_saves_a_vendor_profile_through_the_service(admin_client):
    profile = VendorProfileFactory(city="Pune")
    url, data = change_form(admin_client, profile, time_zone=" Asia/Kolkata ", city=" Mumbai ")
    assert admin_client.post(url, data).status_code == 302
    profile.refresh_from_db()
    assert (profile.time_zone, profile.city) == ("Asia/Kolkata", "Mumbai")  # stripped by the service


def test_admin_refuses_an_unknown_time_zone_on_its_field(admin_client):
    profile = VendorProfileFactory(time_zone="Asia/Dubai")
    url, data = change_form(admin_client, profile, time_zone="Mars/Olympus", city="Pune")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"time_zone": ["Choose a time zone such as Asia/Kolkata."]}
    profile.refresh_from_db()
    assert (profile.time_zone, profile.city) == ("Asia/Dubai", "")


def test_admin_influencer_profile_social_links_are_checked_by_the_service(admin_client):
    profile = InfluencerProfileFactory(niches=["food"], bio="Chai")
    url, data = change_form(admin_client, profile, social_links='{"myspace": "https://myspace.com/x"}', bio="Tea")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["social_links"]
    assert "Unknown network" in errors["social_links"][0]
    profile.refresh_from_db()
    assert (profile.bio, profile.social_links) == ("Chai", {})

    url, data = change_form(admin_client, profile, social_links='{"instagram": "https://instagram.com/x"}')
    data["niches"] = [niche("fashion").pk]
    assert admin_client.post(url, data).status_code == 302
    profile.refresh_from_db()
    assert profile.social_links == {"instagram": "https://instagram.com/x"}
    assert [n.slug for n in profile.niches.all()] == ["fashion"]


def test_admin_neither_adds_nor_deletes_profiles_and_keeps_the_user(admin_client):
    profile = VendorProfileFactory()
    other = VendorFactory()
    assert admin_client.get(reverse("admin:profiles_vendorprofile_add")).status_code == 403
    delete = reverse("admin:profiles_vendorprofile_delete", args=[profile.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    url, data = change_form(admin_client, profile, user=other.pk, city="Goa")
    assert admin_client.post(url, data).status_code == 302
    profile.refresh_from_db()
    assert profile.user_id != other.pk
    assert profile.city == "Goa"
