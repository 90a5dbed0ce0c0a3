from django.core.management.base import BaseCommand, CommandError

from kotacerdas.lib.tabular import TableError

from ...builders import load_reference


class Command(BaseCommand):
    help = "Load the shipped regions, figures, boundaries and the program's real phases (idempotent)."

    def handle(self, *args, **options):
        try:
            reports, selected = load_reference()
        except TableError as exc:
            raise CommandError(str(exc)) from exc
        for name, report in reports.items():
            self.stdout.write(f"{name}: {report}")
        for year, count in selected.items():
            self.stdout.write(f"phase {year}: {count} selected regions")
