from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"

    def ready(self):
        from accounts.hooks import register_export_section
        from catalog.selectors import products_export, products_export_rows

        # A vendor's export holds their products; accounts does not import catalog. (Stock
        # movements stay when the account closes: they are the vendor's stock records.)
        register_export_section("products", products_export, rows=products_export_rows)
