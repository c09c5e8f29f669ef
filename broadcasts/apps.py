from django.apps import AppConfig


class BroadcastsConfig(AppConfig):
    name = "broadcasts"

    def ready(self):
        from accounts.hooks import register_on_close
        from broadcasts.selectors import telegram_deliveries_waiting
        from broadcasts.services import broadcasts_refuse_closing
        from chat.telegram import register_waiting_counter

        # The bot's status counts broadcast deliveries waiting for Telegram; chat does not import broadcasts.
        register_waiting_counter(telegram_deliveries_waiting)
        # A vendor closes their account only once no broadcast is scheduled, running or paused.
        register_on_close(broadcasts_refuse_closing)
