"""Chat's REST API: ``chats`` (your chats and their messages), ``messages`` (one message), ``bot``
(the Telegram webhook, your Telegram link, the bot's status) and ``urls``."""
