from django.core.management.base import BaseCommand, CommandError

from kotacerdas.lib.tabular import TableError


class Command(BaseCommand):
    help = "Load the shipped regions, figures, boundaries and the program's real phases (idempotent)."

    def handle(self, *args, **options):
        from kotacerdas.program.services import load_real_history
        from kotacerdas.regions.reference import load_reference_data

        try:
            reports = load_reference_data()
            selected = load_real_history()
        except TableError as exc:
            raise CommandError(str(exc)) from exc
        for name, report in reports.items():
            self.stdout.write(f"{name}: {report}")
        for year, count in selected.items():
            self.stdout.write(f"phase {year}: {count} selected regions")
