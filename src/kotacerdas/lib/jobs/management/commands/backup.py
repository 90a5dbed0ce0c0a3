"""``kotacerdas backup PATH``: the database and every stored file in one archive (see kotacerdas.lib.backup)."""

from django.core.management.base import BaseCommand, CommandError

from kotacerdas.lib.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write the database and every file of the storage, with a manifest, to one archive."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive to write (a .tar file).")

    def handle(self, *args, path, **options):
        try:
            manifest = backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"{path}: {len(manifest['tables'])} tables, {rows} rows, {len(manifest['files'])} files ({manifest['engine']})")
