"""``kotacerdas restore PATH``: an archive of ``kotacerdas backup`` into an empty database and storage."""

from django.core.management.base import BaseCommand, CommandError

from kotacerdas.lib.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database of the same engine and an empty storage, and check it."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive written by `kotacerdas backup`.")

    def handle(self, *args, path, **options):
        try:
            summary = restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored and checked against the manifest: {summary['tables']} tables, {summary['rows']} rows, {summary['files']} files")
