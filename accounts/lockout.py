"""Login throttling (django-axes): which failures count, and what a refused client sees.

Two limits, so that guessing is slow but nobody can lock the owner out from somewhere else:

- per account and client address: ``LOGIN_FAILURE_LIMIT`` failures (10) refuse that address
  for ``LOGIN_COOLOFF_MINUTES`` (axes' own lock, keyed by ``["username", "ip_address"]``);
- per account, from all addresses together: ``LOGIN_ACCOUNT_FAILURE_LIMIT`` failures (100) in
  ``LOGIN_ACCOUNT_FAILURE_WINDOW_MINUTES`` (60) refuse every address (ASVS 2.2.1).

Failures before the account's last password reset or change do not count, and a reset link logs
the owner in whatever the counters say.
"""

import math
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessFailureLog
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.models import User, canonical_email
from anwariya.errors import DomainError

ADDRESS = "address"
ACCOUNT = "account"


class LoginLocked(DomainError):
    status_code = 429
    code = "login_locked"

    def __init__(self, detail=None, *, retry_after, **kwargs):
        super().__init__(detail, **kwargs)
        self.headers = {"Retry-After": str(retry_after)}


def username_from_credentials(request, credentials):
    """Failures count per account: the canonical email, whichever form or endpoint sent it."""
    credentials = credentials or {}
    name = credentials.get("email") or credentials.get("username")
    if name is None and request is not None:
        data = getattr(request, "data", None) or request.POST
        name = data.get("email") or data.get("username")
    return canonical_email(name) or None


def account_window_start(username: str):
    """Where the per-account count starts: an hour ago, or the last password change if later."""
    start = timezone.now() - timedelta(minutes=settings.LOGIN_ACCOUNT_FAILURE_WINDOW_MINUTES)
    changed = User.objects.filter(email=username).values_list("password_changed_at", flat=True).first()
    return max(start, changed) if changed else start


def account_failures(username: str | None) -> list:
    """The times of the account's failed logins that count against it now, oldest first."""
    if not username:
        return []
    failures = AccessFailureLog.objects.filter(username=username, attempt_time__gte=account_window_start(username))
    return list(failures.order_by("attempt_time").values_list("attempt_time", flat=True))


class LoginAttemptHandler(AxesDatabaseHandler):
    """Axes' database handler with the per-account limit on top of its per-address lock."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            request.axes_lockout_scope = ADDRESS
            return True
        failures = account_failures(get_client_username(request, credentials))
        if len(failures) >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT:
            request.axes_lockout_scope = ACCOUNT
            request.axes_lockout_failures = failures
            return True
        return False

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # The failure that reaches the per-account limit refuses this request too.
        if request is not None and not request.axes_locked_out and self.is_locked(request, credentials):
            request.axes_locked_out = True


def lockout_retry_after(request) -> int:
    """Seconds until the client may try again."""
    if getattr(request, "axes_lockout_scope", ADDRESS) == ACCOUNT:
        failures = request.axes_lockout_failures
        window = timedelta(minutes=settings.LOGIN_ACCOUNT_FAILURE_WINDOW_MINUTES)
        # The count falls below the limit when enough of the oldest failures leave the window.
        frees_at = failures[len(failures) - settings.LOGIN_ACCOUNT_FAILURE_LIMIT] + window
        return max(1, math.ceil((frees_at - timezone.now()).total_seconds()))
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_message(request) -> str:
    if getattr(request, "axes_lockout_scope", ADDRESS) == ACCOUNT:
        return (
            "Too many failed login attempts for this account in the last hour, from several places. "
            "Reset your password to get in now; the link logs you in."
        )
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"Too many failed login attempts for this account from your network. "
        f"Try again in {minutes} minutes, or reset your password to get in now."
    )


def login_locked(request) -> LoginLocked:
    """The API's refusal of a locked login (429 with Retry-After)."""
    return LoginLocked(lockout_message(request), retry_after=lockout_retry_after(request))


def lockout_response(request, *args, **kwargs):
    """The answer to a login attempt that axes refused (API: JSON, pages: HTML)."""
    retry_after = str(lockout_retry_after(request))
    if request.path.startswith("/api/"):
        body = {"detail": lockout_message(request), "code": "login_locked", "errors": {}}
        return JsonResponse(body, status=429, headers={"Retry-After": retry_after})
    response = render(request, "accounts/locked_out.html", {"message": lockout_message(request)}, status=429)
    response["Retry-After"] = retry_after
    return response
