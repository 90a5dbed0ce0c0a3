"""``kotacerdas import_form PATH [CSV ...]``: import an XLSForm (.xlsx, or a ZIP holding the
workbook with its CSV and media files) as a new form or a new version."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kotacerdas.questionnaires.xlsform import FormError, count_by_type


class Command(BaseCommand):
    help = "Import an XLSForm (.xlsx or .zip, optionally with its CSV files); prints the form's id, title, questions per type and warnings."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("attachments", nargs="*", help="CSV or media files the form uses")

    def handle(self, *args, path, attachments, **options):
        from kotacerdas.questionnaires.services import import_form

        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        files = {}
        for attachment in attachments:
            other = Path(attachment)
            if not other.is_file():
                raise CommandError(f"{attachment}: no such file")
            files[other.name] = other.read_bytes()
        try:
            version = import_form(file.read_bytes(), file.name, files=files)
        except FormError as exc:
            raise CommandError(f"{file.name}: " + "; ".join(str(f) for f in exc.faults)) from None
        self.stdout.write(f"{version.form.form_id}\t{version.title}\t{version.question_count} questions\t(version {version.number})")
        for kind, number in count_by_type(version.definition).items():
            self.stdout.write(f"  {kind}\t{number}")
        for warning in version.definition.get("warnings", []):
            self.stdout.write(f"  warning: {warning}")
