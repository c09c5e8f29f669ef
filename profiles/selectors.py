"""Profile reads: a user's time zone and the influencer directory."""

import zoneinfo

from django.conf import settings
from django.db.models import QuerySet

from accounts.models import Role, User
from profiles.models import InfluencerProfile, VendorProfile


def user_time_zone(user: User) -> zoneinfo.ZoneInfo:
    """The zone a user sees times and days in: a vendor's profile setting, else the platform's
    ``TIME_ZONE`` (influencers, staff, a vendor without one, a zone name that is no more)."""
    profile = getattr(user, "vendor_profile", None)
    name = (profile.time_zone if profile else "") or settings.TIME_ZONE
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def vendor_tax_profile(vendor: User) -> VendorProfile:
    """The vendor's business profile as invoices read it (an unsaved empty one, unregistered,
    for a vendor who never opened the profile page)."""
    return VendorProfile.objects.filter(user=vendor).first() or VendorProfile(user=vendor)


def influencers_directory() -> QuerySet[User]:
    """Active influencers with their profiles, for vendors to browse."""
    return (
        User.objects.filter(role=Role.INFLUENCER, is_active=True)
        .select_related("influencer_profile")
        .prefetch_related("influencer_profile__niches", "influencer_profile__content_formats")
        .order_by("display_name", "pk")
    )


def profile_export(user: User) -> dict | None:
    """The user's own profile for their data export (``accounts.hooks``), or None without one."""
    influencer = InfluencerProfile.objects.filter(user=user).prefetch_related("niches", "content_formats").first()
    if influencer is not None:
        return {
            "kind": "influencer",
            "niches": [niche.name for niche in influencer.niches.all()],
            "content_formats": [entry.name for entry in influencer.content_formats.all()],
            "follower_band": influencer.follower_band,
            "engagement_rate": influencer.engagement_rate,
            "bio": influencer.bio,
            "availability": influencer.availability,
            "social_links": influencer.social_links,
            "city": influencer.city,
            "country": influencer.country,
            "updated_at": influencer.updated_at,
        }
    vendor = VendorProfile.objects.filter(user=user).first()
    if vendor is not None:
        return {
            "kind": "vendor",
            "time_zone": vendor.time_zone,
            "website": vendor.website,
            "description": vendor.description,
            "city": vendor.city,
            "country": vendor.country,
            "legal_name": vendor.legal_name,
            "address": vendor.address,
            "state": vendor.state,
            "registration_type": vendor.registration_type,
            "gstin": vendor.gstin,
            "prices_include_tax": vendor.prices_include_tax,
            "invoice_prefix": vendor.invoice_prefix,
            "logo": vendor.logo.name,
            "updated_at": vendor.updated_at,
        }
    return None


def profile_export_rows(user: User) -> int:
    return 1
