"""Profile writes: an influencer's and a vendor's own profile."""

import re
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from accounts.models import Role, User
from accounts.services import user_update
from anwariya.errors import DomainError
from profiles.gst import STATE_NAMES, RegistrationType, gstin_compact, gstin_problem, state_label
from profiles.models import SOCIAL_NETWORKS, InfluencerProfile, VendorProfile

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_SIDE = 2000  # pixels; a larger picture is refused before it is decoded whole
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg"}
INVOICE_PREFIX_PATTERN = re.compile(r"[A-Z0-9]{0,3}")
# The business details a GST-registered vendor's invoices must carry (rule 46(a)).
TAX_DETAILS = ("legal_name", "address", "state", "gstin")


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
    """Update a vendor's profile; ``business_name`` and ``display_name`` are kept on the user.

    The GST details are checked together, as they will stand after the change: a registered
    vendor (``regular`` or ``composition``) has a legal name, an address, a state and a valid
    GSTIN that starts with that state's code; an unregistered one has no GSTIN. ``logo`` is an
    uploaded PNG or JPEG (at most 1 MB and 2000 px a side), or None (or False) to remove it.
    """
    if user.role != Role.VENDOR:
        raise NotAllowed("Only vendors have a vendor profile.")
    profile = profile_get_or_create(user=user)
    user_fields = {key: fields.pop(key) for key in ("display_name", "business_name") if key in fields}
    if fields.get("time_zone") and fields["time_zone"] not in zoneinfo.available_timezones():
        raise ProfileError(errors={"time_zone": ["Choose a time zone such as Asia/Kolkata."]})
    for key in ("description", "city", "country", "website", "time_zone", "legal_name", "address", "state"):
        if key in fields:
            fields[key] = (fields[key] or "").strip()
    if "gstin" in fields:
        fields["gstin"] = gstin_compact(fields["gstin"])
    if "invoice_prefix" in fields:
        fields["invoice_prefix"] = (fields["invoice_prefix"] or "").strip().upper()
    errors = _tax_detail_errors({**{key: getattr(profile, key) for key in TAX_FIELDS}, **fields})
    stale_logo = ""
    if "logo" in fields:
        if fields["logo"]:
            problems, extension = _logo_check(fields["logo"])
            errors.update(problems)
            fields["logo"].name = f"vendor-{user.pk}.{extension}"  # not the uploader's file name
        else:
            fields["logo"] = ""
        stale_logo = profile.logo.name if profile.logo else ""
    if errors:
        raise ProfileError(errors=errors)
    with transaction.atomic():
        _save_profile(user, profile, user_fields, fields)
        if stale_logo and stale_logo != profile.logo.name:
            storage = profile.logo.storage
            transaction.on_commit(lambda: storage.delete(stale_logo))
    return profile


TAX_FIELDS = (*TAX_DETAILS, "registration_type", "invoice_prefix")


def _tax_detail_errors(details: dict) -> dict:
    errors = {}
    registration = details["registration_type"]
    if registration not in RegistrationType.values:
        errors["registration_type"] = [f"Choose one of: {', '.join(RegistrationType.values)}."]
        return errors
    if details["state"] and details["state"] not in STATE_NAMES:
        errors["state"] = ["Choose a state by its two-digit GST code, such as 27 (Maharashtra)."]
    gstin = details["gstin"]
    if gstin:
        problem = gstin_problem(gstin)
        if problem:
            errors["gstin"] = [problem]
        elif registration == RegistrationType.UNREGISTERED:
            errors["registration_type"] = ["You gave a GSTIN: choose regular or composition."]
        elif details["state"] and gstin[:2] != details["state"]:
            errors["gstin"] = [f"A GSTIN of {state_label(details['state'])} starts with {details['state']}."]
    if registration != RegistrationType.UNREGISTERED:
        labels = {"legal_name": "legal name", "address": "address", "state": "state", "gstin": "GSTIN"}
        for key, label in labels.items():
            if not details[key]:
                errors.setdefault(key, [f"A business registered under GST gives its {label}."])
    if not INVOICE_PREFIX_PATTERN.fullmatch(details["invoice_prefix"] or ""):
        errors["invoice_prefix"] = ["Use up to 3 letters or digits."]
    return errors


def _logo_check(upload) -> tuple[dict, str]:
    """A logo is a real PNG or JPEG picture of a sensible size: the errors (none when it is one)
    and the file extension of its format."""
    problems = _logo_problems(upload)
    return problems, "" if problems else LOGO_FORMATS[_logo_format(upload)]


def _logo_format(upload) -> str:
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            return image.format
    finally:
        upload.seek(0)


def _logo_problems(upload) -> dict:
    if getattr(upload, "size", 0) > LOGO_MAX_BYTES:
        return {"logo": ["The logo is larger than 1 MB; upload a smaller picture."]}
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind, (width, height) = image.format, image.size
            if kind in LOGO_FORMATS and max(width, height) <= LOGO_MAX_SIDE:
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return {"logo": ["This file is not a picture we can read; upload a PNG or JPEG."]}
    finally:
        upload.seek(0)
    if kind not in LOGO_FORMATS:
        return {"logo": ["Upload the logo as a PNG or JPEG."]}
    if max(width, height) > LOGO_MAX_SIDE:
        return {"logo": [f"The logo is {width}×{height} pixels; at most {LOGO_MAX_SIDE} a side."]}
    return {}


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
