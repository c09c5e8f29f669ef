"""Idempotency keys: a retried POST replays the first answer instead of acting twice."""

import functools
import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import status
from rest_framework.response import Response

from anwariya.errors import DomainError
from anwariya.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


class InvalidIdempotencyKey(DomainError):
    code = "invalid_idempotency_key"


class IdempotencyKeyReused(DomainError):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    code = "idempotency_key_reused"
    default_detail = "This Idempotency-Key was already used with a different request."


def idempotent(view_method):
    """Make a DRF handler (``create``, ``post`` or an action) honour ``Idempotency-Key``.

    The key is claimed by inserting a row in the same transaction that does the work,
    so a parallel request with the same key waits on the unique index until the first
    commits, then replays its answer. Server errors roll the claim back, so the client
    may retry with the same key.
    """

    @functools.wraps(view_method)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or not request.user.is_authenticated:
            return view_method(view, request, *args, **kwargs)
        if not 0 < len(key) <= MAX_KEY_LENGTH:
            raise InvalidIdempotencyKey(
                "The Idempotency-Key header must be 1 to 255 characters long.",
                errors={HEADER: [f"Must be 1 to {MAX_KEY_LENGTH} characters long."]},
            )
        fingerprint = request_fingerprint(request)

        with transaction.atomic():
            record, created = _claim(user=request.user, key=key, fingerprint=fingerprint)
            if not created:
                if record.fingerprint != fingerprint:
                    raise IdempotencyKeyReused(
                        errors={HEADER: ["Already used with a different request; use a new key."]}
                    )
                return Response(
                    record.response_body, status=record.response_status, headers={"Idempotent-Replayed": "true"}
                )
            try:
                with transaction.atomic():
                    response = view_method(view, request, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - handled exactly as DRF would, re-raised if unhandled
                response = view.handle_exception(exc)
            if response.status_code >= 500:
                transaction.set_rollback(True)
                return response
            record.response_status = response.status_code
            record.response_body = response.data
            record.save(update_fields=["response_status", "response_body"])
        return response

    wrapper.idempotent = True
    return wrapper


def request_fingerprint(request):
    """Hash what makes two requests "the same": method, path and the parsed body."""
    data = request.data
    if hasattr(data, "lists"):
        data = dict(data.lists())
    body = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder, default=str)
    digest = hashlib.sha256()
    for part in (request.method, request.path, body):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _claim(*, user, key, fingerprint):
    """Insert the key for this user, or return the row another request already holds."""
    cutoff = timezone.now() - settings.IDEMPOTENCY_KEY_TTL
    IdempotencyKey.objects.filter(user=user, key=key, created_at__lt=cutoff).delete()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(user=user, key=key, fingerprint=fingerprint), True
    except IntegrityError:
        return IdempotencyKey.objects.get(user=user, key=key), False


def idempotency_keys_prune(*, now=None):
    """Delete keys older than ``IDEMPOTENCY_KEY_TTL``; returns how many went."""
    cutoff = (now or timezone.now()) - settings.IDEMPOTENCY_KEY_TTL
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
