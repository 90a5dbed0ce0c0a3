"""``kotacerdas import_accounts PATH``: create accounts from a CSV or XLSX file and invite them."""

from django.core.management.base import BaseCommand, CommandError

from kotacerdas.accounts.services import import_accounts
from kotacerdas.lib.tabular import TableError


class Command(BaseCommand):
    help = (
        "Create accounts from a CSV or XLSX file (columns: name, email, role and, as needed, region, "
        "institution, language) and send each an invitation to set a password. One bad row and "
        "nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--base-url", help="Address of the site in the invitation links (default KOTACERDAS_BASE_URL).")

    def handle(self, *args, path, base_url=None, **options):
        try:
            users = import_accounts(path, base_url=base_url)
        except TableError as exc:
            raise CommandError("\n".join([exc.source] + [f"  {error}" for error in exc.errors])) from exc
        for user in users:
            self.stdout.write(f"  {user.username}")
        self.stdout.write(self.style.SUCCESS(f"{len(users)} accounts created and invited."))
