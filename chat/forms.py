"""What the chat pages read from a request: every id goes through a form field, so a bad one is a
form error (400 with the field named), never a 500."""

from django import forms

from accounts.models import User
from anwariya.api.filters import MAX_ID
from campaigns.models import Campaign


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
    """``?before=<message id>``: the chat page's "Load older messages"."""

    before = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False, label="Older than message")
