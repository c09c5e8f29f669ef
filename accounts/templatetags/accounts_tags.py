from django import template

from accounts.dashboard import sections_for

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_sections(context):
    """The current user's sections, for the navigation bar."""
    user = context["request"].user
    return sections_for(user) if user.is_authenticated else []
