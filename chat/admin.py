from django.contrib import admin

from anwariya.admin import service_action
from chat.language import language_name
from chat.models import Chat, Message, TelegramAccount, TelegramLinkCode, TelegramMessage, TelegramUpdate
from chat.services import messages_analyse
from chat.tagging import Tag


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the bot writes: shown as they are, never added or edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TelegramAccount)
class TelegramAccountAdmin(ReadOnlyAdmin):
    list_display = ["user", "display_handle", "telegram_chat_id", "linked_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__display_name", "username", "=telegram_chat_id"]
    date_hierarchy = "linked_at"
    # Deleting a row unlinks the user, which is allowed.


@admin.register(TelegramLinkCode)
class TelegramLinkCodeAdmin(ReadOnlyAdmin):
    list_display = ["user", "created_at", "expires_at", "used_at"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    # The code itself is a secret of its user until used; the admin does not show it.
    exclude = ["code"]


@admin.register(TelegramUpdate)
class TelegramUpdateAdmin(ReadOnlyAdmin):
    list_display = ["update_id", "kind", "telegram_chat_id", "outcome", "received_at"]
    list_filter = ["kind", "outcome", "received_at"]
    search_fields = ["=update_id", "=telegram_chat_id"]
    date_hierarchy = "received_at"

    def has_delete_permission(self, request, obj=None):
        return False  # the rows are what makes each update run once


@admin.register(TelegramMessage)
class TelegramMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "user", "telegram_chat_id", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "=telegram_chat_id", "last_error"]
    date_hierarchy = "created_at"
    raw_id_fields = ["chat", "message"]


# --- Chats and messages: read-only (the services write them) ------------------------------------


@admin.register(Chat)
class ChatAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "vendor",
        "influencer",
        "campaign",
        "last_message_at",
        "vendor_archived",
        "influencer_archived",
    ]
    list_select_related = ["vendor", "influencer", "campaign"]
    search_fields = ["vendor__email", "influencer__email", "campaign__title"]
    date_hierarchy = "created_at"
    raw_id_fields = ["vendor", "influencer", "campaign"]

    def has_delete_permission(self, request, obj=None):
        return False  # a chat is the two participants' record

    @admin.display(boolean=True, description="archived by the vendor")
    def vendor_archived(self, chat):
        return chat.vendor_archived_at is not None

    @admin.display(boolean=True, description="archived by the influencer")
    def influencer_archived(self, chat):
        return chat.influencer_archived_at is not None


class TagFilter(admin.SimpleListFilter):
    title = "tag"
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        return Tag.choices

    def queryset(self, request, queryset):
        if self.value() in Tag.values:
            return queryset.filter(tag_rows__tag=self.value())
        return queryset


def _analyse_again(request, message):
    messages_analyse(messages=[message])
    return f"Tags {', '.join(message.tags) or 'none'}; language {message.language}."


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["pk", "chat", "sender", "short_text", "tag_list", "language_shown", "created_at", "deleted_at"]
    list_select_related = ["chat__vendor", "chat__influencer", "sender"]
    list_filter = [TagFilter, "language", "created_at"]
    search_fields = ["text", "sender__email", "=chat__id"]
    date_hierarchy = "created_at"
    raw_id_fields = ["chat", "sender"]
    actions = [
        service_action(
            _analyse_again, name="analyse_again", description="Detect tags and language again", permission="view"
        )
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # a sender deletes their message (it stays, marked deleted)

    @admin.display(description="text")
    def short_text(self, message):
        return message.text[:80]

    @admin.display(description="tags")
    def tag_list(self, message):
        return ", ".join(Tag(tag).label for tag in message.tags if tag in Tag.values)

    @admin.display(description="language", ordering="language")
    def language_shown(self, message):
        return language_name(message.language) or message.language or "—"
