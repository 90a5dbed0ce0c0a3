"""``kotacerdas import_indicators PATH``: import indicator values from a CSV or XLSX file.

Exits non-zero, writing nothing, with the row and column of every error."""

from django.core.management.base import BaseCommand, CommandError

from kotacerdas.indicators.services import import_values, seed_catalogue
from kotacerdas.lib.tabular import TableError


class Command(BaseCommand):
    help = "Import indicator values (long or wide layout) from a CSV or XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--synthetic", action="store_true", help="Mark the values as invented (demo data).")

    def handle(self, *args, path, synthetic, **options):
        seed_catalogue()
        try:
            batch = import_values(path, synthetic=synthetic)
        except TableError as exc:
            raise CommandError("\n".join([exc.source] + [str(error) for error in exc.errors])) from exc
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"imported {batch.value_count} values ({batch.created_count} new, {batch.replaced_count} replaced) as batch {batch.pk}"
        ))
