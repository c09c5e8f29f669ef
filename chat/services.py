"""Chat writes: opening chats, sending, editing, deleting and reading messages, archiving chats,
and a message's tags and language (computed from its text whenever it is saved)."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Role, User
from anwariya.db import unique_rule_lock
from anwariya.errors import Conflict, DomainError
from chat import events
from chat.language import detect_language
from chat.models import Chat, Message, MessageTag, ReadState
from chat.tagging import message_tags
from chat.telegram.services import telegram_notify_new_message

EDIT_WINDOW = timedelta(minutes=10)


class ChatError(DomainError):
    default_detail = "Please correct the highlighted fields."


class NotAllowed(DomainError):
    status_code = 403
    code = "permission_denied"


def chat_open(*, actor: User, other: User, campaign=None, free: bool = False) -> tuple[Chat, bool]:
    """Get or create the chat of a vendor and an influencer (about ``campaign``, if given).

    A vendor opening a new chat pays the contact price, unless the influencer is accepted or
    invited on the campaign (``free`` is for the campaign flows that already settled that).
    An influencer can open a chat only about a campaign they are accepted on.
    Returns ``(chat, created)``.
    """
    from accounts.wallet import wallet_spend
    from campaigns.models import Application

    if {actor.role, other.role} != {Role.VENDOR, Role.INFLUENCER} or not other.is_active:
        raise ChatError(errors={"other_user": ["Chats are between a vendor and an influencer."]})
    vendor, influencer = (actor, other) if actor.role == Role.VENDOR else (other, actor)
    if campaign is not None and campaign.vendor_id != vendor.pk:
        raise ChatError(errors={"campaign": ["This campaign is not the vendor's."]})

    existing = Chat.objects.filter(vendor=vendor, influencer=influencer, campaign=campaign).first()
    if existing:
        return existing, False

    joined = (
        campaign is not None
        and Application.objects.filter(
            campaign=campaign,
            influencer=influencer,
            status__in=[Application.Status.ACCEPTED, Application.Status.INVITED],
        ).exists()
    )
    if actor.role == Role.INFLUENCER and not (free or joined):
        raise NotAllowed("Influencers can message a vendor about a campaign they are accepted on.")

    with transaction.atomic():
        # Where the database has no index for the pair's conditional unique constraints (MariaDB,
        # MySQL), openings of the same chat take turns and a later one finds the first.
        rule = "chat_unique_per_pair_without_campaign" if campaign is None else "chat_unique_per_campaign_and_pair"
        if unique_rule_lock(Chat, rule, vendor.pk, influencer.pk, campaign.pk if campaign else ""):
            existing = Chat.objects.filter(vendor=vendor, influencer=influencer, campaign=campaign).first()
            if existing:
                return existing, False
        try:
            with transaction.atomic():
                chat = Chat.objects.create(vendor=vendor, influencer=influencer, campaign=campaign)
        except IntegrityError:
            return Chat.objects.get(vendor=vendor, influencer=influencer, campaign=campaign), False
        price = settings.TOKEN_PRICE_CONTACT
        if actor.role == Role.VENDOR and not (free or joined) and price:
            wallet_spend(
                user=vendor,
                amount=price,
                reason=f"Chat with {influencer.display_name}"[:200],
                reference=f"chat:{chat.pk}",
                actor=vendor,
            )
        events.publish(events.user_group(other.pk), {"type": "chat.new", "chat": chat.pk})
    return chat, True


def campaign_chat_open(application) -> Chat:
    """An influencer who joins a campaign (invited, or accepted) gets the pair's chat about it, at
    no further cost: the invitation or application settled that.

    Registered with ``campaigns.hooks.on_campaign_joined`` (``chat.apps``): it runs inside the
    campaign service's transaction, so the chat is made with the join, and a failure here undoes
    the join. An invitation then accepted finds its chat already open.
    """
    campaign = application.campaign
    chat, _ = chat_open(actor=campaign.vendor, other=application.influencer, campaign=campaign, free=True)
    return chat


def message_send(*, chat: Chat, sender: User, text: str, notify_telegram: bool = True) -> Message:
    """Save a message first, then push it to both participants' sockets (and to the other's
    Telegram, if linked, unless the caller delivers it there itself). The message gets its tags
    and language, and brings the chat back from the recipient's archive (the sender's stays)."""
    if not chat.has_participant(sender):
        raise NotAllowed("Only the two participants write in a chat.")
    text = _clean_text(text)
    other_id = chat.influencer_id if sender.pk == chat.vendor_id else chat.vendor_id
    with transaction.atomic():
        message = Message.objects.create(
            chat=chat, sender=sender, text=text, tags=message_tags(text), language=detect_language(text)
        )
        _store_tag_rows(message)
        Chat.objects.filter(pk=chat.pk).update(last_message_at=message.created_at)
        recipient_archived = chat.archived_field(other_id)
        Chat.objects.filter(pk=chat.pk, **{f"{recipient_archived}__isnull": False}).update(**{recipient_archived: None})
        # Writing a message means having read everything before it.
        _advance_read_state(chat, sender, message)
        events.publish(events.chat_group(chat.pk), {"type": "message.new", "message": events.message_payload(message)})
        events.publish(events.user_group(other_id), {"type": "unread.changed"})
        if notify_telegram:
            telegram_notify_new_message(message=message)
    return message


def message_edit(*, message: Message, actor: User, text: str) -> Message:
    """Change one's own recent message; its tags and language are found again from the new text."""
    _check_own_and_recent(message, actor)
    text = _clean_text(text)
    with transaction.atomic():
        message.text, message.edited_at = text, timezone.now()
        message.tags, message.language = message_tags(text), detect_language(text)
        message.save(update_fields=["text", "edited_at", "tags", "language"])
        _store_tag_rows(message)
        events.publish(
            events.chat_group(message.chat_id), {"type": "message.edited", "message": events.message_payload(message)}
        )
    return message


def message_delete(*, message: Message, actor: User) -> Message:
    """Delete one's own message: both participants see it as deleted, and it keeps no tags."""
    _check_own_and_recent(message, actor)
    with transaction.atomic():
        message.deleted_at = timezone.now()
        message.tags = []
        message.save(update_fields=["deleted_at", "tags"])
        _store_tag_rows(message)
        events.publish(
            events.chat_group(message.chat_id), {"type": "message.deleted", "message": events.message_payload(message)}
        )
    return message


def messages_analyse(*, messages) -> int:
    """Find the tags and language of existing ``messages`` again (the backfill after an upgrade,
    or after the rules changed): one batch in one transaction. Returns how many were saved."""
    messages = list(messages)
    for message in messages:
        deleted = message.deleted_at is not None
        message.tags = [] if deleted else message_tags(message.text)
        message.language = detect_language(message.text)
    with transaction.atomic():
        Message.objects.bulk_update(messages, ["tags", "language"])
        MessageTag.objects.filter(message__in=messages).delete()
        MessageTag.objects.bulk_create(
            [MessageTag(message=m, chat_id=m.chat_id, tag=tag) for m in messages for tag in m.tags]
        )
    return len(messages)


def _store_tag_rows(message) -> None:
    """``MessageTag`` rows mirror ``message.tags`` (the filters read the rows)."""
    MessageTag.objects.filter(message=message).exclude(tag__in=message.tags).delete()
    MessageTag.objects.bulk_create(
        [MessageTag(message=message, chat_id=message.chat_id, tag=tag) for tag in message.tags],
        ignore_conflicts=True,
    )


def chat_archive(*, chat: Chat, user: User) -> Chat:
    """Archive the chat for ``user`` only: it leaves their default list (and their unread total)
    until they unarchive it or the other participant writes. The other participant sees no change."""
    return _set_archived(chat=chat, user=user, archived_at=timezone.now())


def chat_unarchive(*, chat: Chat, user: User) -> Chat:
    return _set_archived(chat=chat, user=user, archived_at=None)


def _set_archived(*, chat, user, archived_at) -> Chat:
    if not chat.has_participant(user):
        raise NotAllowed("Only the two participants archive a chat.")
    field = chat.archived_field(user.pk)
    with transaction.atomic():
        if (getattr(chat, field) is None) != (archived_at is None):  # no change keeps the first time
            setattr(chat, field, archived_at)
            chat.save(update_fields=[field])
            events.publish(events.user_group(user.pk), {"type": "unread.changed"})
    return chat


def chat_mark_read(*, chat: Chat, user: User, message_id: int) -> ReadState:
    """Record that ``user`` read up to ``message_id``; read receipts go to the chat."""
    if not chat.has_participant(user):
        raise NotAllowed("Only the two participants read a chat.")
    message = Message.objects.filter(chat=chat, pk=message_id).first()
    if message is None:
        raise ChatError(errors={"message_id": ["No such message in this chat."]})
    with transaction.atomic():
        state = _advance_read_state(chat, user, message)
        events.publish(
            events.chat_group(chat.pk), {"type": "read", "user": user.pk, "message_id": state.last_read_message_id}
        )
        events.publish(events.user_group(user.pk), {"type": "unread.changed"})
    return state


def _advance_read_state(chat, user, message) -> ReadState:
    """Move the read marker forward only (an old receipt never un-reads newer messages)."""
    state, _ = ReadState.objects.get_or_create(chat=chat, user=user)
    ReadState.objects.filter(pk=state.pk).filter(
        Q(last_read_message__isnull=True) | Q(last_read_message_id__lt=message.pk)
    ).update(last_read_message=message, updated_at=timezone.now())
    state.refresh_from_db(fields=["last_read_message"])
    return state


def _check_own_and_recent(message, actor):
    if message.sender_id != actor.pk:
        raise NotAllowed("You can only change your own messages.")
    if message.deleted_at is not None:
        raise Conflict("This message was deleted.", errors={"message": ["Deleted."]})
    if timezone.now() - message.created_at > EDIT_WINDOW:
        raise Conflict(
            "Messages can be changed for 10 minutes after sending.", errors={"message": ["Too late to change."]}
        )


def _clean_text(text) -> str:
    text = (text or "").strip() if isinstance(text, str) else ""
    if not text:
        raise ChatError(errors={"text": ["Write a message."]})
    if len(text) > Message.MAX_LENGTH:
        raise ChatError(errors={"text": [f"Ensure this field has no more than {Message.MAX_LENGTH} characters."]})
    return text
