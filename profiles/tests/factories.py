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
