"""What every catalog service shares: the limits of a product's numbers and the domain error."""

from decimal import Decimal

from anwariya.errors import DomainError

MAX_QUANTITY = 1_000_000_000
MAX_PRICE = Decimal("9999999999.99")


class CatalogError(DomainError):
    default_detail = "Please correct the highlighted fields."
