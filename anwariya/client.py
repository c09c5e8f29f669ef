"""Who is asking: the client's address, read one way for rate limits and the login lockout."""

from ipaddress import ip_address

from rest_framework.throttling import BaseThrottle


def client_address(request) -> str | None:
    """The client's IP address.

    With ``TRUSTED_PROXY_COUNT`` (DRF's ``NUM_PROXIES``) at 0, that is the connection's own
    address; behind N proxies it is the Nth address from the right of ``X-Forwarded-For``, the
    one the outermost trusted proxy appended. Whatever lies left of it was sent by the client and
    is ignored. DRF's throttles read it the same way, so every limit counts the same client.
    """
    # A forwarded value that is no address (a misconfigured proxy) falls back to the connection's.
    for candidate in (BaseThrottle().get_ident(request), request.META.get("REMOTE_ADDR")):
        try:
            return str(ip_address((candidate or "").strip()))
        except ValueError:
            continue
    return None
