"""Chat reads. Only the two participants ever get a chat or its messages."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from chat.models import Chat, Message, ReadState


def chats_for_user(user) -> QuerySet[Chat]:
    """The user's chats, most recent activity first, each with its last message and unread count.

    A chat's activity is its last message, or its opening while it has none (a chat opened by
    accepting an application is new, not old). Everything is annotated in one query, so the
    count of queries does not grow with chats.
    """
    last = Message.objects.filter(chat=OuterRef("pk")).order_by("-pk")
    read_up_to = ReadState.objects.filter(chat=OuterRef("chat"), user=user).values("last_read_message_id")[:1]
    unread = (
        Message.objects.filter(chat=OuterRef("pk"), deleted_at__isnull=True)
        .exclude(sender=user)
        .filter(pk__gt=Coalesce(Subquery(read_up_to), Value(0)))
        .values("chat")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Chat.objects.filter(Q(vendor=user) | Q(influencer=user))
        .select_related("vendor", "influencer", "campaign")
        .annotate(
            last_message_id=Subquery(last.values("pk")[:1]),
            last_message_text=Subquery(last.values("text")[:1]),
            last_message_sender=Subquery(last.values("sender")[:1]),
            last_message_deleted=Subquery(last.values("deleted_at")[:1]),
            unread_count=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)),
            last_activity_at=Coalesce("last_message_at", "created_at"),
        )
        .order_by("-last_activity_at", "-pk")
    )


def chat_for_user(user, pk) -> Chat:
    """The chat if ``user`` takes part in it, else 404 (it does not exist for them)."""
    return get_object_or_404(chats_for_user(user), pk=pk)


def unread_total(user) -> int:
    return sum(chats_for_user(user).values_list("unread_count", flat=True))


def messages_of_chat(chat, *, before=None, after=None) -> QuerySet[Message]:
    """Newest first; ``before``/``after`` a message id, for paging back and for backfill."""
    messages = chat.messages.select_related("sender").order_by("-pk")
    if before is not None:
        messages = messages.filter(pk__lt=before)
    if after is not None:
        messages = messages.filter(pk__gt=after)
    return messages


def message_for_user(user, pk) -> Message:
    return get_object_or_404(
        Message.objects.select_related("chat", "sender").filter(Q(chat__vendor=user) | Q(chat__influencer=user)), pk=pk
    )


def read_states_of_chat(chat) -> dict[int, int | None]:
    """Each participant's last read message id (for read receipts)."""
    return dict(chat.read_states.values_list("user_id", "last_read_message_id"))


def chats_export(user) -> list[dict]:
    """The user's chats and every message in them, for their data export (``accounts.hooks``):
    the other side by the name the user sees, messages as the user sees them (a deleted one
    without its text)."""
    messages = Message.objects.order_by("pk")
    chats = (
        Chat.objects.filter(Q(vendor=user) | Q(influencer=user))
        .select_related("vendor", "influencer", "campaign")
        .prefetch_related(Prefetch("messages", queryset=messages))
        .order_by("created_at", "pk")
    )
    exported = []
    for chat in chats:
        other = chat.other(user)
        exported.append(
            {
                "id": chat.pk,
                "with": {"name": other.public_name, "role": other.role},
                "campaign": chat.campaign.title if chat.campaign else None,
                "created_at": chat.created_at,
                "messages": [
                    {
                        "id": message.pk,
                        "from": "me" if message.sender_id == user.pk else "them",
                        "text": "" if message.deleted_at else message.text,
                        "created_at": message.created_at,
                        "edited_at": message.edited_at,
                        "deleted": message.deleted_at is not None,
                    }
                    for message in chat.messages.all()
                ],
            }
        )
    return exported


def chats_export_rows(user) -> int:
    mine = Q(vendor=user) | Q(influencer=user)
    return Chat.objects.filter(mine).count() + Message.objects.filter(chat__in=Chat.objects.filter(mine)).count()
