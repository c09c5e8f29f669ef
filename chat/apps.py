from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "chat"

    def ready(self):
        from accounts.hooks import register_export_section, register_on_close
        from campaigns.hooks import on_campaign_joined
        from chat.selectors import chats_export, chats_export_rows
        from chat.services import campaign_chat_open
        from chat.telegram.selectors import telegram_export, telegram_export_rows
        from chat.telegram.services import telegram_forget_user

        # Joining a campaign opens the pair's chat about it; campaigns does not import chat.
        on_campaign_joined(campaign_chat_open)
        # A user's export holds their chats and Telegram link; closing the account removes the
        # link (messages stay for the other side, from "Deleted user"). accounts does not import chat.
        register_export_section("chats", chats_export, rows=chats_export_rows)
        register_export_section("telegram", telegram_export, rows=telegram_export_rows)
        register_on_close(telegram_forget_user)
