"""A vendor's GST details: checked together by the profile service, on the page, API and admin."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.tests.factories import AdminFactory, VendorFactory
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import assert_matches
from profiles import services
from profiles.gst import gstin_problem, state_label, state_tax_name
from profiles.models import VendorProfile
from profiles.tests.factories import GSTIN_KARNATAKA, GSTIN_MAHARASHTRA, gst_vendor

pytestmark = pytest.mark.django_db

PROFILE = "/api/v1/profile/"


def picture(kind="PNG", size=(120, 60), name="logo.png"):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 20)).save(out, kind)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{kind.lower()}")


# --- GSTINs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("27AAPFU0939F1ZV", None),
        ("27aapfu0939f1zv", None),  # compacted and upper-cased first
        ("27 AAPFU 0939F 1ZV", None),
        ("27AAPFU0939F1ZO", "check character"),
        ("27AAPFU0939F1Z", "15 characters"),
        ("2XAAPFU0939F1ZV", "2 digits"),
        ("27AAPFU0939F0ZV", "not a valid GSTIN"),  # 13th character 0
        ("38AAPFU0939F1ZS", None),  # Ladakh: python-stdnum does not list 38; its checksum decides
        ("38AAPFU0939F1ZA", "check character"),
    ],
)
def test_gstin_problem_checks_with_python_stdnum(value, problem):
    found = gstin_problem(value)
    if problem is None:
        assert found is None
    else:
        assert problem in found


def test_state_labels_and_the_state_tax_of_union_territories():
    assert state_label("27") == "Maharashtra (27)"
    assert state_label("97") == "Other Territory (97)"
    assert (state_tax_name("27"), state_tax_name("04")) == ("SGST", "UTGST")


# --- The service ----------------------------------------------------------------------------------


def test_a_regular_vendor_gives_legal_name_address_state_and_a_gstin_of_that_state():
    vendor = VendorFactory()
    with pytest.raises(services.ProfileError) as refused:
        services.vendor_profile_update(user=vendor, registration_type="regular")
    assert set(refused.value.errors) == {"legal_name", "address", "state", "gstin"}

    with pytest.raises(services.ProfileError) as refused:
        services.vendor_profile_update(
            user=vendor, registration_type="regular", legal_name="Chai LLP", address="Pune", state="29",
            gstin=GSTIN_MAHARASHTRA,
        )  # fmt: skip
    assert refused.value.errors == {"gstin": ["A GSTIN of Karnataka (29) starts with 29."]}

    profile = services.vendor_profile_update(
        user=vendor, registration_type="regular", legal_name="Chai LLP", address="Pune", state="27",
        gstin=" 27aapfu0939f1zv ", prices_include_tax=True, invoice_prefix="ck",
    )  # fmt: skip
    profile.refresh_from_db()
    assert (profile.gstin, profile.invoice_prefix, profile.prices_include_tax) == (GSTIN_MAHARASHTRA, "CK", True)


def test_checks_apply_to_the_profile_as_it_will_stand_after_a_partial_change():
    vendor = gst_vendor(state="27", gstin=GSTIN_MAHARASHTRA)
    with pytest.raises(services.ProfileError) as refused:
        services.vendor_profile_update(user=vendor, state="29")  # the GSTIN still says 27
    assert "gstin" in refused.value.errors
    services.vendor_profile_update(user=vendor, state="29", gstin=GSTIN_KARNATAKA)
    assert VendorProfile.objects.get(user=vendor).state == "29"

    with pytest.raises(services.ProfileError) as refused:
        services.vendor_profile_update(user=vendor, registration_type="unregistered")
    assert refused.value.errors == {"registration_type": ["You gave a GSTIN: choose regular or composition."]}
    services.vendor_profile_update(user=vendor, registration_type="unregistered", gstin="")
    assert VendorProfile.objects.get(user=vendor).registration_type == "unregistered"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("logo.png", b"not a picture"), "not a picture"),
        (picture("GIF", name="logo.gif"), "PNG or JPEG"),
        (picture(size=(2400, 100)), "2400×100 pixels"),
        (SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (1024 * 1024 + 1)), "larger than 1 MB"),
    ],
)
def test_a_logo_is_a_png_or_jpeg_of_sensible_size(upload, message):
    vendor = VendorFactory()
    with pytest.raises(services.ProfileError) as refused:
        services.vendor_profile_update(user=vendor, logo=upload)
    assert message in refused.value.errors["logo"][0]
    assert not VendorProfile.objects.get(user=vendor).logo


def test_a_logo_is_stored_under_a_name_of_ours_and_removed_with_none(django_capture_on_commit_callbacks):
    vendor = VendorFactory()
    profile = services.vendor_profile_update(user=vendor, logo=picture("JPEG", name="../../evil name.png"))
    stored = profile.logo.name
    assert stored.startswith("logos/")
    assert stored.endswith(f"vendor-{vendor.pk}.jpg")
    assert profile.logo.storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        profile = services.vendor_profile_update(user=vendor, logo=None)
    assert not profile.logo
    assert not profile.logo.storage.exists(stored)


# --- API, page, admin --------------------------------------------------------------------------------


def test_the_profile_api_reads_and_writes_the_gst_details():
    vendor = VendorFactory()
    client = api_client(vendor)
    response = client.patch(
        PROFILE,
        {
            "legal_name": "Chai and Company LLP",
            "address": "12 Tilak Road, Pune",
            "state": "27",
            "registration_type": "regular",
            "gstin": GSTIN_MAHARASHTRA,
            "prices_include_tax": True,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert_matches(response, PROFILE, "patch")
    body = response.json()
    assert (body["state"], body["registration_type"], body["gstin"], body["prices_include_tax"]) == (
        "27", "regular", GSTIN_MAHARASHTRA, True,
    )  # fmt: skip
    assert body["logo"] is None

    response = client.patch(PROFILE, {"logo": picture()}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["logo"].endswith(f"vendor-{vendor.pk}.png")
    assert client.patch(PROFILE, {"logo": None}, format="json").json()["logo"] is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"state": "25"}, "state"),
        ({"state": "27", "registration_type": "regular", "gstin": "27AAPFU0939F1ZO"}, "gstin"),
        ({"registration_type": "sometimes"}, "registration_type"),
        ({"gstin": "27AAPFU0939F1ZV1"}, "gstin"),
        ({"invoice_prefix": "AB/"}, "invoice_prefix"),
        ({"logo": "a string, not a file"}, "logo"),
    ],
)
def test_bad_gst_details_are_400_naming_the_field(payload, field):
    assert_error(api_client(VendorFactory()).patch(PROFILE, payload, format="json"), 400, field)


def test_the_profile_page_saves_gst_details_and_a_logo(client):
    vendor = VendorFactory()
    client.force_login(vendor)
    data = {
        "display_name": "Asha",
        "business_name": "Chai & Co",
        "legal_name": "Chai and Company LLP",
        "address": "12 Tilak Road, Pune",
        "state": "27",
        "registration_type": "regular",
        "gstin": "27AAPFU0939F1ZO",
    }
    page = client.post(reverse("profiles:profile"), data).content.decode()
    assert "check character does not match" in page
    response = client.post(reverse("profiles:profile"), {**data, "gstin": GSTIN_MAHARASHTRA, "logo": picture()})
    assert response.status_code == 302
    profile = VendorProfile.objects.get(user=vendor)
    assert (profile.gstin, profile.state, bool(profile.logo)) == (GSTIN_MAHARASHTRA, "27", True)
    page = client.get(reverse("profiles:profile")).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert '<option value="27" selected>Maharashtra</option>' in page
    assert profile.logo.url in page


def test_the_admin_checks_gst_details_through_the_service(client):
    profile = VendorProfile.objects.get(user=gst_vendor())
    client.force_login(AdminFactory())
    url = reverse("admin:profiles_vendorprofile_change", args=[profile.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if name != "logo"}
    data = {name: value for name, value in data.items() if value is not None}
    response = client.post(url, {**data, "state": "29"})
    assert response.status_code == 200
    assert "starts with 29" in response.context["adminform"].form.errors["gstin"][0]
    assert client.post(url, {**data, "state": "29", "gstin": GSTIN_KARNATAKA}).status_code == 302
    profile.refresh_from_db()
    assert (profile.state, profile.gstin) == ("29", GSTIN_KARNATAKA)
