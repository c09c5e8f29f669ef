from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "chat"

    def ready(self):
        from campaigns.hooks import on_campaign_joined
        from chat.services import campaign_chat_open

        # Joining a campaign opens the pair's chat about it; campaigns does not import chat.
        on_campaign_joined(campaign_chat_open)
