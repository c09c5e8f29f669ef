"""System checks for what a database must offer beyond Django's own checks (``manage.py check``
runs them with ``--database default``; ``migrate`` runs them too)."""

from django.conf import settings
from django.core import checks
from django.db import connections

from anwariya.db import SERVICE_ENFORCED, unenforced_unique_constraints

# Analytics buckets bills by the vendor's local day in SQL (TruncDate with a zone).
ZONE_PROBE = "SELECT CONVERT_TZ('2026-01-01 00:00:00', 'UTC', %s)"


def missing_time_zone(using: str, zone: str) -> bool:
    """Whether the MySQL/MariaDB server behind ``using`` cannot convert to ``zone``: its zone
    tables are empty (CONVERT_TZ then answers NULL, and so would every local-day bucket)."""
    with connections[using].cursor() as cursor:
        cursor.execute(ZONE_PROBE, [zone])
        return cursor.fetchone()[0] is None


def zone_tables_error(using: str, zone: str) -> checks.Error | None:
    """The error to report when the server behind ``using`` cannot convert to ``zone``."""
    if connections[using].vendor != "mysql" or not missing_time_zone(using, zone):
        return None
    return checks.Error(
        f"The database server cannot convert times to {zone}: its time-zone tables are not loaded, "
        "and sales by day would come out empty.",
        hint="Load them: mariadb-tzinfo-to-sql /usr/share/zoneinfo | mariadb -u root mysql "
        "(MySQL: mysql_tzinfo_to_sql); they apply at once, with no restart.",
        id="anwariya.E001",
    )


@checks.register(checks.Tags.database)
def check_time_zone_tables(databases=None, **kwargs):
    errors = [zone_tables_error(alias, settings.TIME_ZONE) for alias in databases or []]
    return [error for error in errors if error is not None]


@checks.register(checks.Tags.database)
def check_unique_rules_enforced(databases=None, **kwargs):
    """Django's models.W036/W044 (a unique constraint the database ignores) are silenced on
    MySQL/MariaDB in settings; this says the same of any such constraint no service enforces."""
    warnings = []
    for alias in databases or []:
        for model, constraint in unenforced_unique_constraints(alias):
            if f"{model._meta.label}.{constraint.name}" not in SERVICE_ENFORCED:
                warnings.append(
                    checks.Warning(
                        f"{connections[alias].display_name} does not enforce the unique constraint "
                        f"{constraint.name!r}, and no service checks it under a lock.",
                        hint="Check it in the service under anwariya.db.unique_rule_lock and list it in "
                        "anwariya.db.SERVICE_ENFORCED.",
                        obj=model,
                        id="anwariya.W001",
                    )
                )
    return warnings
