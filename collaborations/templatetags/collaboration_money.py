"""``{% money_panel collaboration %}``: the money part of a collaboration's page (balances, the
latest ledger rows and payouts, the vendor's payout form), so the page's view needs no change."""

from django import template
from django.conf import settings

from collaborations import balances
from collaborations.forms import PayoutForm

register = template.Library()

LATEST = 10


@register.inclusion_tag("collaborations/_money_panel.html", takes_context=True)
def money_panel(context, collaboration):
    user = context["request"].user
    ledger = list(balances.ledger_of_collaboration(collaboration)[: LATEST + 1])
    is_vendor = user.pk == collaboration.vendor_id
    return {
        "collaboration": collaboration,
        "rows": ledger[:LATEST],
        "more_rows": len(ledger) > LATEST,
        "payouts": list(balances.payouts_of_collaboration(collaboration)[:LATEST]),
        "is_vendor": is_vendor,
        "form": PayoutForm(payable=collaboration.payable) if is_vendor and collaboration.payable > 0 else None,
        "currency": balances.balances_of(collaboration)["currency"],
        "hold_days": settings.COLLAB_COMMISSION_HOLD_DAYS,
    }
