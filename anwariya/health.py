"""``GET /healthz``: can this process reach its database (and Redis, when configured)?

Anyone may call it (load balancers, container health checks), so the answer is one word per
service; what went wrong (hosts, ports, driver messages) goes to the log only.
"""

import logging

import redis
from django.conf import settings
from django.db import connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

logger = logging.getLogger(__name__)

OK, ERROR, NOT_CONFIGURED = "ok", "error", "not configured"

HealthSerializer = inline_serializer(
    "Health",
    fields={
        "status": serializers.ChoiceField(choices=["ok", "unavailable"]),
        "database": serializers.ChoiceField(choices=[OK, ERROR], help_text="The details of an error are logged."),
        "redis": serializers.ChoiceField(
            choices=[OK, ERROR, NOT_CONFIGURED], help_text="The details of an error are logged."
        ),
    },
)


def _probe(service, check):
    """Run ``check``; any failure is logged with its details and answered as ``"error"``."""
    try:
        check()
    except Exception:  # any failure means "unhealthy"
        logger.exception("Health check: %s is unavailable", service)
        return ERROR
    return OK


def _ping_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _ping_redis():
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()


def check_database():
    return _probe("the database", _ping_database)


def check_redis():
    if not settings.REDIS_URL:
        return NOT_CONFIGURED
    return _probe("Redis", _ping_redis)


class HealthView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(
        operation_id="healthz",
        tags=["health"],
        responses={200: HealthSerializer, 503: HealthSerializer},
        description=(
            "200 when every configured backing service answers, else 503 with the failing one as "
            '`"error"`. The answer never carries error details (hosts, ports, driver messages); '
            "the server logs them."
        ),
    )
    def get(self, request):
        checks = {"database": check_database(), "redis": check_redis()}
        healthy = ERROR not in checks.values()
        return Response({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)
