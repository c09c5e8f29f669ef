from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"

    def ready(self):
        from billing.models import BillItem
        from catalog import hooks

        # A product on a bill line was sold: catalog keeps it (deactivates it) instead of deleting it.
        hooks.register_product_sales(lambda product: BillItem.objects.filter(product=product))
