from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from accounts.export import wallet_export, wallet_export_rows
        from accounts.hooks import register_export_section

        # The user's own fields are the export's "user"; the wallet is a section like the others'.
        register_export_section("wallet", wallet_export, rows=wallet_export_rows)
