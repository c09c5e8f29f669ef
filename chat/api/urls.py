"""Chat's API paths besides its viewsets (``chats/``, ``messages/``: the router in ``anwariya.urls``)."""

from django.urls import path

from chat.api import bot

urlpatterns = [
    path("bot/telegram/webhook/", bot.TelegramWebhookApi.as_view(), name="api-bot-telegram-webhook"),
    path("bot/telegram/link/", bot.TelegramLinkApi.as_view(), name="api-bot-telegram-link"),
    path("bot/status/", bot.BotStatusApi.as_view(), name="api-bot-status"),
]
