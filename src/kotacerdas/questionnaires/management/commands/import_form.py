"""``kotacerdas import_form PATH [CSV ...] [--language en]``: import an XLSForm (.xlsx, or a ZIP
holding the workbook with its CSV and media files) as a new form or a new version. It answers in
the platform's language (Indonesian) unless ``--language`` asks for another."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from kotacerdas.questionnaires.xlsform import FormError, count_by_type


class Command(BaseCommand):
    help = "Import an XLSForm (.xlsx or .zip, optionally with its CSV files); prints the form's id, title, questions per type and warnings."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("attachments", nargs="*", help="CSV or media files the form uses")
        parser.add_argument("--language", help="the language of the messages, e.g. en (default: the platform's)")

    def handle(self, *args, language=None, **options):
        if language:
            with translation.override(language):
                return self._import(**options)
        return self._import(**options)

    def _import(self, *, path, attachments, **options):
        from kotacerdas.questionnaires.services import import_form

        file = Path(path)
        if not file.is_file():
            raise CommandError(_("%(path)s: no such file") % {"path": path})
        files = {}
        for attachment in attachments:
            other = Path(attachment)
            if not other.is_file():
                raise CommandError(_("%(path)s: no such file") % {"path": attachment})
            files[other.name] = other.read_bytes()
        try:
            version = import_form(file.read_bytes(), file.name, files=files)
        except FormError as exc:
            raise CommandError(f"{file.name}: " + "; ".join(str(f) for f in exc.faults)) from None
        questions = _("%(count)s questions") % {"count": version.question_count}
        version_text = _("(version %(number)s)") % {"number": version.number}
        self.stdout.write(f"{version.form.form_id}\t{version.title}\t{questions}\t{version_text}")
        for kind, number in count_by_type(version.definition).items():
            self.stdout.write(f"  {kind}\t{number}")
        for warning in version.definition.get("warnings", []):
            self.stdout.write("  " + _("warning: %(warning)s") % {"warning": warning})
