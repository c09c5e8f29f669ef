from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AnwariyaConfig(AppConfig):
    """The project package doubles as the home of shared plumbing (idempotency keys)."""

    name = "anwariya"
    verbose_name = "Platform"

    def ready(self):
        from anwariya import checks  # noqa: F401  (registers the database checks)
        from anwariya.db import rule_locks_create

        post_migrate.connect(rule_locks_create, sender=self, dispatch_uid="anwariya_rule_locks")
