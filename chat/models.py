from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from chat.tagging import Tag


class Chat(models.Model):
    """A one-to-one conversation between a vendor and an influencer, usually about a campaign."""

    vendor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vendor_chats")
    influencer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="influencer_chats")
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="chats"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(null=True, blank=True)
    # Each participant archives the chat for themselves only (``chat.services.chat_archive``).
    vendor_archived_at = models.DateTimeField(null=True, blank=True)
    influencer_archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_message_at", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "vendor", "influencer"],
                condition=Q(campaign__isnull=False),
                name="chat_unique_per_campaign_and_pair",
            ),
            models.UniqueConstraint(
                fields=["vendor", "influencer"],
                condition=Q(campaign__isnull=True),
                name="chat_unique_per_pair_without_campaign",
            ),
            models.CheckConstraint(condition=~Q(vendor=models.F("influencer")), name="chat_two_different_people"),
        ]
        indexes = [
            models.Index(fields=["vendor", "-last_message_at"], name="chat_vendor_activity_idx"),
            models.Index(fields=["influencer", "-last_message_at"], name="chat_influencer_activity_idx"),
        ]

    def __str__(self):
        return f"{self.vendor} ↔ {self.influencer}"

    def other(self, user):
        return self.influencer if user.pk == self.vendor_id else self.vendor

    def has_participant(self, user):
        return user.pk in (self.vendor_id, self.influencer_id)

    def archived_field(self, user_id) -> str:
        """The field that holds when the participant ``user_id`` archived this chat."""
        return "vendor_archived_at" if user_id == self.vendor_id else "influencer_archived_at"


class Message(models.Model):
    MAX_LENGTH = 4000

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Set from the text whenever it is saved (``chat.services``): the tag slugs (``chat.tagging``;
    # also rows of ``MessageTag``, which the filters use), and the language (``chat.language``:
    # a code, "und" when undetermined, "" when not analysed yet).
    tags = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["chat", "-id"], name="message_chat_newest_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(text="") | Q(deleted_at__isnull=False), name="message_text_not_empty")
        ]

    def __str__(self):
        return f"{self.sender}: {self.text[:40]}"

    @property
    def is_deleted(self):
        return self.deleted_at is not None


class MessageTag(models.Model):
    """One tag of one message, for filtering: ``?tag=`` on messages and on chats. The same slugs
    as ``Message.tags``, written with them; a deleted message has none."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="tag_rows")
    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="+")
    tag = models.CharField(max_length=16, choices=Tag.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "tag"], name="message_tag_once_per_message")]
        indexes = [models.Index(fields=["chat", "tag", "message"], name="message_tag_chat_idx")]

    def __str__(self):
        return f"{self.tag} on message {self.message_id}"


class ReadState(models.Model):
    """How far one participant has read a chat; unread counts come from it."""

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="read_states")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chat", "user"], name="read_state_one_per_participant")]

    def __str__(self):
        return f"{self.user} read {self.chat} to {self.last_read_message_id}"


# --- Telegram bot bridge -------------------------------------------------------------------------


class TelegramAccount(models.Model):
    """A user's linked Telegram chat: new chat messages go there, replies come back as the user.

    One Telegram chat belongs to at most one user and a user has at most one Telegram chat.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    telegram_chat_id = models.BigIntegerField(help_text="The private chat of the user with the bot.")
    telegram_user_id = models.BigIntegerField(null=True, blank=True)
    username = models.CharField(max_length=64, blank=True, help_text="Telegram @username, if they have one.")
    first_name = models.CharField(max_length=128, blank=True)
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user"], name="telegram_account_one_per_user"),
            models.UniqueConstraint(fields=["telegram_chat_id"], name="telegram_account_one_user_per_chat"),
        ]

    def __str__(self):
        return f"{self.user} ↔ Telegram {self.display_handle}"

    @property
    def display_handle(self):
        return f"@{self.username}" if self.username else (self.first_name or str(self.telegram_chat_id))


class TelegramLinkCode(models.Model):
    """The one-time code a user sends to the bot (``/start CODE``) to link their Telegram chat.

    A user has at most one code: making a new one replaces the old.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user"], name="telegram_link_code_one_per_user"),
            models.UniqueConstraint(fields=["code"], name="telegram_link_code_unique"),
        ]

    def __str__(self):
        return f"Telegram link code of {self.user}"  # never the code: it is the user's secret

    def is_usable(self, now=None):
        return self.used_at is None and self.expires_at > (now or timezone.now())


class TelegramUpdate(models.Model):
    """An update Telegram sent to the webhook. The row is claimed before handling, so each runs once."""

    update_id = models.BigIntegerField()
    kind = models.CharField(max_length=32, help_text="message, edited_message, … (the update's field).")
    telegram_chat_id = models.BigIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=32, blank=True, help_text="What the bot did with it.")
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["update_id"], name="telegram_update_handled_once")]
        indexes = [models.Index(fields=["-received_at"], name="telegram_update_received_idx")]

    def __str__(self):
        return f"update {self.update_id} ({self.kind})"


class TelegramMessage(models.Model):
    """One message the bot sends (the outbox): its delivery status, and the Telegram message id
    that maps a reply back to ``chat``."""

    class Kind(models.TextChoices):
        NOTIFICATION = "notification", "Chat message notification"
        REPLY = "reply", "Bot reply"
        DIRECT = "direct", "Direct message"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    telegram_chat_id = models.BigIntegerField(help_text="Where it goes.")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    chat = models.ForeignKey(
        Chat, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="Replies post here."
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="What it notifies of."
    )
    text = models.TextField()
    reply_to_message_id = models.BigIntegerField(null=True, blank=True, help_text="The Telegram message answered.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    telegram_message_id = models.BigIntegerField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["telegram_chat_id", "telegram_message_id"],
                condition=Q(telegram_message_id__isnull=False),
                name="telegram_message_unique_per_telegram_chat",
            ),
            models.UniqueConstraint(
                fields=["message", "user"],
                condition=Q(message__isnull=False, kind="notification"),
                name="telegram_message_one_notification_per_recipient",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(telegram_message_id__isnull=False, sent_at__isnull=False),
                name="telegram_message_sent_has_id",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="telegram_message_status_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.telegram_chat_id} ({self.status})"
