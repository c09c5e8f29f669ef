from django.apps import AppConfig


class AnwariyaConfig(AppConfig):
    """The project package doubles as the home of shared plumbing (idempotency keys)."""

    name = "anwariya"
    verbose_name = "Platform"
