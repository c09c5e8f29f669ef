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


def make_return(bill, *lines, reason="", actor=None):
    """Return ``(product, quantity)`` pairs of ``bill`` through the real service; the credit note."""
    from billing.returns import ReturnLine, bill_return

    items = [ReturnLine(product=product.pk, quantity=quantity) for product, quantity in lines]
    return bill_return(bill=bill, items=items, reason=reason, actor=actor or bill.vendor)
