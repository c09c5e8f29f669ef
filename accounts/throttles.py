"""Rate limits of the account pages, on DRF's throttles so that page and API share one counter.

Rates are the ``DEFAULT_THROTTLE_RATES`` scopes ``register``, ``password_reset_address`` and
``password_reset_client``; the client is named by ``anwariya.client.client_address``'s rule.
"""

import hashlib
import math

from rest_framework.throttling import SimpleRateThrottle

from accounts.models import canonical_email
from anwariya.client import client_address


class ClientThrottle(SimpleRateThrottle):
    """A rate per client address, whoever is logged in."""

    def get_ident(self, request):
        return client_address(request) or "unknown"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SignupThrottle(ClientThrottle):
    """Sign-ups per client address; the API's register endpoint and the sign-up page share it."""

    scope = "register"


class PasswordResetClientThrottle(ClientThrottle):
    scope = "password_reset_client"


class PasswordResetAddressThrottle(SimpleRateThrottle):
    """Reset emails per address asked for, counted whether or not an account has it."""

    scope = "password_reset_address"

    def __init__(self, address):
        super().__init__()
        self.address = canonical_email(address)

    def get_cache_key(self, request, view):
        digest = hashlib.sha256(self.address.encode()).hexdigest()  # no addresses in the cache
        return self.cache_format % {"scope": self.scope, "ident": digest}


def wait_minutes(throttle) -> int:
    return max(1, math.ceil((throttle.wait() or 60) / 60))


def signup_refusal(request) -> str:
    """``""`` when this client may sign up now (and counts the attempt), else why not."""
    throttle = SignupThrottle()
    if throttle.allow_request(request, None):
        return ""
    return f"Too many sign-ups from your network. Please try again in {wait_minutes(throttle)} minutes."


def password_reset_refusal(request, address) -> str:
    """``""`` when a reset email may be sent for ``address`` now (and counts it), else why not.

    The answer depends only on the address typed and the client, never on whether an account
    exists, so it tells nothing about who has an account.
    """
    client = PasswordResetClientThrottle()
    if not client.allow_request(request, None):
        return f"Too many reset requests from your network. Please try again in {wait_minutes(client)} minutes."
    per_address = PasswordResetAddressThrottle(address)
    if not per_address.allow_request(request, None):
        return (
            "Too many reset emails were asked for this address. Check your inbox and spam folder for "
            f"the ones already sent, or try again in {wait_minutes(per_address)} minutes."
        )
    return ""


class AccountExportThrottle(SimpleRateThrottle):
    """Data exports per user; the API's export endpoint and the account page's button share it."""

    scope = "account_export"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


def account_export_refusal(request) -> str:
    """``""`` when the user may ask for an export now (and counts it), else why not."""
    throttle = AccountExportThrottle()
    if throttle.allow_request(request, None):
        return ""
    return f"You asked for several exports already. Please try again in {wait_minutes(throttle)} minutes."
