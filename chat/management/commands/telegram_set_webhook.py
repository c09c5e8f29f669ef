"""``python manage.py telegram_set_webhook https://shop.example.com``: point the bot at this site."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from chat.telegram import client as telegram_client
from chat.telegram.client import TelegramSendError

ALLOWED_UPDATES = ["message"]  # the bot acts on messages only; Telegram need not send the rest


class Command(BaseCommand):
    help = (
        "Tell Telegram to post the bot's updates to URL (HTTPS), with TELEGRAM_WEBHOOK_SECRET as the "
        "secret token. A URL without a path gets the webhook's path appended."
    )

    def add_arguments(self, parser):
        parser.add_argument("url", help="e.g. https://shop.example.com or the full webhook URL.")

    def handle(self, *args, url, **options):
        if not settings.TELEGRAM_BOT_TOKEN or not settings.TELEGRAM_WEBHOOK_SECRET:
            raise CommandError("Set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET first.")
        parts = urlsplit(url.strip())
        if parts.scheme != "https" or not parts.netloc:
            raise CommandError("Telegram only posts to https:// addresses.")
        if parts.path in ("", "/"):
            url = f"https://{parts.netloc}{reverse('api-bot-telegram-webhook')}"
        try:
            with telegram_client.make_client() as client:
                client.set_webhook(
                    url=url, secret_token=settings.TELEGRAM_WEBHOOK_SECRET, allowed_updates=ALLOWED_UPDATES
                )
        except TelegramSendError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Telegram now posts the bot's updates to {url}"))
