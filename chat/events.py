"""What chats push to websockets, and to whom. Sent after the transaction commits."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def chat_group(chat_id) -> str:
    return f"chat.{chat_id}"


def user_group(user_id) -> str:
    return f"user.{user_id}"


def message_payload(message) -> dict:
    """A message as clients see it (REST and websocket alike)."""
    deleted = message.deleted_at is not None
    return {
        "id": message.pk,
        "chat": message.chat_id,
        "sender": message.sender_id,
        "sender_name": message.sender.public_name,  # "Deleted user" once the sender closed their account
        "text": "" if deleted else message.text,
        "created_at": message.created_at.isoformat(),
        "edited_at": message.edited_at.isoformat() if message.edited_at else None,
        "deleted": deleted,
        "tags": [] if deleted else list(message.tags),
        "language": "" if deleted else message.language,
    }


def publish(group: str, event: dict) -> None:
    """Send ``event`` to a group once the current transaction commits.

    Delivery over a channel layer is at most once; clients backfill from REST on reconnect.
    """
    layer = get_channel_layer()
    if layer is None:
        return
    message = {"type": "push", "event": event}
    transaction.on_commit(lambda: async_to_sync(layer.group_send)(group, message))
