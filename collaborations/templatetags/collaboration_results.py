"""``{% results_summary collaboration %}``: the small results box of the collaboration page."""

from django import template

from collaborations import results

register = template.Library()


@register.inclusion_tag("collaborations/results_summary.html", takes_context=True)
def results_summary(context, collaboration):
    """The collaboration's results (one query); the cost and ROI for its vendor (and staff) only."""
    user = context["request"].user
    return {
        "collaboration": collaboration,
        "numbers": results.collaboration_results(collaboration),
        "for_vendor": user.pk == collaboration.vendor_id or user.is_staff,
    }
