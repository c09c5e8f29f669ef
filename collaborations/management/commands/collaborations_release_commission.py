"""``python manage.py collaborations_release_commission``: make commission whose hold has ended payable."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from collaborations.commission import commission_release_due


class Command(BaseCommand):
    help = (
        "Release every commission earning whose hold period (COLLAB_COMMISSION_HOLD_DAYS) has ended: "
        "held becomes payable, one short transaction an earning. The beat task commission_release "
        "does the same every hour; running both at once releases nothing twice."
    )

    def handle(self, *args, **options):
        quiet = options["verbosity"] == 0

        def progress(rows, total):
            return tqdm(rows, total=total, desc="Earnings", unit="earning", disable=quiet)

        released = commission_release_due(progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Released {released} earning{'' if released == 1 else 's'}."))
