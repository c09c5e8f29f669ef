from decimal import Decimal

import factory

from accounts.tests.factories import VendorFactory
from catalog import services
from catalog.models import Category


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class ProductFactory(factory.Factory):
    """Products are made through the service, so their opening stock has its movement."""

    class Meta:
        model = dict

    vendor = factory.SubFactory(VendorFactory)
    name = factory.Sequence(lambda n: f"Product {n}")
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    cost_price = Decimal("60.00")
    sale_price = Decimal("100.00")
    quantity = 10
    category = None
    low_stock_threshold = 5

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.product_create(**kwargs)

    _build = _create


def gst_rate(percent):
    """A GST rate of the managed list (seeded by a migration), by its percentage."""
    from catalog.models import GstRate

    return GstRate.objects.get(rate=Decimal(str(percent)))
