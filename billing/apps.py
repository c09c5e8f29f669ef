from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"

    def ready(self):
        from accounts.hooks import register_export_section, register_on_close
        from billing.models import BillItem
        from billing.selectors import bills_export, bills_export_rows
        from billing.services import bills_keep_invoices_of_closed_account
        from catalog import hooks

        # A product on a bill line was sold: catalog keeps it (deactivates it) instead of deleting it.
        hooks.register_product_sales(lambda product: BillItem.objects.filter(product=product))
        # A vendor's export holds their bills; a closing vendor's invoices are kept as issued.
        register_export_section("bills", bills_export, rows=bills_export_rows)
        register_on_close(bills_keep_invoices_of_closed_account)
