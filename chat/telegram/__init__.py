"""The Telegram bot bridge: linked users get their chat messages on Telegram and answer there.

Other apps use only what this module exports.
"""

from chat.models import TelegramAccount, TelegramMessage
from chat.telegram.client import TelegramSendError
from chat.telegram.selectors import register_waiting_counter, telegram_account_for, telegram_is_configured
from chat.telegram.services import telegram_send_now

__all__ = [
    "TelegramAccount",
    "TelegramMessage",
    "TelegramSendError",
    "register_waiting_counter",
    "telegram_account_for",
    "telegram_is_configured",
    "telegram_send_now",
]
