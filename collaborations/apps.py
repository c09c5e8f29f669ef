from django.apps import AppConfig


class CollaborationsConfig(AppConfig):
    name = "collaborations"

    def ready(self):
        from accounts.dashboard import register_nav_count
        from accounts.hooks import register_export_section, register_on_close
        from billing.hooks import on_referred_bill_created, on_referred_bill_returned, on_referred_bill_voided
        from campaigns.hooks import on_campaign_joined
        from collaborations.commission import commission_earn, commission_return, commission_reverse
        from collaborations.selectors import collaborations_export, collaborations_export_rows, waiting_count
        from collaborations.services import collaboration_open, collaborations_end_for_closed_account

        # An accepted application or invitation becomes a collaboration, in the same transaction;
        # campaigns does not import collaborations.
        on_campaign_joined(collaboration_open)
        # A user's data export holds their collaborations; closing the account cancels the open ones.
        register_export_section("collaborations", collaborations_export, rows=collaborations_export_rows)
        register_on_close(collaborations_end_for_closed_account)
        # The top bar's Collaborations link shows how many wait for the user (both roles' sections).
        register_nav_count("collaborations:pipeline", waiting_count)
        register_nav_count("collaborations:collaboration-list", waiting_count)
        # A bill with a collaboration's referral code earns commission; voiding it reverses that,
        # and a return the commission of what came back, in the bill's transaction; billing does
        # not import collaborations.
        on_referred_bill_created(commission_earn)
        on_referred_bill_voided(commission_reverse)
        on_referred_bill_returned(commission_return)
