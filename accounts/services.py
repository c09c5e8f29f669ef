"""Account writes: sign-up, profile changes, password changes."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts.models import Role, User, UserManager
from accounts.wallet import wallet_signup_grant
from anwariya.errors import DomainError

EMAIL_TAKEN = "An account with this email address already exists."


class AccountError(DomainError):
    code = "invalid"


def user_create(
    *, email: str, password: str, role: str, display_name: str, business_name: str = "", is_staff: bool = False
) -> User:
    """Sign a new user up. Raises ``AccountError`` naming every wrong field; writes nothing then."""
    user = User(
        email=UserManager.normalize_email(email),
        role=role,
        display_name=(display_name or "").strip(),
        business_name=(business_name or "").strip() if role == Role.VENDOR else "",
        is_staff=is_staff,
    )
    errors = _profile_errors(user)
    if not user.email:
        errors["email"] = ["This field is required."]
    elif not _is_valid_email(user.email):
        errors["email"] = ["Enter a valid email address."]
    elif User.objects.filter(email__iexact=user.email).exists():
        errors["email"] = [EMAIL_TAKEN]
    if role not in Role.values and not (is_staff and not role):
        errors["role"] = [f"Choose one of: {', '.join(Role.values)}."]
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise AccountError("Please correct the highlighted fields.", errors=errors)

    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            wallet_signup_grant(user=user)
    except IntegrityError:
        # Another sign-up with the same email won the race.
        raise AccountError(EMAIL_TAKEN, errors={"email": [EMAIL_TAKEN]}) from None
    return user


def user_update(*, user: User, **changes) -> User:
    """Change the editable profile fields (display name, business name, email)."""
    editable = {"display_name", "business_name", "email"}
    unknown = set(changes) - editable
    if unknown:
        raise AccountError(errors={field: ["This field cannot be changed."] for field in sorted(unknown)})
    if "email" in changes:
        changes["email"] = UserManager.normalize_email(changes["email"])
    for field in ("display_name", "business_name"):
        if field in changes:
            changes[field] = (changes[field] or "").strip()
    candidate = User(**{**{f: getattr(user, f) for f in editable}, "role": user.role, **changes})
    errors = _profile_errors(candidate)
    if "email" in changes:
        if not changes["email"]:
            errors["email"] = ["This field is required."]
        elif not _is_valid_email(changes["email"]):
            errors["email"] = ["Enter a valid email address."]
        elif User.objects.filter(email__iexact=changes["email"]).exclude(pk=user.pk).exists():
            errors["email"] = [EMAIL_TAKEN]
    if errors:
        raise AccountError("Please correct the highlighted fields.", errors=errors)

    for field, value in changes.items():
        setattr(user, field, value)
    try:
        with transaction.atomic():
            user.save(update_fields=list(changes))
    except IntegrityError:
        raise AccountError(EMAIL_TAKEN, errors={"email": [EMAIL_TAKEN]}) from None
    return user


def user_change_password(*, user: User, old_password: str, new_password: str) -> User:
    """Set a new password after checking the old one; signs out every mobile session (JWT)."""
    errors = {}
    if not user.check_password(old_password or ""):
        errors["old_password"] = ["Your old password was entered incorrectly."]
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        errors["new_password"] = exc.messages
    if errors:
        raise AccountError("Please correct the highlighted fields.", errors=errors)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        user_revoke_refresh_tokens(user=user)
    return user


def user_revoke_refresh_tokens(*, user: User) -> int:
    """Blacklist every outstanding refresh token of the user; returns how many were revoked."""
    outstanding = OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False)
    tokens = list(outstanding.only("pk"))
    BlacklistedToken.objects.bulk_create([BlacklistedToken(token=token) for token in tokens], ignore_conflicts=True)
    return len(tokens)


def _is_valid_email(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


def _profile_errors(user: User) -> dict:
    errors = {}
    if not user.display_name:
        errors["display_name"] = ["This field is required."]
    if user.role == Role.VENDOR and not user.business_name:
        errors["business_name"] = ["Vendors need a business name."]
    for field in ("display_name", "business_name", "email"):
        limit = User._meta.get_field(field).max_length
        if len(getattr(user, field) or "") > limit:
            errors[field] = [f"Ensure this field has no more than {limit} characters."]
    return errors
