"""Broadcasts: one message from a vendor to many influencers, sent in the background.

draft → (scheduled →) running ⇄ paused → finished; anything started can be cancelled.

Starting resolves the audience into one ``Delivery`` per recipient and channel (a unique
constraint makes that once only), reserves the tokens, and starts the run's chain of batches,
one a second, ``BROADCAST_RATE_PER_SECOND`` deliveries each. A batch claims its rows briefly
(``sending``) and sends each with no lock held; a chat message commits with its delivery's
status, so running the fan-out again (after a crash, a resume, a retry) never sends it twice.
A failed attempt is retried twice with growing backoff; ``BROADCAST_MAX_ERRORS`` failed attempts
in a row pause the broadcast. At the end the tokens of recipients nothing reached are refunded.

``audience`` holds the reads and checks, ``lifecycle`` the writes, ``sending`` the fan-out.
"""

from campaigns.broadcasts.audience import (
    FILTER_KEYS,
    NO_SUCH_CAMPAIGN,
    BroadcastError,
    audience_influencers,
    audience_preview,
    broadcast_audience,
    broadcast_for_user,
    broadcasts_for_user,
    clean_audience,
    error_text,
    render_content,
    render_message,
)
from campaigns.broadcasts.lifecycle import (
    broadcast_cancel,
    broadcast_create,
    broadcast_delete,
    broadcast_launch_due,
    broadcast_pause,
    broadcast_resume,
    broadcast_retry_failed,
    broadcast_start,
    broadcast_update,
)
from campaigns.broadcasts.sending import (
    ACTIVE,
    DeliverySkipped,
    PermanentDeliveryError,
    broadcast_dispatch,
    broadcast_send_batch_now,
    broadcasts_tick,
)

__all__ = [
    "ACTIVE",
    "FILTER_KEYS",
    "NO_SUCH_CAMPAIGN",
    "BroadcastError",
    "DeliverySkipped",
    "PermanentDeliveryError",
    "audience_influencers",
    "audience_preview",
    "broadcast_audience",
    "broadcast_cancel",
    "broadcast_create",
    "broadcast_delete",
    "broadcast_dispatch",
    "broadcast_for_user",
    "broadcast_launch_due",
    "broadcast_pause",
    "broadcast_resume",
    "broadcast_retry_failed",
    "broadcast_send_batch_now",
    "broadcast_start",
    "broadcast_update",
    "broadcasts_for_user",
    "broadcasts_tick",
    "clean_audience",
    "error_text",
    "render_content",
    "render_message",
]
