"""Profile reads: a user's time zone and the influencer directory."""

import zoneinfo

from django.conf import settings
from django.db.models import QuerySet

from accounts.models import Role, User


def user_time_zone(user: User) -> zoneinfo.ZoneInfo:
    """The zone a user sees times and days in: a vendor's profile setting, else the platform's
    ``TIME_ZONE`` (influencers, staff, a vendor without one, a zone name that is no more)."""
    profile = getattr(user, "vendor_profile", None)
    name = (profile.time_zone if profile else "") or settings.TIME_ZONE
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def influencers_directory() -> QuerySet[User]:
    """Active influencers with their profiles, for vendors to browse."""
    return (
        User.objects.filter(role=Role.INFLUENCER, is_active=True)
        .select_related("influencer_profile")
        .prefetch_related("influencer_profile__niches", "influencer_profile__content_formats")
        .order_by("display_name", "pk")
    )
