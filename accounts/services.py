"""Account writes: sign-up, profile changes, password changes."""

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template import loader
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts.models import Role, User, canonical_email
from accounts.tasks import send_email
from accounts.wallet import wallet_signup_grant
from anwariya.celery import enqueue_on_commit
from anwariya.db import unique_rule_lock
from anwariya.errors import DomainError

EMAIL_TAKEN = "An account with this email address already exists."
CURRENT_PASSWORD_NEEDED = "Enter your current password to change your email address."
CURRENT_PASSWORD_WRONG = "Your current password was entered incorrectly."


class AccountError(DomainError):
    code = "invalid"


def user_create(
    *, email: str, password: str, role: str, display_name: str, business_name: str = "", is_staff: bool = False
) -> User:
    """Sign a new user up. Raises ``AccountError`` naming every wrong field; writes nothing then."""
    user = User(
        email=canonical_email(email),
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
    elif User.objects.filter(email=user.email).exists():
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
            _hold_email(user.email)
            user.save()
            wallet_signup_grant(user=user)
    except IntegrityError:
        # Another sign-up with the same email won the race.
        raise AccountError(EMAIL_TAKEN, errors={"email": [EMAIL_TAKEN]}) from None
    return user


def user_update(*, user: User, current_password: str | None = None, actor: User | None = None, **changes) -> User:
    """Change the editable profile fields (display name, business name, email).

    A new email address needs the current password, and the old address is told of the change.
    An admin (``actor``, staff, not the user) changes it for the user without their password,
    for instance when they lost the old mailbox; the old address is told all the same.
    """
    editable = {"display_name", "business_name", "email"}
    unknown = set(changes) - editable
    if unknown:
        raise AccountError(errors={field: ["This field cannot be changed."] for field in sorted(unknown)})
    if "email" in changes:
        changes["email"] = canonical_email(changes["email"])
        if changes["email"] == user.email:
            del changes["email"]
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
        elif User.objects.filter(email=changes["email"]).exclude(pk=user.pk).exists():
            errors["email"] = [EMAIL_TAKEN]
        for_the_user = actor is not None and actor.is_staff and actor.pk != user.pk
        if for_the_user:
            pass
        elif not current_password:
            errors["current_password"] = [CURRENT_PASSWORD_NEEDED]
        elif not user.check_password(current_password):
            errors["current_password"] = [CURRENT_PASSWORD_WRONG]
    if errors:
        raise AccountError("Please correct the highlighted fields.", errors=errors)

    old_email = user.email
    for field, value in changes.items():
        setattr(user, field, value)
    try:
        with transaction.atomic():
            if "email" in changes:
                _hold_email(changes["email"], exclude_pk=user.pk)
            if changes:
                user.save(update_fields=list(changes))
            if "email" in changes:
                _notify_email_changed(user=user, old_email=old_email)
    except IntegrityError:
        raise AccountError(EMAIL_TAKEN, errors={"email": [EMAIL_TAKEN]}) from None
    return user


def _hold_email(email: str, *, exclude_pk=None) -> None:
    """Where the database has no index for ``user_email_unique_ignoring_case`` (MariaDB), wait
    for other writers of ``email`` and refuse it if one took it meanwhile."""
    rule = "user_email_unique_ignoring_case"
    if unique_rule_lock(User, rule, email) and User.objects.filter(email=email).exclude(pk=exclude_pk).exists():
        raise AccountError(EMAIL_TAKEN, errors={"email": [EMAIL_TAKEN]})


def _notify_email_changed(*, user: User, old_email: str) -> None:
    context = {"user": user, "old_email": old_email, "support_email": settings.SUPPORT_EMAIL}
    enqueue_on_commit(
        send_email,
        subject="Your Anwariya email address was changed",
        body=loader.render_to_string("accounts/email/email_changed.txt", context),
        to=[old_email],
    )


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
    return user_set_password(user=user, password=new_password)


def user_set_password(*, user: User, password: str) -> User:
    """Store a new (already validated) password, as a change or a reset by email.

    Every mobile session (JWT) is signed out, and failed logins so far stop counting towards a
    lockout: they were guesses at the old password.
    """
    with transaction.atomic():
        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "password_changed_at"])
        user_revoke_refresh_tokens(user=user)
    axes_reset(username=user.email)
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
