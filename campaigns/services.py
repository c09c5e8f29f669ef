"""Campaign writes: campaigns and their lifecycle, applications and invitations."""

import secrets
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from accounts.models import Role, User
from anwariya.errors import Conflict, DomainError
from campaigns.hooks import campaign_joined
from campaigns.models import LANDING_URL_MAX, Application, Campaign

MAX_BUDGET = Decimal("9999999999.99")
EARLIEST_DATE, LATEST_DATE = date(2000, 1, 1), date(2100, 12, 31)
REFERRAL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed


class CampaignError(DomainError):
    default_detail = "Please correct the highlighted fields."


class NotAllowed(DomainError):
    status_code = 403
    code = "permission_denied"


# --- Campaigns ---------------------------------------------------------------------------


def campaign_create(*, vendor: User, niches=(), **fields) -> Campaign:
    if vendor.role != Role.VENDOR:
        raise NotAllowed("Only vendors can create campaigns.")
    campaign = Campaign(vendor=vendor, **fields)
    _check_campaign(campaign)
    with transaction.atomic():
        campaign.save()
        campaign.niches.set(niches)
    return campaign


def campaign_update(*, campaign: Campaign, **fields) -> Campaign:
    """Edit a draft or open campaign. ``status`` moves it along draft → open → closed."""
    new_status = fields.pop("status", None)
    niches = fields.pop("niches", None)
    if campaign.status == Campaign.Status.CLOSED and (fields or niches is not None):
        raise Conflict("A closed campaign can no longer be edited.", errors={"status": ["Closed."]})
    with transaction.atomic():
        if fields or niches is not None:
            for key, value in fields.items():
                setattr(campaign, key, value)
            _check_campaign(campaign)
            if fields:
                campaign.save(update_fields=[*fields, "updated_at"])
            if niches is not None:
                campaign.niches.set(niches)
        if new_status is not None and new_status != campaign.status:
            if new_status == Campaign.Status.OPEN:
                campaign_open(campaign=campaign)
            elif new_status == Campaign.Status.CLOSED:
                campaign_close(campaign=campaign)
            else:
                raise Conflict("A campaign cannot go back to draft.", errors={"status": ["Cannot go back to draft."]})
    return campaign


def campaign_open(*, campaign: Campaign) -> Campaign:
    """Publish a draft so influencers can find it and apply."""
    if campaign.status != Campaign.Status.DRAFT:
        raise Conflict(
            f"Only a draft can be opened; this campaign is {campaign.status}.", errors={"status": ["Not a draft."]}
        )
    return _set_status(campaign, Campaign.Status.OPEN, opened_at=timezone.now())


def campaign_close(*, campaign: Campaign) -> Campaign:
    """Stop new applications. Pending ones can still be decided."""
    if campaign.status != Campaign.Status.OPEN:
        raise Conflict(
            f"Only an open campaign can be closed; this one is {campaign.status}.", errors={"status": ["Not open."]}
        )
    return _set_status(campaign, Campaign.Status.CLOSED, closed_at=timezone.now())


def campaign_delete(*, campaign: Campaign) -> None:
    if campaign.status != Campaign.Status.DRAFT:
        raise Conflict("Only drafts can be deleted; close the campaign instead.", errors={"status": ["Not a draft."]})
    try:
        with transaction.atomic():
            campaign.delete()
    except ProtectedError as error:
        # What apps above campaigns attach with on_delete=PROTECT (broadcasts) keeps the campaign:
        # the database's rule, reported here without campaigns knowing those apps.
        kinds = sorted({str(row._meta.verbose_name_plural) for row in error.protected_objects})
        raise Conflict(f"This campaign has {' and '.join(kinds)}; delete those drafts first.") from error


def _set_status(campaign, status, **stamps):
    updated = Campaign.objects.filter(pk=campaign.pk, status=campaign.status).update(
        status=status, updated_at=timezone.now(), **stamps
    )
    if not updated:
        raise Conflict("The campaign changed meanwhile; reload and try again.")
    campaign.status = status
    for key, value in stamps.items():
        setattr(campaign, key, value)
    return campaign


def _check_campaign(campaign: Campaign) -> None:
    errors = {}
    campaign.title = (campaign.title or "").strip()
    if not campaign.title:
        errors["title"] = ["This field is required."]
    if not (campaign.description or "").strip():
        errors["description"] = ["This field is required."]
    if not (campaign.deliverables or "").strip():
        errors["deliverables"] = ["Say what the influencer delivers."]
    if campaign.budget is None or not Decimal(0) <= campaign.budget <= MAX_BUDGET:
        errors["budget"] = [f"Must be from 0 to {MAX_BUDGET:,}."]
    if not isinstance(campaign.start_date, date):
        errors["start_date"] = ["This field is required."]
    elif not EARLIEST_DATE <= campaign.start_date <= LATEST_DATE:
        errors["start_date"] = [f"Choose a date from {EARLIEST_DATE.year} to {LATEST_DATE.year}."]
    if not isinstance(campaign.end_date, date):
        errors["end_date"] = ["This field is required."]
    elif not EARLIEST_DATE <= campaign.end_date <= LATEST_DATE:
        errors["end_date"] = [f"Choose a date from {EARLIEST_DATE.year} to {LATEST_DATE.year}."]
    elif isinstance(campaign.start_date, date) and campaign.end_date < campaign.start_date:
        errors["end_date"] = ["The campaign must end on or after its start date."]
    if campaign.product_id is not None and campaign.product.vendor_id != campaign.vendor_id:
        errors["product"] = ["Choose one of your own products."]
    campaign.landing_url = (campaign.landing_url or "").strip()
    if problem := landing_url_problem(campaign.landing_url):
        errors["landing_url"] = [problem]
    if errors:
        raise CampaignError(errors=errors)


def landing_url_problem(url: str) -> str | None:
    """What is wrong with a landing URL (blank is fine: the campaign has none), or None. Only
    http and https: the tracking links redirect there, and nowhere else."""
    if not url:
        return None
    if len(url) > LANDING_URL_MAX:
        return f"Ensure this field has no more than {LANDING_URL_MAX} characters."
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return "Enter a web address starting with http:// or https://."
    return None


# --- Applications and invitations -------------------------------------------------------------


def application_create(*, campaign: Campaign, influencer: User, pitch: str) -> Application:
    """An influencer applies to an open campaign, once. Past the free monthly quota it costs tokens."""
    from accounts.wallet import wallet_spend

    if influencer.role != Role.INFLUENCER:
        raise NotAllowed("Only influencers can apply to campaigns.")
    pitch = (pitch or "").strip()
    if not pitch:
        raise CampaignError(errors={"pitch": ["Tell the vendor why you fit this campaign."]})
    if campaign.status != Campaign.Status.OPEN:
        raise Conflict("This campaign is not open for applications.", errors={"campaign": ["Not open."]})
    with transaction.atomic():
        _lock_applicant(influencer)
        if Application.objects.filter(campaign=campaign, influencer=influencer).exists():
            raise Conflict("You have already applied or been invited.", errors={"campaign": ["Already applied."]})
        price = _application_price(influencer)
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    campaign=campaign,
                    influencer=influencer,
                    kind=Application.Kind.APPLICATION,
                    status=Application.Status.PENDING,
                    message=pitch,
                )
        except IntegrityError:
            raise Conflict(
                "You have already applied or been invited.", errors={"campaign": ["Already applied."]}
            ) from None
        if price:
            wallet_spend(
                user=influencer,
                amount=price,
                reason=f"Application to “{campaign.title}”"[:200],
                reference=f"application:{application.pk}",
                actor=influencer,
            )
    return application


def campaign_invite(*, campaign: Campaign, vendor: User, influencer: User, message: str = "") -> Application:
    """The vendor invites an influencer to an open campaign; costs the contact price in tokens.
    Being invited is joining: the join callbacks (``campaigns.hooks``; chat's opens the pair's
    chat) run in the same transaction."""
    from accounts.wallet import wallet_spend

    if campaign.vendor_id != vendor.pk:
        raise NotAllowed("You can only invite to your own campaigns.")
    if influencer.role != Role.INFLUENCER or not influencer.is_active:
        raise CampaignError(errors={"influencer": ["Choose an influencer."]})
    if campaign.status != Campaign.Status.OPEN:
        raise Conflict("Open the campaign before inviting influencers.", errors={"campaign": ["Not open."]})
    message = (message or "").strip() or f"{vendor.public_name} invites you to “{campaign.title}”."
    with transaction.atomic():
        try:
            with transaction.atomic():
                invitation = Application.objects.create(
                    campaign=campaign,
                    influencer=influencer,
                    kind=Application.Kind.INVITATION,
                    status=Application.Status.INVITED,
                    message=message[:3000],
                )
        except IntegrityError:
            message = "This influencer has already applied to or been invited to this campaign."
            raise Conflict(message, errors={"influencer": [message]}) from None
        price = settings.TOKEN_PRICE_CONTACT
        if price:
            wallet_spend(
                user=vendor,
                amount=price,
                reason=f"Invitation of {influencer.display_name} to “{campaign.title}”"[:200],
                reference=f"invitation:{invitation.pk}",
                actor=vendor,
            )
        campaign_joined(invitation)
    return invitation


def application_accept(*, application: Application, actor: User) -> Application:
    """The vendor accepts an application, or the influencer accepts an invitation.

    The accepted application gets a referral code, unique on the platform, that attributes
    bills to the campaign and the influencer. Accepting is joining: the join callbacks
    (``campaigns.hooks``; chat's opens the pair's chat) run in the same transaction.
    """
    expected = _decider(application, actor)
    with transaction.atomic():
        _decide(application, expected, Application.Status.ACCEPTED, with_code=True)
        campaign_joined(application)
    return application


def application_reject(*, application: Application, actor: User) -> Application:
    """The vendor rejects an application, or the influencer declines an invitation."""
    expected = _decider(application, actor)
    outcome = Application.Status.REJECTED if expected == Application.Status.PENDING else Application.Status.DECLINED
    return _decide(application, expected, outcome)


def application_withdraw(*, application: Application, actor: User) -> Application:
    if actor.pk != application.influencer_id:
        raise NotAllowed("Only the influencer can withdraw an application.")
    if application.status != Application.Status.PENDING:
        raise Conflict("Only a pending application can be withdrawn.", errors={"status": [application.status]})
    return _decide(application, Application.Status.PENDING, Application.Status.WITHDRAWN)


def application_decider(application: Application) -> User:
    """Who accepts or rejects it: the campaign's vendor decides on an application, the invited
    influencer answers an invitation. (The admin's actions act as this user.)"""
    if application.kind == Application.Kind.APPLICATION:
        return application.campaign.vendor
    return application.influencer


def _decider(application, actor):
    """Which waiting status ``actor`` may decide on, or an error."""
    is_decider = actor.pk == application_decider(application).pk
    if application.kind == Application.Kind.APPLICATION:
        if not is_decider:
            raise NotAllowed("Only the campaign's vendor decides on applications.")
        expected = Application.Status.PENDING
    else:
        if not is_decider:
            raise NotAllowed("Only the invited influencer answers an invitation.")
        expected = Application.Status.INVITED
    if application.status != expected:
        raise Conflict(
            f"This {application.kind} is {application.status}; it can no longer be decided.",
            errors={"status": [application.status]},
        )
    return expected


def _decide(application, expected, outcome, with_code=False):
    now = timezone.now()
    for _ in range(5):
        code = _new_referral_code() if with_code else None
        try:
            with transaction.atomic():
                updated = Application.objects.filter(pk=application.pk, status=expected).update(
                    status=outcome, decided_at=now, referral_code=code
                )
        except IntegrityError:
            continue  # the code was taken: draw another
        if not updated:
            application.refresh_from_db(fields=["status"])
            raise Conflict(f"This {application.kind} was decided meanwhile ({application.status}).")
        application.status, application.decided_at, application.referral_code = outcome, now, code
        return application
    raise Conflict("Could not draw a unique referral code; try again.")  # pragma: no cover


def _new_referral_code() -> str:
    return "".join(secrets.choice(REFERRAL_ALPHABET) for _ in range(8))


def _lock_applicant(influencer) -> None:
    """Hold the influencer's user row until the application's transaction ends.

    Their applications then take turns: the month's count in ``_application_price`` sees every
    earlier one, so two parallel applications cannot both be free. ``FOR NO KEY UPDATE`` where the
    database has it, so rows that merely point at the user (chats, invitations) do not wait.
    """
    no_key = connection.features.has_select_for_no_key_update
    User.objects.select_for_update(no_key=no_key).filter(pk=influencer.pk).values_list("pk", flat=True).get()


def _application_price(influencer) -> int:
    """The token price of the next application: free within the monthly quota. Call it under
    ``_lock_applicant``: the count is only the truth while no other application can start."""
    price = settings.TOKEN_PRICE_APPLICATION
    if not price:
        return 0
    month_start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    used = Application.objects.filter(
        influencer=influencer, kind=Application.Kind.APPLICATION, created_at__gte=month_start
    ).count()
    return price if used >= settings.TOKEN_FREE_APPLICATIONS_PER_MONTH else 0


# --- An account that closes (accounts.hooks) ----------------------------------------------


def campaigns_end_for_closed_account(user: User) -> None:
    """A closing vendor's open campaigns close, the applications still waiting on them are
    rejected and the invitations not yet answered withdrawn (drafts stay invisible; decided
    applications stay: they are the records of past work). A closing influencer's pending
    applications are withdrawn and open invitations declined. Runs inside the closing transaction."""
    if user.role == Role.VENDOR:
        for campaign in Campaign.objects.filter(vendor=user, status=Campaign.Status.OPEN).order_by("pk"):
            campaign_close(campaign=campaign)
        waiting = Application.objects.filter(campaign__vendor=user)
        now = timezone.now()
        waiting.filter(status=Application.Status.PENDING).update(status=Application.Status.REJECTED, decided_at=now)
        waiting.filter(status=Application.Status.INVITED).update(status=Application.Status.WITHDRAWN, decided_at=now)
    elif user.role == Role.INFLUENCER:
        waiting = [Application.Status.PENDING, Application.Status.INVITED]
        applications = Application.objects.filter(influencer=user, status__in=waiting).select_related("campaign")
        for application in applications.order_by("pk"):
            if application.status == Application.Status.PENDING:
                application_withdraw(application=application, actor=user)
            else:
                application_reject(application=application, actor=user)
