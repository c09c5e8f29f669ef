from django.contrib import messages as flash
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from anwariya.errors import DomainError
from anwariya.forms import apply_domain_errors
from anwariya.page_filters import filter_page_list, query_without_page
from anwariya.redirects import redirect_back
from chat import selectors, services, suggestions
from chat.filters import ChatPageFilter
from chat.forms import ChatStartForm, HistoryForm
from chat.models import Message
from chat.tagging import Tag
from chat.telegram.services import telegram_account_unlink, telegram_link_code_issue
from chat.throttles import SuggestionsThrottle
from profiles.selectors import user_time_zone

HISTORY = 50


def _bad_request(request, form, heading):
    """A request the pages never send (a bad or stale id): 400, each refused field named."""
    return render(request, "chat/bad_request.html", {"form": form, "heading": heading}, status=400)


class ChatListView(LoginRequiredMixin, View):
    """Your chats, or the Archived view (``?archived=true``), filtered as the API filters them."""

    def get(self, request):
        filters, chats, search = filter_page_list(request, selectors.chats_for_user(request.user), ChatPageFilter)
        page = Paginator(chats, 25).get_page(request.GET.get("page"))
        context = {
            "page": page,
            "filters": filters,
            "search": search,
            "archived": filters.form.cleaned_data.get("archived") is True,
            "filtered": any(request.GET.get(name) for name in ("tag", "open_question", "search", "q")),
            "query": query_without_page(request),
        }
        return render(request, "chat/chat_list.html", context)


def _detail_context(request, chat, query, reply_suggestions=None):
    """The chat page: its history (or, with ``q``/``tag``, the matching messages), its tags and
    languages, and reply suggestions when asked for."""
    before, q, tag = query["before"], query["q"], query["tag"]
    searching = bool(q or tag)
    newest_first = list(selectors.messages_of_chat(chat, before=before, q=q, tag=tag)[: HISTORY + 1])
    has_older = len(newest_first) > HISTORY
    history = list(reversed(newest_first[:HISTORY]))
    if history and before is None and not searching:
        services.chat_mark_read(chat=chat, user=request.user, message_id=history[-1].pk)
    other = chat.other(request.user)
    return {
        "chat": chat,
        "other": other,
        "history": history,
        "searching": searching,
        "search_query": q,
        "search_tag": tag,
        "tag_choices": Tag.choices,
        "older_than": history[0].pk if has_older and history else None,
        "other_read_up_to": selectors.read_states_of_chat(chat).get(other.pk),
        "max_length": Message.MAX_LENGTH,
        "time_zone": user_time_zone(request.user),
        "archived": chat.archived_at is not None,
        "draft": query["draft"],
        "reply_suggestions": reply_suggestions,
    }


class ChatDetailView(LoginRequiredMixin, View):
    """The chat page: history (older on request), a form that works without JavaScript, live updates with it."""

    def get(self, request, pk):
        chat = selectors.chat_for_user(request.user, pk)
        query = HistoryForm(request.GET)
        if not query.is_valid():
            return _bad_request(request, query, "These messages cannot be shown")
        return render(request, "chat/chat_detail.html", _detail_context(request, chat, query.cleaned_data))

    def post(self, request, pk):
        chat = selectors.chat_for_user(request.user, pk)
        try:
            services.message_send(chat=chat, sender=request.user, text=request.POST.get("text", ""))
        except DomainError as error:
            flash.error(request, "; ".join(m for ms in error.errors.values() for m in ms) or error.detail)
        return redirect("chat:chat-detail", pk=pk)


class ChatArchiveView(LoginRequiredMixin, View):
    """The chat page's Archive / Unarchive button: for you only."""

    archive = True

    def post(self, request, pk):
        chat = selectors.chat_for_user(request.user, pk)
        if self.archive:
            services.chat_archive(chat=chat, user=request.user)
            # Only the other side's messages unarchive it (services.message_send), not your own.
            other = chat.other(request.user).public_name
            flash.success(request, f"Chat archived. It comes back to your list when {other} writes again.")
            return redirect("chat:chat-list")
        services.chat_unarchive(chat=chat, user=request.user)
        flash.success(request, "Chat moved back to your chats.")
        return redirect("chat:chat-detail", pk=pk)


class ChatSuggestionsView(LoginRequiredMixin, View):
    """The "Suggest replies" button without JavaScript: the chat page with three replies to pick
    (each puts its text in the message box; nothing is sent). With JavaScript the page asks the
    API instead; both count against the same per-user rate."""

    def post(self, request, pk):
        chat = selectors.chat_for_user(request.user, pk)
        query = HistoryForm({})
        query.is_valid()
        throttle = SuggestionsThrottle()
        if not throttle.allow_request(request, None):
            flash.error(request, "Too many suggestions asked for. Please wait a minute and try again.")
            return redirect("chat:chat-detail", pk=pk)
        try:
            result = suggestions.suggestions_for(chat=chat, user=request.user)
        except DomainError as error:
            flash.error(request, error.detail)
            return redirect("chat:chat-detail", pk=pk)
        return render(request, "chat/chat_detail.html", _detail_context(request, chat, query.cleaned_data, result))


class ChatStartView(LoginRequiredMixin, View):
    """Open (or find) the chat with another user, from a profile or a campaign page."""

    def post(self, request):
        form = ChatStartForm(request.POST)
        if not form.is_valid():
            return _bad_request(request, form, "The chat could not be opened")
        other = form.cleaned_data["other_user"]
        try:
            chat, created = services.chat_open(actor=request.user, other=other, campaign=form.cleaned_data["campaign"])
        except services.ChatError as error:  # who or what the chat is about does not fit
            apply_domain_errors(form, error)
            return _bad_request(request, form, "The chat could not be opened")
        except DomainError as error:  # a refusal the user can act on (tokens, not accepted yet)
            flash.error(request, error.detail)
            return redirect_back(request, "chat:chat-list")
        if created:
            flash.success(request, f"Chat with {other.public_name} opened.")
        return redirect("chat:chat-detail", pk=chat.pk)


def _profile_telegram_section():
    return redirect(reverse("profiles:profile") + "#telegram")


class TelegramCodeView(LoginRequiredMixin, View):
    """Make a new one-time code to link Telegram (shown in the profile's Telegram section)."""

    def post(self, request):
        try:
            telegram_link_code_issue(user=request.user)
        except DomainError as error:
            flash.error(request, error.detail)
        else:
            flash.success(request, "Your Telegram code is ready. It works once, for 30 minutes.")
        return _profile_telegram_section()


class TelegramUnlinkView(LoginRequiredMixin, View):
    def post(self, request):
        if telegram_account_unlink(user=request.user):
            flash.success(request, "Telegram unlinked. Chat messages no longer go there.")
        return _profile_telegram_section()
