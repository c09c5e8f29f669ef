from django.core.management.base import BaseCommand

from anwariya.idempotency import idempotency_keys_prune


class Command(BaseCommand):
    help = "Delete Idempotency-Key records older than IDEMPOTENCY_KEY_TTL (24 hours by default)."

    def handle(self, *args, **options):
        deleted = idempotency_keys_prune()
        self.stdout.write(self.style.SUCCESS(f"Deleted {deleted} expired idempotency key(s)."))
