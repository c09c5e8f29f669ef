"""``GET /healthz``: can this process reach its database (and Redis, when configured)?"""

import redis
from django.conf import settings
from django.db import connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

HealthSerializer = inline_serializer(
    "Health",
    fields={
        "status": serializers.ChoiceField(choices=["ok", "unavailable"]),
        "database": serializers.CharField(help_text='"ok" or the error.'),
        "redis": serializers.CharField(help_text='"ok", "not configured" or the error.'),
    },
)


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "unhealthy", reported as text
        return f"error: {exc.__class__.__name__}: {exc}".strip()
    return "ok"


def check_redis():
    if not settings.REDIS_URL:
        return "not configured"
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        client.close()
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}: {exc}".strip()
    return "ok"


class HealthView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(
        operation_id="healthz",
        tags=["health"],
        responses={200: HealthSerializer, 503: HealthSerializer},
        description="200 when every configured backing service answers, else 503 naming the failing one.",
    )
    def get(self, request):
        checks = {"database": check_database(), "redis": check_redis()}
        healthy = all(result in ("ok", "not configured") for result in checks.values())
        return Response({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)
