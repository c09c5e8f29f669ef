"""``python manage.py import_sales sales.csv --vendor shop@example.com``: load past sales as bills."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accounts.models import User, canonical_email
from anwariya.errors import DomainError
from billing.importing import COLUMNS, ImportFailed, sales_import


class Command(BaseCommand):
    help = (
        "Import past sales from a CSV file as the vendor's bills (no stock change, no invoice email). "
        f"Columns: {', '.join(COLUMNS)}. A bad file is refused whole; importing it again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8), with a header line.")
        parser.add_argument("--vendor", required=True, help="The email of the vendor whose sales these are.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and count, but keep nothing.")

    def handle(self, *args, file, vendor, dry_run, **options):
        owner = User.objects.filter(email=canonical_email(vendor)).first()
        if owner is None:
            raise CommandError(f"No user has the email {vendor}.")
        if not owner.is_vendor:
            raise CommandError(f"{owner.email} is not a vendor.")
        try:
            source = file.open(encoding="utf-8-sig", newline="")
        except OSError as error:
            raise CommandError(f"Cannot open {file}: {error.strerror}.") from None

        bars = []  # the bar starts once every row is checked and the number of bills is known

        def advance(done, total):
            if not bars:
                bars.append(tqdm(desc="Bills", unit="bill", total=total, disable=options["verbosity"] == 0))
            bars[0].update(done - bars[0].n)

        try:
            with source:
                result = sales_import(vendor=owner, rows=source, progress=advance, dry_run=dry_run)
        except ImportFailed as failure:
            for problem in failure.lines:
                self.stderr.write(f"line {problem['line']}, {problem['field']}: {problem['message']}")
            raise CommandError(failure.detail) from None
        except DomainError as error:
            raise CommandError(error.detail) from None
        finally:
            for bar in bars:
                bar.close()

        prefix = "Dry run, nothing kept: would import" if result.dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix} {_count(result.created_bills, 'bill')} ({_count(result.lines, 'line')}) "
                f"for {owner.email}; {result.skipped_bills} already imported skipped; "
                f"{_count(result.created_products, 'new product')}, "
                f"{_count(result.created_categories, 'new category', 'new categories')}."
            )
        )


def _count(number, singular, plural=None):
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
