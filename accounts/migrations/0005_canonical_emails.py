"""Store every email address in its canonical form (see ``accounts.models.canonical_email``).

Logins now look addresses up by exact match on that form. Where several existing accounts fold
to the same address (one spelled with a look-alike letter such as the long s U+017F for s), the account
already spelled that way keeps it, else the one that joined first; every other look-alike is
deactivated and keeps its old spelling, which no login can reach any more. Admins find those
under Users, "Active: No".
"""

import unicodedata
from collections import defaultdict

from django.db import migrations


def canonical(address):
    # A frozen copy of accounts.models.canonical_email: migrations must not change when the code does.
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", address).casefold()).strip()


def canonicalise_emails(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    by_address = defaultdict(list)
    for user in User.objects.order_by("date_joined", "pk").only("pk", "email", "is_active"):
        by_address[canonical(user.email)].append(user)
    for address, users in by_address.items():
        keeper = next((user for user in users if user.email == address), users[0])
        for user in users:
            if user.pk == keeper.pk:
                if user.email != address:
                    User.objects.filter(pk=user.pk).update(email=address)
            elif user.is_active:
                User.objects.filter(pk=user.pk).update(is_active=False)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_user_password_changed_at")]

    operations = [migrations.RunPython(canonicalise_emails, migrations.RunPython.noop)]
