"""``kotacerdas load_taxonomy [PATH]``: load a master plan taxonomy (the shipped one by default)."""

from django.core.management.base import BaseCommand, CommandError

from kotacerdas.lib.tabular import TableError


class Command(BaseCommand):
    help = "Load a master plan taxonomy (dimensions and elements) from a CSV or XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="the file (default: the shipped Gerakan Menuju 100 Smart City taxonomy)")

    def handle(self, *args, path=None, **options):
        from kotacerdas.masterplans.services import TAXONOMY_CSV, load_taxonomy

        try:
            taxonomy = load_taxonomy(path or TAXONOMY_CSV)
        except TableError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{taxonomy}: {taxonomy.dimensions.count()} dimensions, {taxonomy.elements.count()} elements")
