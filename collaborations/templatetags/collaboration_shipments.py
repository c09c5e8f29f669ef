"""``{% shipments_panel collaboration as panel %}``: what the collaboration page's shipments panel
(``collaborations/_shipments.html``) shows, so the page's own view need not know about shipments."""

from django import template

from collaborations.views.shipments import shipments_panel as panel_context

register = template.Library()


@register.simple_tag(takes_context=True)
def shipments_panel(context, collaboration):
    return panel_context(context["request"], collaboration)
