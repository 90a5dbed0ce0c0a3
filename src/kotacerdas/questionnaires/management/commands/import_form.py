"""``kotacerdas import_form PATH``: import an XLSForm (.xlsx) as a new form or a new version."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kotacerdas.questionnaires.xlsform import FormError


class Command(BaseCommand):
    help = "Import an XLSForm (.xlsx); prints the form's id, title and number of questions."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        from kotacerdas.questionnaires.services import import_form

        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            version = import_form(file.read_bytes(), file.name)
        except FormError as exc:
            raise CommandError(f"{file.name}: " + "; ".join(str(f) for f in exc.faults)) from None
        self.stdout.write(f"{version.form.form_id}\t{version.title}\t{version.question_count} questions\t(version {version.number})")
