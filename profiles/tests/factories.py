import factory

from accounts.tests.factories import InfluencerFactory, VendorFactory
from profiles import services
from profiles.models import ContentFormat, Niche, VendorProfile


def niche(slug):
    """A niche of the managed list (seeded by a migration)."""
    return Niche.objects.get(slug=slug)


def content_format(slug):
    """A content format of the managed list (seeded by a migration)."""
    return ContentFormat.objects.get(slug=slug)


class InfluencerProfileFactory(factory.Factory):
    """An influencer's profile, made through the service; ``niches`` and ``content_formats`` take slugs."""

    class Meta:
        model = dict

    user = factory.SubFactory(InfluencerFactory)

    @classmethod
    def _create(cls, model_class, user, niches=(), content_formats=(), **fields):
        return services.influencer_profile_update(
            user=user,
            niches=[niche(slug) for slug in niches],
            content_formats=[content_format(slug) for slug in content_formats],
            **fields,
        )

    _build = _create


class VendorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VendorProfile

    user = factory.SubFactory(VendorFactory)


# GSTINs whose check characters are right (python-stdnum computes the same): one business (its
# PAN) registered in Maharashtra and in Karnataka, and another in Karnataka.
GSTIN_MAHARASHTRA = "27AAPFU0939F1ZV"
GSTIN_KARNATAKA = "29AAPFU0939F1ZR"
GSTIN_KARNATAKA_BUYER = "29AABCU9603R1ZJ"


def gst_vendor(*, state="27", gstin=GSTIN_MAHARASHTRA, registration_type="regular", **fields):
    """A vendor registered under GST (regular: tax invoices), made through the profile service."""
    vendor = VendorFactory(business_name=fields.pop("business_name", "Chai & Co"))
    services.vendor_profile_update(
        user=vendor,
        legal_name=fields.pop("legal_name", "Chai and Company LLP"),
        address=fields.pop("address", "12 Tilak Road, Pune 411002"),
        state=state,
        registration_type=registration_type,
        gstin=gstin,
        **fields,
    )
    return vendor
