import logging

from celery import shared_task
from django.core.mail import EmailMessage

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=5)
def send_email(*, subject, body, to, from_email=None):
    """Send a plain-text email; network failures retry with backoff."""
    EmailMessage(subject=subject, body=body, to=to, from_email=from_email).send()
    logger.info("Sent %r to %s", subject, ", ".join(to))
