"""Profile writes: an influencer's and a vendor's own profile."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from accounts.models import Role, User
from accounts.services import user_update
from anwariya.errors import DomainError
from profiles.models import SOCIAL_NETWORKS, InfluencerProfile, VendorProfile


class ProfileError(DomainError):
    default_detail = "Please correct the highlighted fields."


class NotAllowed(DomainError):
    status_code = 403
    code = "permission_denied"


def profile_get_or_create(*, user: User) -> InfluencerProfile | VendorProfile:
    """The user's own profile by their role, made empty the first time it is asked for."""
    if user.role == Role.INFLUENCER:
        return InfluencerProfile.objects.get_or_create(user=user)[0]
    if user.role == Role.VENDOR:
        return VendorProfile.objects.get_or_create(user=user)[0]
    raise NotAllowed("Admin accounts have no vendor or influencer profile.")


def influencer_profile_update(*, user: User, **fields) -> InfluencerProfile:
    """Update an influencer's profile; ``display_name`` is kept on the user."""
    if user.role != Role.INFLUENCER:
        raise NotAllowed("Only influencers have an influencer profile.")
    profile = profile_get_or_create(user=user)
    user_fields = {key: fields.pop(key) for key in ("display_name",) if key in fields}
    niches = fields.pop("niches", None)
    formats = fields.pop("content_formats", None)
    if "social_links" in fields:
        fields["social_links"] = _clean_social_links(fields["social_links"])
    for key in ("bio", "city", "country"):
        if key in fields:
            fields[key] = (fields[key] or "").strip()
    with transaction.atomic():
        _save_profile(user, profile, user_fields, fields)
        if niches is not None:
            profile.niches.set(niches)
        if formats is not None:
            profile.content_formats.set(formats)
    return profile


def vendor_profile_update(*, user: User, **fields) -> VendorProfile:
    """Update a vendor's profile; ``business_name`` and ``display_name`` are kept on the user."""
    if user.role != Role.VENDOR:
        raise NotAllowed("Only vendors have a vendor profile.")
    profile = profile_get_or_create(user=user)
    user_fields = {key: fields.pop(key) for key in ("display_name", "business_name") if key in fields}
    if fields.get("time_zone") and fields["time_zone"] not in zoneinfo.available_timezones():
        raise ProfileError(errors={"time_zone": ["Choose a time zone such as Asia/Kolkata."]})
    for key in ("description", "city", "country", "website", "time_zone"):
        if key in fields:
            fields[key] = (fields[key] or "").strip()
    with transaction.atomic():
        _save_profile(user, profile, user_fields, fields)
    return profile


def _save_profile(user, profile, user_fields, fields):
    """Names live on the user (``user_update`` checks them); the rest on the profile."""
    if user_fields:
        user_update(user=user, **user_fields)
    for key, value in fields.items():
        setattr(profile, key, value)
    if fields:
        profile.save(update_fields=[*fields, "updated_at"])


def _clean_social_links(links) -> dict:
    if not isinstance(links, dict):
        raise ProfileError(errors={"social_links": ["Give an object of network name to URL."]})
    cleaned, problems = {}, []
    validate = URLValidator(schemes=["http", "https"])
    for network, url in links.items():
        if network not in SOCIAL_NETWORKS:
            problems.append(f'Unknown network "{network}"; use one of: {", ".join(SOCIAL_NETWORKS)}.')
            continue
        if not url:
            continue
        try:
            validate(str(url))
        except ValidationError:
            problems.append(f"{network}: enter a valid http(s) URL.")
            continue
        cleaned[network] = str(url)[:300]
    if problems:
        raise ProfileError(errors={"social_links": problems})
    return cleaned


def profile_erase(user: User) -> None:
    """An account that closes loses its profile (bio, links, city…): run by ``accounts.hooks``
    inside the closing transaction."""
    InfluencerProfile.objects.filter(user=user).delete()
    VendorProfile.objects.filter(user=user).delete()
