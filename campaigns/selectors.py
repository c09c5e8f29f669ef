"""Campaign reads, each scoped to what the user may see."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from campaigns.models import Application, Campaign


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


def applications_of_campaign(user: User, campaign: Campaign) -> QuerySet[Application]:
    """A campaign's applications and invitations, newest first, as ``user`` may see them: all of
    them for the campaign's vendor, none for anyone else (the API answers them 403)."""
    return (
        Application.objects.filter(campaign_id=campaign.pk, campaign__vendor_id=user.pk)
        .select_related("influencer", "influencer__influencer_profile")
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


# --- A user's data export (accounts.hooks) ------------------------------------------------


def _application_export(application: Application, *, other) -> dict:
    return {
        "id": application.pk,
        "kind": application.kind,
        "status": application.status,
        "message": application.message,
        "referral_code": application.referral_code,
        "created_at": application.created_at,
        "decided_at": application.decided_at,
        **other,
    }


def campaigns_export(user: User) -> list[dict]:
    """A vendor's campaigns, each with its applications and invitations (the influencer by the
    name the vendor sees); empty for anyone else."""
    if user.role != Role.VENDOR:
        return []
    applications = Application.objects.select_related("influencer").order_by("created_at", "pk")
    campaigns = (
        Campaign.objects.filter(vendor=user)
        .select_related("product")
        .prefetch_related("niches", Prefetch("applications", queryset=applications))
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": campaign.pk,
            "title": campaign.title,
            "description": campaign.description,
            "deliverables": campaign.deliverables,
            "budget": campaign.budget,
            "start_date": campaign.start_date,
            "end_date": campaign.end_date,
            "status": campaign.status,
            "product": campaign.product.name if campaign.product else None,
            "niches": [niche.name for niche in campaign.niches.all()],
            "created_at": campaign.created_at,
            "opened_at": campaign.opened_at,
            "closed_at": campaign.closed_at,
            "applications": [
                _application_export(application, other={"influencer": application.influencer.public_name})
                for application in campaign.applications.all()
            ],
        }
        for campaign in campaigns
    ]


def campaigns_export_rows(user: User) -> int:
    if user.role != Role.VENDOR:
        return 0
    return Campaign.objects.filter(vendor=user).count() + Application.objects.filter(campaign__vendor=user).count()


def applications_export(user: User) -> list[dict]:
    """An influencer's applications and invitations with their referral codes (the campaign by
    its title and vendor's public name); empty for anyone else."""
    if user.role != Role.INFLUENCER:
        return []
    applications = (
        Application.objects.filter(influencer=user)
        .select_related("campaign", "campaign__vendor")
        .order_by("created_at", "pk")
    )
    return [
        _application_export(
            application,
            other={
                "campaign": {
                    "id": application.campaign_id,
                    "title": application.campaign.title,
                    "vendor": application.campaign.vendor.public_name,
                }
            },
        )
        for application in applications
    ]


def applications_export_rows(user: User) -> int:
    return Application.objects.filter(influencer=user).count() if user.role == Role.INFLUENCER else 0
