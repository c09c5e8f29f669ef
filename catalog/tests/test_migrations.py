"""The catalog's migrations keep the data of a database migrated before them.

A database with 0001–0002 applied (the state before stock movements named their source
generically) goes on through 0003–0006; a new one applies the squashed migration. Both roads must
end in the same catalog, and the first must keep every movement's bill.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from accounts.tests.factories import VendorFactory
from billing.models import Bill
from catalog.models import Product, StockMovement

BEFORE = [("catalog", "0002_description_max_length")]
BEFORE_SKU_RULE = [("catalog", "0005_remove_stockmovement_bill")]
AFTER = [("catalog", "0006_product_sku_unique_any_case")]
# Where the tests end, so that today's models can read the tables.
LATEST = [("catalog", "0008_gst_product_tax")]
SQUASHED = ("catalog", "0001_squashed_0006_product_sku_unique_any_case")
CATALOG_MODELS = [("catalog", "Product"), ("catalog", "StockMovement")]


def chain_loader():
    """The migration graph as a database that ran the original migrations sees it: no squash."""
    loader = MigrationLoader(connection, replace_migrations=False)
    loader.graph.remove_replacement_node(SQUASHED, loader.replacements[SQUASHED].replaces)
    loader.applied_migrations.pop(SQUASHED, None)
    return loader


def migrate(targets):
    """Migrate catalog along the original migrations; return the models as of then (the other
    apps' as they are)."""
    executor = MigrationExecutor(connection)
    executor.loader = chain_loader()
    executor.migrate(targets)
    loader = chain_loader()
    others = [node for node in loader.graph.leaf_nodes() if node[0] != "catalog"]
    return loader.project_state([*others, *targets]).apps


def test_the_squashed_migration_builds_the_same_catalog_as_the_migrations_it_replaces():
    graph = MigrationLoader(None, replace_migrations=False).graph
    through_the_chain = graph.make_state(nodes=AFTER, at_end=True)
    squashed = graph.make_state(nodes=[SQUASHED], at_end=True)
    for name in ("category", "product", "stockmovement"):
        assert squashed.models["catalog", name] == through_the_chain.models["catalog", name], name
    assert not any(app == "billing" for app, _ in graph.node_map[SQUASHED].parents)


@pytest.mark.django_db(transaction=True)
def test_each_movement_keeps_its_bill_through_the_migrations_and_back():
    vendor = VendorFactory()
    old = migrate(BEFORE)
    OldBill, OldProduct, OldMovement = (old.get_model(*name) for name in [("billing", "Bill"), *CATALOG_MODELS])
    bill = OldBill.objects.create(
        vendor_id=vendor.pk, number="INV-2026-000001", year=2026, sequence=1, customer_name="A", customer_email="a@b.in"
    )
    product = OldProduct.objects.create(vendor_id=vendor.pk, name="Tea", sku="TEA-1", cost_price=1, sale_price=2)
    sold = OldMovement.objects.create(product=product, delta=-1, quantity_after=4, reason="sale", bill=bill)
    restocked = OldMovement.objects.create(product=product, delta=5, quantity_after=5, reason="restock")

    migrate(LATEST)

    assert StockMovement.objects.get(pk=sold.pk).source == Bill.objects.get(pk=bill.pk)
    assert StockMovement.objects.get(pk=restocked.pk).source is None
    assert Product.objects.get(pk=product.pk).sku == "TEA-1"

    back = migrate(BEFORE)
    assert back.get_model("catalog", "StockMovement").objects.get(pk=sold.pk).bill_id == bill.pk
    assert back.get_model("catalog", "StockMovement").objects.get(pk=restocked.pk).bill_id is None
    migrate(LATEST)
    assert StockMovement.objects.get(pk=sold.pk).source == Bill.objects.get(pk=bill.pk)


@pytest.mark.exact_text_unique
@pytest.mark.django_db(transaction=True)
def test_skus_that_differ_only_in_case_stop_the_migration_with_each_one_named():
    vendor = VendorFactory()
    old = migrate(BEFORE_SKU_RULE)
    OldProduct = old.get_model("catalog", "Product")
    first = OldProduct.objects.create(vendor_id=vendor.pk, name="Tea", sku="chai-1", cost_price=1, sale_price=2)
    second = OldProduct.objects.create(vendor_id=vendor.pk, name="Tea", sku="CHAI-1", cost_price=1, sale_price=2)
    OldProduct.objects.create(vendor_id=VendorFactory().pk, name="Tea", sku="Chai-1", cost_price=1, sale_price=2)

    with pytest.raises(RuntimeError) as caught:
        migrate(LATEST)

    message = str(caught.value)
    assert f'vendor {vendor.pk}: product {first.pk} "chai-1", product {second.pk} "CHAI-1"' in message
    assert "Give each of them its own SKU" in message
    assert set(OldProduct.objects.values_list("sku", flat=True)) == {"chai-1", "CHAI-1", "Chai-1"}

    OldProduct.objects.filter(pk=second.pk).update(sku="CHAI-2")
    migrate(LATEST)
    assert set(Product.objects.values_list("sku", flat=True)) == {"chai-1", "CHAI-2", "Chai-1"}
