"""Chat reads. Only the two participants ever get a chat or its messages."""

from django.db import connections
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from chat.models import Chat, Message, MessageTag, ReadState
from chat.tagging import Tag


def _newest_message(**filters):
    """The id of a chat's newest message (not deleted) that matches ``filters``, or NULL."""
    newest = Message.objects.filter(chat=OuterRef("pk"), deleted_at__isnull=True, **filters).order_by("-pk")
    return Subquery(newest.values("pk")[:1], output_field=IntegerField())


def chats_for_user(user) -> QuerySet[Chat]:
    """The user's chats (archived ones too), most recent activity first, each with its last
    message, unread count, when the user archived it (``archived_at``) and its open question.

    A chat's activity is its last message, or its opening while it has none (a chat opened by
    accepting an application is new, not old). Everything is annotated in one query, so the
    count of queries does not grow with chats.

    The open question (``open_question_id``, asked by ``open_question_by``): a participant's
    newest message tagged ``question`` that the other participant has written nothing after.
    Deleted messages count for neither. So a question stays open while its asker adds more
    messages ("What is your rate?", "Thanks!"), and any later message of the other side closes it;
    at most one side can have one open at a time.
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
            archived_at=Case(When(vendor=user, then=F("vendor_archived_at")), default=F("influencer_archived_at")),
            vendor_last_id=_newest_message(sender=OuterRef("vendor")),
            influencer_last_id=_newest_message(sender=OuterRef("influencer")),
            vendor_question_id=_newest_message(sender=OuterRef("vendor"), tag_rows__tag=Tag.QUESTION),
            influencer_question_id=_newest_message(sender=OuterRef("influencer"), tag_rows__tag=Tag.QUESTION),
        )
        .annotate(
            open_question_id=Case(
                When(vendor_question_id__gt=Coalesce("influencer_last_id", Value(0)), then=F("vendor_question_id")),
                When(influencer_question_id__gt=Coalesce("vendor_last_id", Value(0)), then=F("influencer_question_id")),
                default=None,
                output_field=IntegerField(),
            ),
            open_question_by=Case(
                When(vendor_question_id__gt=Coalesce("influencer_last_id", Value(0)), then=F("vendor_id")),
                When(influencer_question_id__gt=Coalesce("vendor_last_id", Value(0)), then=F("influencer_id")),
                default=None,
                output_field=IntegerField(),
            ),
        )
        .order_by("-last_activity_at", "-pk")
    )


def chats_archived(chats: QuerySet[Chat], archived: bool) -> QuerySet[Chat]:
    """Of ``chats_for_user``'s chats, those its user archived (or, with False, the others)."""
    return chats.filter(archived_at__isnull=not archived)


def chats_with_tag(chats: QuerySet[Chat], tag: str) -> QuerySet[Chat]:
    """Chats with at least one (not deleted) message tagged ``tag``."""
    return chats.filter(Exists(MessageTag.objects.filter(chat=OuterRef("pk"), tag=tag)))


def chats_with_open_question(chats: QuerySet[Chat], open_question: bool = True) -> QuerySet[Chat]:
    return chats.filter(open_question_id__isnull=not open_question)


def chats_matching(chats: QuerySet[Chat], query: str, user) -> QuerySet[Chat]:
    """Of ``user``'s chats, those whose messages match ``query`` (``messages_matching``), or whose
    campaign title or other participant's name contains it."""
    query = query.strip()
    if not query:
        return chats
    matching_messages = messages_matching(Message.objects.filter(chat=OuterRef("pk")), query)
    other_vendor = Q(vendor__display_name__icontains=query) | Q(vendor__business_name__icontains=query)
    names = (
        Q(campaign__title__icontains=query)
        | (Q(vendor=user) & Q(influencer__display_name__icontains=query))
        | (Q(influencer=user) & other_vendor)
    )
    return chats.filter(Exists(matching_messages) | names)


def messages_matching(messages: QuerySet[Message], query: str) -> QuerySet[Message]:
    """Messages (not deleted) whose text matches ``query``.

    On PostgreSQL, full-text search with the ``simple`` configuration (no stemming, no stop
    words, so Hindi, romanised Hindi and English words all match as typed; every word must
    occur, quotes match a phrase, ``-word`` excludes). Elsewhere (SQLite, MariaDB) every word
    must occur in the text, ignoring case (``icontains``), which also matches inside words.
    """
    messages = messages.filter(deleted_at__isnull=True)
    query = query.strip()
    if not query:
        return messages
    if connections[messages.db].vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        return messages.annotate(search_vector=SearchVector("text", config="simple")).filter(
            search_vector=SearchQuery(query, config="simple", search_type="websearch")
        )
    for word in query.split():
        messages = messages.filter(text__icontains=word)
    return messages


def chat_for_user(user, pk) -> Chat:
    """The chat if ``user`` takes part in it, else 404 (it does not exist for them)."""
    return get_object_or_404(chats_for_user(user), pk=pk)


def unread_total(user) -> int:
    """Unread messages in the user's chats that are not archived: the nav badge. An archived
    chat's messages wait in the Archived list (with their count there) until a new message
    brings the chat back."""
    return sum(chats_archived(chats_for_user(user), False).values_list("unread_count", flat=True))


def messages_of_chat(chat, *, before=None, after=None, tag=None, q=None) -> QuerySet[Message]:
    """Newest first; ``before``/``after`` a message id, for paging back and for backfill;
    ``tag`` only messages with that tag; ``q`` only those matching the search (``messages_matching``)."""
    messages = chat.messages.select_related("sender").order_by("-pk")
    if before is not None:
        messages = messages.filter(pk__lt=before)
    if after is not None:
        messages = messages.filter(pk__gt=after)
    if tag:
        messages = messages.filter(tag_rows__tag=tag)
    if q and q.strip():
        messages = messages_matching(messages, q)
    return messages


def last_message_from_other(chat, user) -> Message | None:
    """The newest message (not deleted) the other participant wrote: what a reply answers."""
    return chat.messages.filter(deleted_at__isnull=True).exclude(sender=user).order_by("-pk").first()


def recent_messages(chat, *, up_to_id=None, limit=12) -> list[Message]:
    """The chat's newest messages (not deleted), oldest first, up to ``up_to_id`` if given."""
    messages = chat.messages.filter(deleted_at__isnull=True).order_by("-pk")
    if up_to_id is not None:
        messages = messages.filter(pk__lte=up_to_id)
    return list(reversed(messages[:limit]))


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
