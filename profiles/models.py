"""Who the users are to each other: influencer and vendor profiles, and the managed lists
(niches, content formats) they pick from.

The tables keep the names they had in ``campaigns`` (``db_table``): the models moved, the data
did not.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from profiles.gst import GstState, RegistrationType


class ManagedListEntry(models.Model):
    """An entry of a list the admins manage (niches, content formats): a name and its slug."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Niche(ManagedListEntry):
    """A topic influencers cover and campaigns target."""

    class Meta(ManagedListEntry.Meta):
        db_table = "campaigns_niche"


class ContentFormat(ManagedListEntry):
    """A kind of content an influencer makes: reels, posts, stories, videos, blogs…"""

    class Meta(ManagedListEntry.Meta):
        db_table = "campaigns_contentformat"


class FollowerBand(models.TextChoices):
    UNDER_1K = "0-1k", "Under 1k"
    K1_10 = "1k-10k", "1k–10k"
    K10_50 = "10k-50k", "10k–50k"
    K50_100 = "50k-100k", "50k–100k"
    K100_500 = "100k-500k", "100k–500k"
    K500_1M = "500k-1m", "500k–1M"
    M1_PLUS = "1m+", "1M+"


class Availability(models.TextChoices):
    AVAILABLE = "available", "Available for campaigns"
    LIMITED = "limited", "Limited availability"
    UNAVAILABLE = "unavailable", "Not taking campaigns"


SOCIAL_NETWORKS = ["instagram", "youtube", "tiktok", "x", "facebook", "linkedin", "blog", "other"]


class InfluencerProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="influencer_profile")
    # Its through tables are named after db_table: campaigns_influencerprofile_niches and _content_formats.
    niches = models.ManyToManyField(Niche, blank=True, related_name="influencers")
    follower_band = models.CharField(max_length=12, choices=FollowerBand.choices, blank=True)
    engagement_rate = models.DecimalField(
        "engagement rate %",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    bio = models.TextField(blank=True, max_length=2000)
    availability = models.CharField(max_length=12, choices=Availability.choices, default=Availability.AVAILABLE)
    content_formats = models.ManyToManyField(ContentFormat, blank=True, related_name="influencers")
    social_links = models.JSONField(default=dict, blank=True, help_text="Network name → profile URL.")
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "campaigns_influencerprofile"
        constraints = [
            models.CheckConstraint(
                condition=Q(engagement_rate__isnull=True) | Q(engagement_rate__gte=0, engagement_rate__lte=100),
                name="influencer_engagement_rate_0_to_100",
            )
        ]
        indexes = [models.Index(fields=["country", "follower_band"], name="influencer_country_band_idx")]

    def __str__(self):
        return f"Profile of {self.user}"


class VendorProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vendor_profile")
    time_zone = models.CharField(
        max_length=64, blank=True, help_text="Analytics buckets days in this zone; empty means the platform's."
    )
    website = models.URLField(blank=True)
    description = models.TextField(blank=True, max_length=2000)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    # What a tax invoice says of its supplier (CGST Rules, rule 46(a)); checked together by
    # ``profiles.services.vendor_profile_update``.
    legal_name = models.CharField(max_length=200, blank=True, help_text="The name the business is registered under.")
    address = models.TextField(max_length=500, blank=True, help_text="The business's registered address.")
    state = models.CharField(
        max_length=2, choices=GstState.choices, blank=True, help_text="The state of the address, by its GST code."
    )
    registration_type = models.CharField(
        max_length=12, choices=RegistrationType.choices, default=RegistrationType.UNREGISTERED
    )
    gstin = models.CharField("GSTIN", max_length=15, blank=True, help_text="Required when registered under GST.")
    prices_include_tax = models.BooleanField(
        default=False, help_text="Catalog prices already include GST (it is split back out on the invoice)."
    )
    invoice_prefix = models.CharField(
        max_length=3, blank=True, help_text="Up to 3 letters or digits before invoice numbers, e.g. ABC/26-27/000001."
    )
    logo = models.ImageField(
        upload_to="logos/%Y/", blank=True, help_text="Shown on invoices: PNG or JPEG, at most 1 MB."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "campaigns_vendorprofile"
        constraints = [
            # A registered business has its GSTIN, and the GSTIN starts with the state's code.
            models.CheckConstraint(
                condition=Q(registration_type=RegistrationType.UNREGISTERED, gstin="")
                | (~Q(registration_type=RegistrationType.UNREGISTERED) & ~Q(gstin="") & ~Q(state="")),
                name="vendor_gstin_when_registered",
            ),
        ]

    def __str__(self):
        return f"Profile of {self.user}"

    @property
    def is_gst_registered(self) -> bool:
        return self.registration_type != RegistrationType.UNREGISTERED
