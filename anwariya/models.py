from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class IdempotencyKey(models.Model):
    """The first answer to a POST sent with an ``Idempotency-Key``, kept to replay it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, path and body.")
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(encoder=DjangoJSONEncoder, null=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")]

    def __str__(self):
        return f"{self.key} ({self.response_status})"


class RuleLock(models.Model):
    """A row a service locks to check a unique rule the database does not enforce itself
    (conditional and expression unique constraints on MariaDB/MySQL): ``anwariya.db``."""

    name = models.CharField(max_length=150, primary_key=True)

    def __str__(self):
        return self.name
