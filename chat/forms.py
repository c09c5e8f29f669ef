"""What the chat pages read from a request: every id goes through a form field, so a bad one is a
form error (400 with the field named), never a 500."""

from django import forms

from accounts.models import User
from anwariya.api.filters import MAX_ID
from campaigns.models import Campaign
from chat.filters import SEARCH_MAX_LENGTH
from chat.models import Message
from chat.tagging import Tag


class ChatStartForm(forms.Form):
    """The "Message" button: the other person and, optionally, the campaign the chat is about."""

    other_user = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True),
        label="Who to message",
        error_messages={"invalid_choice": "No such user."},
    )
    campaign = forms.ModelChoiceField(
        queryset=Campaign.objects.all(),
        required=False,
        label="Campaign",
        error_messages={"invalid_choice": "No such campaign."},
    )


class HistoryForm(forms.Form):
    """``?before=<message id>``: the chat page's "Load older messages"; ``?q=`` and ``?tag=``: its
    search; ``?draft=``: a text to put in the message box (a picked reply suggestion, without JS)."""

    before = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False, label="Older than message")
    q = forms.CharField(max_length=SEARCH_MAX_LENGTH, required=False, strip=True, label="Search messages")
    tag = forms.ChoiceField(choices=[("", "Any tag"), *Tag.choices], required=False, label="Tag")
    draft = forms.CharField(max_length=Message.MAX_LENGTH, required=False, strip=False, label="Draft")
