"""Amounts in words, as Indian invoices write them: lakh and crore, rupees and paise."""

from decimal import Decimal

from num2words import num2words

# Words for the currencies a plain invoice may be in; others are named by their code.
CURRENCY_WORDS = {"INR": ("Rupees", "Paise"), "USD": ("Dollars", "Cents"), "EUR": ("Euros", "Cents")}


def amount_in_words(amount, currency: str = "INR") -> str:
    """``Decimal("123456.75")`` → "Rupees One Lakh, Twenty-Three Thousand, Four Hundred And
    Fifty-Six and Paise Seventy-Five Only" (``num2words`` with ``lang="en_IN"``: lakh, crore)."""
    amount = Decimal(amount or 0).quantize(Decimal("0.01"))
    whole, fraction = divmod(int(amount * 100), 100)
    major, minor = CURRENCY_WORDS.get((currency or "INR").upper(), (currency, "Cents"))
    words = f"{major} {num2words(whole, lang='en_IN').title()}"
    if fraction:
        words += f" and {minor} {num2words(fraction, lang='en_IN').title()}"
    return f"{words} Only"
