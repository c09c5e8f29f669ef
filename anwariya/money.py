"""Money display. Amounts are always ``Decimal``; this only formats them."""

from decimal import Decimal

from django.conf import settings

SYMBOLS = {"INR": "₹", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "AED": "د.إ", "SGD": "S$", "AUD": "A$"}


def currency_symbol(code: str | None = None) -> str:
    code = (code or settings.CURRENCY).upper()
    return SYMBOLS.get(code, code + " ")


def format_money(amount, code: str | None = None) -> str:
    """``Decimal("1234.5")`` → ``"₹1,234.50"``; negative amounts keep their sign in front."""
    amount = Decimal(amount or 0)
    sign = "-" if amount < 0 else ""
    return f"{sign}{currency_symbol(code)}{abs(amount):,.2f}"
