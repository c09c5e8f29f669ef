"""The GST rates the managed list starts with; admins keep it afterwards (``catalog.GstRate``).

Source: the 56th GST Council meeting (3 September 2025, "GST 2.0", in force from 22 September
2025) replaced the 5 / 12 / 18 / 28 % slabs with two, 5 % ("merit") and 18 % ("standard"), and a
special 40 % rate for luxury and sin goods; the special rates stay (0.1 % merchant exports,
0.25 % rough diamonds, 1.5 % cut and polished stones, 3 % gold, silver and jewellery). Tobacco
and pan masala kept 28 % plus compensation cess until the cess ended on 1 February 2026, when
they moved to 40 %. So in 2026 no product is taxed at 12 % or 28 %: both are kept, inactive, for
products and imported history from before, and new products cannot choose them.
"""

from decimal import Decimal

RATES = [
    ("0", "Nil rated: fresh produce, milk, bread, books, life-saving drugs", True),
    ("0.1", "Supplies to merchant exporters", True),
    ("0.25", "Rough diamonds and precious stones", True),
    ("1.5", "Cut and polished diamonds", True),
    ("3", "Gold, silver, jewellery", True),
    ("5", "Merit rate: daily-use goods, packaged food, personal care, textiles", True),
    ("12", "Abolished 22 September 2025 (now 5 % or 18 %)", False),
    ("18", "Standard rate: most goods and services", True),
    ("28", "Abolished for most goods 22 September 2025, for tobacco 1 February 2026", False),
    ("40", "Special rate: luxury and sin goods", True),
]


def seed_gst_rates(rate_model):
    """Create the starting rates that are missing (the model passed in, so migrations can use it)."""
    for rate, description, is_active in RATES:
        rate_model.objects.get_or_create(
            rate=Decimal(rate), defaults={"description": description, "is_active": is_active}
        )
