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
}


@register.filter
def status_badge(status):
    """The badge colour of a campaign or application status."""
    return BADGES.get(status, "")
