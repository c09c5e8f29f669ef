import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import InfluencerFactory, VendorFactory
from billing import services
from billing.tests.factories import make_bill
from catalog.models import Product, StockMovement
from catalog.tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def compact(html):
    """The page without the white space between tags, to read a table row as one string."""
    return re.sub(r">\s+<", "><", html)


def test_product_list_shows_own_products_with_low_stock_badge(vendor_client):
    ProductFactory(vendor=vendor_client.vendor, name="Assam Gold", quantity=2, low_stock_threshold=5)
    ProductFactory(vendor=vendor_client.vendor, name="Darjeeling", quantity=50)
    ProductFactory(name="Someone Else's Tea")
    content = vendor_client.get(reverse("catalog:product-list")).content.decode()
    assert "Assam Gold" in content
    assert "Darjeeling" in content
    assert "Someone Else" not in content
    assert "1 product low on stock" in content
    assert 'badge warn">low' in content


def test_product_list_search_and_stock_filter(vendor_client):
    ProductFactory(vendor=vendor_client.vendor, name="Assam Gold", quantity=0)
    ProductFactory(vendor=vendor_client.vendor, name="Darjeeling", quantity=50)
    content = vendor_client.get(reverse("catalog:product-list"), {"search": "assam"}).content.decode()
    assert "Assam Gold" in content
    assert "Darjeeling" not in content
    content = vendor_client.get(reverse("catalog:product-list"), {"in_stock": "true"}).content.decode()
    assert "Assam Gold" not in content
    assert "Darjeeling" in content


def test_links_with_the_pages_old_filter_names_still_filter(vendor_client):
    ProductFactory(vendor=vendor_client.vendor, name="Assam Gold", quantity=0)
    ProductFactory(vendor=vendor_client.vendor, name="Darjeeling", quantity=50)
    old_mug = ProductFactory(vendor=vendor_client.vendor, name="Old Mug", quantity=2)
    Product.objects.filter(pk=old_mug.pk).update(is_active=False)

    def names(**query):
        content = vendor_client.get(reverse("catalog:product-list"), query).content.decode()
        return [name for name in ("Assam Gold", "Darjeeling", "Old Mug") if f">{name}</a>" in content]

    assert names(q="assam") == ["Assam Gold"]
    assert names(stock="out") == ["Assam Gold"]
    assert names(stock="low") == ["Assam Gold"]
    assert names(stock="in", status="all") == ["Darjeeling", "Old Mug"]
    assert names(status="inactive") == ["Old Mug"]


def test_empty_product_list_invites_first_product(vendor_client):
    assert "Add your first product" in vendor_client.get(reverse("catalog:product-list")).content.decode()


def test_create_product_page(vendor_client):
    category = CategoryFactory(name="Tea", slug="tea")
    response = vendor_client.post(
        reverse("catalog:product-create"),
        {
            "name": "Nilgiri",
            "sku": "NIL-1",
            "category": category.pk,
            "cost_price": "100.00",
            "sale_price": "180.00",
            "quantity": "7",
            "low_stock_threshold": "5",
            "is_active": "on",
        },
        follow=True,
    )
    assert "Nilgiri was added" in response.content.decode()
    product = Product.objects.get(sku="NIL-1")
    assert product.vendor == vendor_client.vendor
    assert product.movements.get().reason == StockMovement.Reason.INITIAL


def test_create_product_with_taken_sku_and_negative_price_shows_errors(vendor_client):
    ProductFactory(vendor=vendor_client.vendor, sku="NIL-1")
    response = vendor_client.post(
        reverse("catalog:product-create"),
        {
            "name": "X",
            "sku": "NIL-1",
            "cost_price": "-1",
            "sale_price": "1",
            "quantity": "1",
            "low_stock_threshold": "5",
        },
    )
    form = response.context["form"]
    assert form.errors["cost_price"]
    response = vendor_client.post(
        reverse("catalog:product-create"),
        {
            "name": "X",
            "sku": "NIL-1",
            "cost_price": "1",
            "sale_price": "1",
            "quantity": "1",
            "low_stock_threshold": "5",
        },
    )
    assert "already have a product with the SKU" in response.content.decode()
    assert Product.objects.count() == 1


def test_edit_product_and_adjust_stock(vendor_client):
    product = ProductFactory(vendor=vendor_client.vendor, name="Nilgiri", quantity=10)
    data = {
        "name": "Nilgiri Frost",
        "sku": product.sku,
        "cost_price": "60.00",
        "sale_price": "100.00",
        "quantity": "8",
        "low_stock_threshold": "5",
        "is_active": "on",
    }
    response = vendor_client.post(reverse("catalog:product-edit", args=[product.pk]), data, follow=True)
    assert "Nilgiri Frost was saved" in response.content.decode()
    product.refresh_from_db()
    assert (product.name, product.quantity) == ("Nilgiri Frost", 8)
    assert product.movements.filter(reason=StockMovement.Reason.ADJUSTMENT, delta=-2).exists()


def test_restock_page_and_history(vendor_client):
    product = ProductFactory(vendor=vendor_client.vendor, quantity=1)
    response = vendor_client.post(
        reverse("catalog:product-restock", args=[product.pk]), {"quantity": "9", "note": "Delivery 42"}, follow=True
    )
    content = response.content.decode()
    assert "Added 9" in content
    assert "Delivery 42" in content
    product.refresh_from_db()
    assert product.quantity == 10


def test_restock_zero_shows_error(vendor_client):
    product = ProductFactory(vendor=vendor_client.vendor, quantity=1)
    response = vendor_client.post(reverse("catalog:product-restock", args=[product.pk]), {"quantity": "0"})
    assert response.context["form"].errors["quantity"]
    product.refresh_from_db()
    assert product.quantity == 1


def test_other_vendors_product_pages_are_404(vendor_client):
    other = ProductFactory()
    for name in ("catalog:product-detail", "catalog:product-edit", "catalog:product-restock"):
        assert vendor_client.get(reverse(name, args=[other.pk])).status_code == 404
    assert vendor_client.post(reverse("catalog:product-delete", args=[other.pk])).status_code == 404


def test_delete_page_deactivates_sold_product(vendor_client):
    product = ProductFactory(vendor=vendor_client.vendor)
    make_bill(vendor_client.vendor, (product, 1))
    response = vendor_client.post(reverse("catalog:product-delete", args=[product.pk]), follow=True)
    assert "deactivated instead" in response.content.decode()
    assert Product.objects.get(pk=product.pk).is_active is False


def test_influencer_cannot_open_catalog(client):
    client.force_login(InfluencerFactory())
    assert client.get(reverse("catalog:product-list")).status_code == 403


def test_categories_page_adds_category(vendor_client):
    response = vendor_client.post(reverse("catalog:category-list"), {"name": "Snacks & Sweets"}, follow=True)
    assert "Category Snacks &amp; Sweets was added" in response.content.decode()
    response = vendor_client.post(reverse("catalog:category-list"), {"name": "Snacks & Sweets"})
    assert response.context["form"].errors["slug"]


def test_dashboard_links_catalog_and_bills_for_vendors(vendor_client):
    content = vendor_client.get("/").content.decode()
    assert reverse("catalog:product-list") in content
    assert reverse("billing:bill-list") in content


def test_admin_product_and_bill_pages(client):
    from accounts.tests.factories import AdminFactory

    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor, quantity=3)
    bill = make_bill(vendor, (product, 1))
    client.force_login(AdminFactory())
    products = client.get(reverse("admin:catalog_product_changelist"), {"stock": "low"}).content.decode()
    assert product.name in products
    change = compact(client.get(reverse("admin:catalog_product_change", args=[product.pk])).content.decode())
    bill_admin = reverse("admin:billing_bill_change", args=[bill.pk])
    # The movement inline's rows, newest first: the sale of 1 (with its bill), then the opening 3.
    assert (
        '<td class="field-reason"><p>Sale</p></td><td class="field-delta"><p>-1</p></td>'
        '<td class="field-quantity_after"><p>2</p></td>'
    ) in change
    assert f'<td class="field-belongs_to"><p><a href="{bill_admin}">{bill.number}</a></p></td>' in change
    assert '<td class="field-reason"><p>Initial stock</p></td><td class="field-delta"><p>3</p></td>' in change
    bill_page = client.get(reverse("admin:billing_bill_change", args=[bill.pk])).content.decode()
    assert bill.number in bill_page
    assert product.name in bill_page  # the items inline
    assert client.get(reverse("admin:billing_bill_add")).status_code == 403


def test_product_form_limits_the_description_and_refuses_a_longer_one(vendor_client):
    page = vendor_client.get(reverse("catalog:product-create")).content.decode()
    assert 'maxlength="5000"' in page
    response = vendor_client.post(
        reverse("catalog:product-create"),
        {
            "name": "Nilgiri",
            "sku": "NIL-1",
            "description": "x" * 5001,
            "cost_price": "100.00",
            "sale_price": "180.00",
            "quantity": "7",
            "low_stock_threshold": "5",
        },
    )
    assert "Ensure this value has at most 5000 characters (it has 5001)." in response.content.decode()
    assert not Product.objects.exists()


def test_category_form_limits_the_description(vendor_client):
    page = vendor_client.get(reverse("catalog:category-list")).content.decode()
    assert 'maxlength="2000"' in page


def test_stock_history_links_each_bill_in_a_fixed_number_of_queries(vendor_client):
    product = ProductFactory(vendor=vendor_client.vendor, quantity=100)
    first = make_bill(vendor_client.vendor, (product, 1))
    url = reverse("catalog:product-detail", args=[product.pk])
    with CaptureQueriesContext(connection) as one_bill:
        vendor_client.get(url)
    bills = [make_bill(vendor_client.vendor, (product, 1)) for _ in range(9)]
    services.bill_void(bill=bills[0], actor=vendor_client.vendor)
    with CaptureQueriesContext(connection) as ten_bills:
        content = compact(vendor_client.get(url).content.decode())
    assert len(ten_bills) == len(one_bill)
    for bill in [first, *bills]:
        assert f'<td>Sale · <a href="/bills/{bill.pk}/">{bill.number}</a></td>' in content
    assert f'<td>Bill voided · <a href="/bills/{bills[0].pk}/">{bills[0].number}</a></td>' in content
    assert "<td>Initial stock</td>" in content
