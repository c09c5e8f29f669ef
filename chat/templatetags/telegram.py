"""The Telegram link panel other apps' pages show (the profile page): ``{% load telegram %}``.

Chat owns the bridge, so it owns the panel; the page that shows it imports nothing of chat."""

from django import template

from chat.telegram.selectors import telegram_link_status
from chat.telegram.services import telegram_link_code_issue

register = template.Library()


@register.inclusion_tag("chat/telegram_link_panel.html", takes_context=True)
def telegram_link_panel(context):
    """The signed-in user's Telegram link, its code and buttons (the POSTs are chat's views)."""
    user = context["request"].user
    telegram = telegram_link_status(user)
    if telegram["configured"] and not telegram["linked"] and telegram["code"] is None:
        # Not linked yet: the panel shows a fresh one-time code straight away.
        telegram_link_code_issue(user=user)
        telegram = telegram_link_status(user)
    return {"telegram": telegram}
