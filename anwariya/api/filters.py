import django_filters
from django import forms

# The largest id a 64-bit primary key can hold; larger numbers cannot name a row.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """Filter by the id of a related row: a whole number in the range of a primary key (else 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
