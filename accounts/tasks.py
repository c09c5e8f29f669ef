import logging

from celery import shared_task
from django.core.mail import EmailMessage

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=5)
def send_email(*, subject, body, to, from_email=None):
    """Send a plain-text email; network failures retry with backoff."""
    EmailMessage(subject=subject, body=body, to=to, from_email=from_email).send()
    logger.info("Sent %r to %s", subject, ", ".join(to))


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=3)
def build_account_export(*, user_id, base_url):
    """Build a large data export into the storage and email its link (``accounts.export``)."""
    from accounts.export import export_store
    from accounts.models import User

    user = User.objects.filter(pk=user_id, is_active=True, closed_at__isnull=True).first()
    if user is None:
        return None  # closed (or deactivated) meanwhile: no export of erased data
    return export_store(user=user, base_url=base_url)


@shared_task
def purge_account_exports():
    """Delete stored data exports whose download link has expired."""
    from accounts.export import exports_purge

    return exports_purge()
