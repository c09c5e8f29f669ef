from django.urls import path

from chat import bot_api

urlpatterns = [
    path("telegram/webhook/", bot_api.TelegramWebhookApi.as_view(), name="api-bot-telegram-webhook"),
    path("telegram/link/", bot_api.TelegramLinkApi.as_view(), name="api-bot-telegram-link"),
    path("status/", bot_api.BotStatusApi.as_view(), name="api-bot-status"),
]
