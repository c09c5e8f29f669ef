"""Login throttling (django-axes): how an account is named, and what a locked-out client sees."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from accounts.models import UserManager
from anwariya.errors import DomainError


class LoginLocked(DomainError):
    status_code = 429
    code = "login_locked"

    @property
    def headers(self):
        return {"Retry-After": str(int(settings.AXES_COOLOFF_TIME.total_seconds()))}


def username_from_credentials(request, credentials):
    """Failures count per account: the email, however it was typed and whichever form sent it."""
    credentials = credentials or {}
    name = credentials.get("email") or credentials.get("username")
    if name is None and request is not None:
        data = getattr(request, "data", None) or request.POST
        name = data.get("email") or data.get("username")
    return UserManager.normalize_email(name) if isinstance(name, str) else None


def lockout_message():
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"Too many failed login attempts for this account. "
        f"It is locked for {minutes} minutes; try again later or reset your password."
    )


def lockout_response(request, *args):
    """The answer to a login attempt on a locked account (API: JSON, pages: HTML)."""
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        body = {"detail": lockout_message(), "code": "login_locked", "errors": {}}
        return JsonResponse(body, status=429, headers={"Retry-After": retry_after})
    response = render(request, "accounts/locked_out.html", {"message": lockout_message()}, status=429)
    response["Retry-After"] = retry_after
    return response
