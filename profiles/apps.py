from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"

    def ready(self):
        from accounts.hooks import register_export_section, register_on_close
        from profiles.selectors import profile_export, profile_export_rows
        from profiles.services import profile_erase

        # A user's export holds their profile, and closing the account erases it; accounts does not import profiles.
        register_export_section("profile", profile_export, rows=profile_export_rows)
        register_on_close(profile_erase)
