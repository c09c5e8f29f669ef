"""How chat pages show messages: ``{% load chat %}``."""

import re

from django import template
from django.utils.text import Truncator

register = template.Library()

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
PREVIEW_SEPARATOR = " — "


@register.filter
def message_preview(text, length=90):
    """A message on one line: its paragraphs (a broadcast's title and body among them) joined by
    a dash, other line breaks and runs of spaces as one space."""
    paragraphs = (" ".join(part.split()) for part in PARAGRAPH_BREAK.split(str(text or "")))
    return Truncator(PREVIEW_SEPARATOR.join(part for part in paragraphs if part)).chars(int(length))
