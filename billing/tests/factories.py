from billing import services


def make_bill(vendor, *lines, customer_name="Meera Iyer", customer_email="meera@example.com", **kwargs):
    """Sell ``(product, quantity)`` pairs through the real service; returns the bill."""
    items = [services.Line(product=product.pk, quantity=quantity) for product, quantity in lines]
    result = services.bill_create(
        vendor=vendor, customer_name=customer_name, customer_email=customer_email, items=items, actor=vendor, **kwargs
    )
    return result.bill


def gst_product(vendor, percent=18, *, price="1000.00", quantity=100, **fields):
    """A product of ``vendor`` with a GST rate of the managed list and an HSN code."""
    from decimal import Decimal

    from catalog.tests.factories import ProductFactory, gst_rate

    return ProductFactory(
        vendor=vendor,
        sale_price=Decimal(price),
        quantity=quantity,
        gst_rate=gst_rate(percent),
        hsn_code=fields.pop("hsn_code", "0902"),
        **fields,
    )
