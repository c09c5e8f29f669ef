from django.conf import settings

from anwariya.money import currency_symbol


def site(request):
    """Values every page's layout needs."""
    return {"currency": settings.CURRENCY, "currency_symbol": currency_symbol()}
