"""What apps above ``campaigns`` do when an influencer joins a campaign, without campaigns importing them.

``chat`` imports ``campaigns`` (a chat may be about a campaign); ``campaigns`` never imports
``chat``. Yet an influencer who is invited to a campaign, or whose application is accepted,
gets the pair's chat about it. So ``campaigns.services`` announces the join here, with
``campaign_joined(application)``, and chat registers what it does about it with
``on_campaign_joined(callback)`` in ``chat.apps.ChatConfig.ready``. This module is the whole
seam: to see who reacts to a join, read the ``on_campaign_joined`` calls.

The callbacks run inside the service's transaction, before it commits, in the order they were
registered: what they write commits together with the join, and an exception one raises undoes
the join and reaches the service's caller. Side effects that must wait for the commit (pushes,
emails) are the callback's to defer with ``transaction.on_commit``.
"""

from collections.abc import Callable

from campaigns.models import Application

CampaignJoinedCallback = Callable[[Application], object]

_joined_callbacks: list[CampaignJoinedCallback] = []


def on_campaign_joined(callback: CampaignJoinedCallback) -> CampaignJoinedCallback:
    """Run ``callback(application)`` whenever an influencer joins a campaign: invited by the
    vendor, or accepted (their application by the vendor, or the invitation by them). An
    invitation that is then accepted joins twice, so a callback must be idempotent. A callback
    registered twice still runs once. Returns the callback."""
    if callback not in _joined_callbacks:
        _joined_callbacks.append(callback)
    return callback


def campaign_joined(application: Application) -> None:
    """Run the join callbacks for ``application`` (invited or accepted). Called by
    ``campaigns.services`` inside the transaction that made the join, so that it and what the
    callbacks write commit or roll back together."""
    for callback in tuple(_joined_callbacks):
        callback(application)
