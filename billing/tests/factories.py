from billing import services


def make_bill(vendor, *lines, customer_name="Meera Iyer", customer_email="meera@example.com", **kwargs):
    """Sell ``(product, quantity)`` pairs through the real service; returns the bill."""
    items = [services.Line(product=product.pk, quantity=quantity) for product, quantity in lines]
    result = services.bill_create(
        vendor=vendor, customer_name=customer_name, customer_email=customer_email, items=items, actor=vendor, **kwargs
    )
    return result.bill
