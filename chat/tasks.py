"""Chat background jobs: the bot's outgoing Telegram messages."""

import logging

from celery import shared_task
from django.conf import settings

from chat.models import TelegramMessage
from chat.telegram.client import TelegramSendError
from chat.telegram.services import telegram_message_deliver

logger = logging.getLogger(__name__)

MAX_RETRIES = 3
BACKOFF_SECONDS = 10


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True, rate_limit=settings.TELEGRAM_RATE_LIMIT)
def telegram_deliver(self, outbound_id):
    """Send one outbox message; transient failures retry with backoff (or after Telegram's
    ``retry_after``), permanent ones (blocked, chat not found) are marked failed at once."""
    outbound = TelegramMessage.objects.filter(pk=outbound_id).first()
    if outbound is None or outbound.status != TelegramMessage.Status.PENDING:
        return outbound.status if outbound else "gone"
    try:
        telegram_message_deliver(outbound=outbound, last_attempt=self.request.retries >= self.max_retries)
    except TelegramSendError as error:
        logger.warning("Telegram message %s failed (attempt %s): %s", outbound.pk, self.request.retries + 1, error)
        if outbound.status == TelegramMessage.Status.FAILED:
            return "failed"
        raise self.retry(countdown=retry_countdown(error, self.request.retries)) from None
    return "sent"


def retry_countdown(error: TelegramSendError, retries: int) -> int:
    """Seconds before the next attempt: what Telegram asked for on a 429, else exponential backoff."""
    if error.retry_after is not None:
        return max(error.retry_after, 1)
    return BACKOFF_SECONDS * 2**retries
