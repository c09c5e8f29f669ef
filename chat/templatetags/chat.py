"""How chat pages show messages: ``{% load chat %}``."""

import re

from django import template
from django.utils import dateformat, timezone
from django.utils.text import Truncator

from chat.language import language_name
from chat.tagging import Tag

register = template.Library()

# "30 Nov, 12:29": day, English month, 24-hour clock. static/js/chat.js's formatTime writes live
# messages the same way (the browser test compares the two).
MESSAGE_TIME_FORMAT = "j M, H:i"

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
PREVIEW_SEPARATOR = " — "


@register.filter
def message_preview(text, length=90):
    """A message on one line: its paragraphs (a broadcast's title and body among them) joined by
    a dash, other line breaks and runs of spaces as one space."""
    paragraphs = (" ".join(part.split()) for part in PARAGRAPH_BREAK.split(str(text or "")))
    return Truncator(PREVIEW_SEPARATOR.join(part for part in paragraphs if part)).chars(int(length))


@register.filter
def message_time(value, zone):
    """A message's time as its viewer reads it: in their zone (``user_time_zone``), one format."""
    if not value:
        return ""
    return dateformat.format(timezone.localtime(value, zone), MESSAGE_TIME_FORMAT)


@register.filter
def tag_label(slug):
    """A tag's name as the chips show it: "Price / rate" for ``price``."""
    return Tag(slug).label if slug in Tag.values else slug


@register.filter(name="language_name")
def language_name_filter(code):
    """ "Hindi" for ``hi``; nothing for an undetermined or unknown language."""
    return language_name(code)
