"""Closing an account: the user stops existing as a person on the platform, their records stay.

``account_close`` runs in one transaction:

1. every app's close callback (``accounts.hooks.register_on_close``): profiles clear the
   profile, chat removes the Telegram link, campaigns close the vendor's open campaigns and end
   the influencer's pending applications and invitations, broadcasts refuse (409) while one is
   scheduled, running or paused;
2. the token balance is forfeited with a ledger row (tokens are platform credit, never money);
3. the user row is anonymised: the email becomes a unique address that cannot receive mail
   (``closed-<id>-<random>@closed.invalid``, RFC 2606), so the real address is free to sign up
   again as a new user; the names become "Deleted user" / empty; the password is unusable;
   ``is_active`` is False and ``closed_at`` is set;
4. every JWT refresh token is blacklisted; access tokens stop working because simplejwt refuses
   inactive users (and the websocket's JWT check does too); browser sessions end because the
   session's password hash no longer matches and the user is inactive;
5. the login-lockout records move with the email: the counters of the old address are reset
   (a new sign-up with it starts clean) and the failure log names the placeholder instead.

What stays, and why, is in README.md ("Closing an account").
"""

import secrets

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.utils import timezone

from accounts import hooks
from accounts.export import exports_purge
from accounts.models import CLOSED_ACCOUNT_NAME, User
from accounts.services import AccountError, user_revoke_refresh_tokens
from accounts.wallet import wallet_forfeit
from anwariya.errors import Conflict

CLOSED_EMAIL_DOMAIN = "closed.invalid"
PASSWORD_REQUIRED = "Enter your password to close your account."
PASSWORD_WRONG = "Your password was entered incorrectly."


class AccountClosed(Conflict):
    code = "account_closed"
    default_detail = "This account is already closed."


def closed_email(user: User) -> str:
    """A unique address that no mail server accepts (``.invalid`` is reserved for that)."""
    return f"closed-{user.pk}-{secrets.token_hex(6)}@{CLOSED_EMAIL_DOMAIN}"


def account_close(*, user: User, password: str | None = None, actor: User | None = None) -> User:
    """Close ``user``'s account and erase their personal data (see the module's doc).

    The user confirms with their ``password`` (``AccountError`` naming ``password`` when it is
    missing or wrong). An admin (``actor``: staff, not the user) closes it without. A refusal of
    a close callback (a ``DomainError``) reaches the caller, and nothing is written.
    """
    if user.closed_at is not None:
        raise AccountClosed()
    on_behalf = actor is not None and actor.is_staff and actor.pk != user.pk
    if not on_behalf:
        if not password:
            raise AccountError(PASSWORD_REQUIRED, errors={"password": [PASSWORD_REQUIRED]})
        if not user.check_password(password):
            raise AccountError(PASSWORD_WRONG, errors={"password": [PASSWORD_WRONG]})

    old_email = user.email
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.closed_at is not None:
            raise AccountClosed()
        hooks.account_closing(locked)
        wallet_forfeit(user=locked, reason="Account closed: the balance is forfeited", actor=actor)
        now = timezone.now()
        locked.email = closed_email(locked)
        locked.display_name = CLOSED_ACCOUNT_NAME
        locked.business_name = ""
        locked.set_unusable_password()
        locked.is_active = False
        locked.closed_at = now
        locked.password_changed_at = now
        locked.save(
            update_fields=[
                "email",
                "display_name",
                "business_name",
                "password",
                "is_active",
                "closed_at",
                "password_changed_at",
            ]
        )
        user_revoke_refresh_tokens(user=locked)
        AccessAttempt.objects.filter(username=old_email).delete()
        AccessFailureLog.objects.filter(username=old_email).update(username=locked.email)
        AccessLog.objects.filter(username=old_email).update(username=locked.email)
        transaction.on_commit(lambda: exports_purge(user=locked))
    for field in ("email", "display_name", "business_name", "password", "is_active", "closed_at"):
        setattr(user, field, getattr(locked, field))
    user.password_changed_at = locked.password_changed_at
    return user
