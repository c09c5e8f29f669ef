"""Campaign reads, each scoped to what the user may see."""

import zoneinfo

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from campaigns.models import Application, Campaign, InfluencerProfile


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


def influencer_profile_for(user: User) -> InfluencerProfile:
    profile, _ = InfluencerProfile.objects.get_or_create(user=user)
    return profile


def campaigns_visible_to(user: User) -> QuerySet[Campaign]:
    """Vendors see their own campaigns; influencers see open ones and those they are part of."""
    campaigns = Campaign.objects.select_related("vendor", "product").prefetch_related("niches")
    if user.role == Role.VENDOR:
        return campaigns.filter(vendor=user).annotate(
            application_count=Count("applications", filter=Q(applications__kind=Application.Kind.APPLICATION)),
            pending_count=Count("applications", filter=Q(applications__status=Application.Status.PENDING)),
        )
    if user.role == Role.INFLUENCER:
        return campaigns.filter(Q(status=Campaign.Status.OPEN) | Q(applications__influencer=user)).distinct()
    if user.is_staff:
        return campaigns
    return campaigns.none()


def campaign_for_user(user: User, pk) -> Campaign:
    """A campaign the user may see, or 404 (another vendor's draft does not exist for them)."""
    return get_object_or_404(campaigns_visible_to(user), pk=pk)


def applications_for_user(user: User) -> QuerySet[Application]:
    """Vendors: applications to their campaigns. Influencers: their own applications and invitations."""
    applications = Application.objects.select_related("campaign", "campaign__vendor", "influencer")
    if user.role == Role.VENDOR:
        return applications.filter(campaign__vendor=user)
    if user.role == Role.INFLUENCER:
        return applications.filter(influencer=user)
    return applications.none()


def application_for_user(user: User, pk) -> Application:
    return get_object_or_404(applications_for_user(user), pk=pk)


def applications_of_campaign(campaign: Campaign) -> QuerySet[Application]:
    return (
        campaign.applications.select_related("influencer", "influencer__influencer_profile")
        .prefetch_related(Prefetch("influencer__influencer_profile__niches"))
        .order_by("-created_at", "-pk")
    )


def referral_for_code(*, vendor: User, code: str) -> Application | None:
    """The accepted application behind a referral code, if it belongs to this vendor's campaign."""
    if not code:
        return None
    return (
        Application.objects.select_related("campaign", "influencer")
        .filter(referral_code__iexact=code.strip(), status=Application.Status.ACCEPTED, campaign__vendor=vendor)
        .first()
    )
