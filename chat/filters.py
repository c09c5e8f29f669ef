"""The chat list's filters: one FilterSet for the page (``/chats/``) and the API
(``GET /api/v1/chats/``), so the same query lists the same chats on both."""

import django_filters
from django import forms

from anwariya.api.filters import FilterSet
from chat import selectors
from chat.models import Chat
from chat.tagging import Tag

SEARCH_MAX_LENGTH = 200


class ChatFilter(FilterSet):
    """``archived`` (default false: the chats you have not archived), ``tag`` (chats with a
    message so tagged), ``open_question`` and ``q`` (search; ``search`` is the same, as the other
    lists name it). The queryset is ``chats_for_user``'s, for the request's user."""

    archived = django_filters.BooleanFilter(
        method="filter_archived", help_text="true: only the chats you archived; false (the default): the others."
    )
    tag = django_filters.ChoiceFilter(
        choices=Tag.choices, method="filter_tag", help_text="Only chats with a message that has this tag."
    )
    open_question = django_filters.BooleanFilter(
        method="filter_open_question",
        help_text="true: only chats with an open question (a question the other side has not answered yet).",
    )
    q = django_filters.CharFilter(
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text="Search the messages (full text on PostgreSQL), the campaign title and the other's name.",
    )
    search = django_filters.CharFilter(method="filter_search", max_length=SEARCH_MAX_LENGTH, help_text="Same as `q`.")

    class Meta:
        model = Chat
        fields = ["archived", "tag", "open_question", "q", "search"]

    def filter_queryset(self, queryset):
        if self.form.cleaned_data.get("archived") is None:
            queryset = selectors.chats_archived(queryset, False)
        return super().filter_queryset(queryset)

    def filter_archived(self, queryset, name, value):
        return selectors.chats_archived(queryset, value)

    def filter_tag(self, queryset, name, value):
        return selectors.chats_with_tag(queryset, value)

    def filter_open_question(self, queryset, name, value):
        return selectors.chats_with_open_question(queryset, value)

    def filter_search(self, queryset, name, value):
        return selectors.chats_matching(queryset, value, self.request.user)


class ChatPageFilter(ChatFilter):
    """The chat list page's form of the same filters; its search box is ``?search=`` (``?q=``
    links read the same), and the Archived view is a link (``?archived=true``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.form.fields
        fields["tag"].widget = forms.Select(choices=[("", "Any tag"), *Tag.choices])
        fields["tag"].label = "Tag"
        fields["open_question"].widget = forms.Select(
            choices=[("", "Any chat"), ("true", "Open question"), ("false", "No open question")]
        )
        fields["open_question"].label = "Questions"
        fields["search"].label = "Search"
        fields["archived"].widget = forms.HiddenInput()
        for field in fields.values():
            field.widget.attrs["aria-label"] = field.label
