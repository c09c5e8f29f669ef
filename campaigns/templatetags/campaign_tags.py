from django import template

register = template.Library()

BADGES = {
    "accepted": "ok",
    "open": "ok",
    "invited": "warn",
    "pending": "warn",
    "rejected": "bad",
    "declined": "bad",
    "closed": "bad",
    "withdrawn": "muted",
    "draft": "muted",
    # broadcasts and their deliveries
    "scheduled": "warn",
    "running": "ok",
    "paused": "warn",
    "finished": "ok",
    "cancelled": "muted",
    "retrying": "warn",
    "sent": "ok",
    "failed": "bad",
    "skipped": "muted",
}


@register.filter
def status_badge(status):
    """The badge colour of a campaign, application, broadcast or delivery status."""
    return BADGES.get(status, "")
