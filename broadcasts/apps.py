from django.apps import AppConfig


class BroadcastsConfig(AppConfig):
    name = "broadcasts"

    def ready(self):
        from broadcasts.selectors import telegram_deliveries_waiting
        from chat.telegram import register_waiting_counter

        # The bot's status counts broadcast deliveries waiting for Telegram; chat does not import broadcasts.
        register_waiting_counter(telegram_deliveries_waiting)
