"""Amounts as Indian invoices write them: in words (lakh and crore, rupees and paise) and in
figures grouped the Indian way (₹1,18,525.00)."""

from decimal import Decimal

from num2words import num2words

from anwariya.money import currency_symbol, format_money

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


def indian_grouping(whole: int) -> str:
    """``11852500`` → ``"1,18,52,500"``: the last three digits, then pairs."""
    digits = str(whole)
    head, tail = digits[:-3], digits[-3:]
    pairs = []
    while head:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([*pairs, tail])


def document_money(amount, currency: str = "INR") -> str:
    """An amount on a GST document: rupees grouped in lakhs and crores; other currencies as
    everywhere else (``anwariya.money.format_money``)."""
    if (currency or "INR").upper() != "INR":
        return format_money(amount, currency)
    amount = Decimal(amount or 0).quantize(Decimal("0.01"))
    sign = "-" if amount < 0 else ""
    whole, fraction = divmod(abs(amount), 1)
    return f"{sign}{currency_symbol('INR')}{indian_grouping(int(whole))}.{int(fraction * 100):02d}"
