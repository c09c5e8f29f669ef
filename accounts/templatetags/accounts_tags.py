from django import template

from accounts.dashboard import nav_count, sections_for

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_sections(context):
    """The current user's sections, for the navigation bar."""
    user = context["request"].user
    return sections_for(user) if user.is_authenticated else []


@register.simple_tag(takes_context=True)
def section_badge(context, section):
    """How many things wait for the current user in ``section`` (0: no badge)."""
    return nav_count(context["request"].user, section.url_name)
