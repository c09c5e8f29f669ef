"""Websocket authentication: the session cookie (pages), or a JWT (mobile clients).

A JWT comes either as ``?token=<access>`` or in the ``Sec-WebSocket-Protocol`` header as
``bearer, <access>``; the server then answers with the ``bearer`` subprotocol.
"""

from urllib.parse import parse_qs

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth.models import AnonymousUser
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken

BEARER = "bearer"


def token_from_scope(scope) -> str | None:
    query = parse_qs(scope.get("query_string", b"").decode())
    if query.get("token"):
        return query["token"][0]
    protocols = [p.strip() for p in scope.get("subprotocols", [])]
    if len(protocols) >= 2 and protocols[0].lower() == BEARER:
        return protocols[1]
    return None


@database_sync_to_async
def user_for_token(raw):
    from accounts.models import User

    try:
        token = AccessToken(raw)
    except TokenError:
        return AnonymousUser()
    return User.objects.filter(pk=token.get("user_id"), is_active=True).first() or AnonymousUser()


class JWTAuthMiddleware(BaseMiddleware):
    """Use a JWT when one is given; otherwise keep the session user from ``AuthMiddlewareStack``."""

    async def __call__(self, scope, receive, send):
        raw = token_from_scope(scope)
        if raw:
            scope = {**scope, "user": await user_for_token(raw)}
        return await super().__call__(scope, receive, send)


def ChatAuthMiddlewareStack(inner):
    return AuthMiddlewareStack(JWTAuthMiddleware(inner))
