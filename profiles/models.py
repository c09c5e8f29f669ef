"""Who the users are to each other: influencer and vendor profiles, and the managed lists
(niches, content formats) they pick from.

The tables keep the names they had in ``campaigns`` (``db_table``): the models moved, the data
did not.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


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
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "campaigns_vendorprofile"

    def __str__(self):
        return f"Profile of {self.user}"
