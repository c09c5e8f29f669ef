from django.db import migrations


def create_wallets(apps, schema_editor):
    """Users who signed up before wallets existed get an empty wallet (no grant)."""
    User = apps.get_model("accounts", "User")
    Wallet = apps.get_model("accounts", "Wallet")
    user_ids = list(User.objects.filter(wallet__isnull=True).values_list("pk", flat=True))
    Wallet.objects.bulk_create([Wallet(user_id=pk) for pk in user_ids], batch_size=2000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_wallet"),
    ]

    operations = [
        migrations.RunPython(create_wallets, migrations.RunPython.noop),
    ]
