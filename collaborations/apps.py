from django.apps import AppConfig


class CollaborationsConfig(AppConfig):
    name = "collaborations"

    def ready(self):
        from campaigns.hooks import on_campaign_joined
        from collaborations.services import collaboration_open

        # An accepted application or invitation becomes a collaboration, in the same transaction;
        # campaigns does not import collaborations.
        on_campaign_joined(collaboration_open)
