from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Chat(models.Model):
    """A one-to-one conversation between a vendor and an influencer, usually about a campaign."""

    vendor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vendor_chats")
    influencer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="influencer_chats")
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="chats"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(null=True, blank=True)

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


class Message(models.Model):
    MAX_LENGTH = 4000

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

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
