from accounts.tests.factories import InfluencerFactory, VendorFactory
from chat.models import Chat, TelegramAccount


def make_chat(vendor=None, influencer=None, campaign=None):
    """A chat between a vendor and an influencer (created directly: no token price in tests)."""
    return Chat.objects.create(
        vendor=vendor or VendorFactory(), influencer=influencer or InfluencerFactory(), campaign=campaign
    )


def link_telegram(user, telegram_chat_id, username="ira_tg"):
    """Link ``user`` to a Telegram chat directly, as ``/start CODE`` would."""
    return TelegramAccount.objects.create(
        user=user,
        telegram_chat_id=telegram_chat_id,
        telegram_user_id=telegram_chat_id,
        username=username,
        first_name="Ira",
    )
