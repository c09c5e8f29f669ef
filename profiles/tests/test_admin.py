import pytest
from django.contrib.auth.models import Permission

from accounts.tests.factories import AdminFactory
from profiles.tests.factories import InfluencerProfileFactory, VendorProfileFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["niche", "contentformat", "influencerprofile", "vendorprofile"])
def test_the_admin_lists_each_profile_model_under_profiles(client, model):
    InfluencerProfileFactory(niches=["food"])
    VendorProfileFactory(time_zone="Asia/Dubai")
    client.force_login(AdminFactory())
    assert client.get(f"/admin/profiles/{model}/").status_code == 200
    assert Permission.objects.filter(content_type__app_label="profiles", codename=f"change_{model}").exists()
