from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


class SkuClash(RuntimeError):
    """Products of one vendor whose SKUs differ only in case: the new constraint cannot hold."""


def refuse_skus_that_differ_only_in_case(apps, schema_editor):
    """Stop, listing them, if a vendor has SKUs that differ only in case ("chai-1", "CHAI-1").

    Nothing is renamed: a SKU is printed on labels and matched by the vendor's own files, so which
    one changes, and to what, is the vendor's choice. The products' pages and the admin let anyone
    give one of them a new SKU; then run ``migrate`` again.
    """
    Product = apps.get_model("catalog", "Product")
    products = Product.objects.using(schema_editor.connection.alias).annotate(key=Lower("sku"))
    clashes = list(
        products.values("vendor_id", "key").annotate(count=Count("pk")).filter(count__gt=1).order_by("vendor_id", "key")
    )
    if not clashes:
        return
    lines = []
    for clash in clashes[:50]:
        same = products.filter(vendor_id=clash["vendor_id"], key=clash["key"]).order_by("pk")
        listed = ", ".join(f'product {product.pk} "{product.sku}"' for product in same)
        lines.append(f"  vendor {clash['vendor_id']}: {listed}")
    if len(clashes) > 50:
        lines.append(f"  … and {len(clashes) - 50} more")
    raise SkuClash(
        "A SKU is now one per vendor whatever its case, but these products of one vendor have SKUs that "
        "differ only in case:\n" + "\n".join(lines) + "\nGive each of them its own SKU (the product's edit page "
        "or the admin), then run migrate again. Nothing was changed."
    )


class Migration(migrations.Migration):
    """One SKU rule: the database compares SKUs without case, as the service always did."""

    dependencies = [
        ("catalog", "0005_remove_stockmovement_bill"),
    ]

    operations = [
        migrations.RunPython(refuse_skus_that_differ_only_in_case, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="product",
            name="product_sku_unique_per_vendor",
        ),
        migrations.AddConstraint(
            model_name="product",
            constraint=models.UniqueConstraint(
                models.F("vendor"),
                Lower("sku"),
                name="product_sku_unique_per_vendor",
                violation_error_message="This vendor already has a product with this SKU (in any case).",
            ),
        ),
    ]
