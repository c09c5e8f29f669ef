from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"

    def ready(self):
        from accounts.hooks import register_export_section, register_on_close
        from campaigns import selectors
        from campaigns.services import campaigns_end_for_closed_account

        # A user's export holds their campaigns or applications (with referral codes), and closing
        # the account ends what is still open; accounts does not import campaigns.
        register_export_section("campaigns", selectors.campaigns_export, rows=selectors.campaigns_export_rows)
        register_export_section("applications", selectors.applications_export, rows=selectors.applications_export_rows)
        register_on_close(campaigns_end_for_closed_account)
