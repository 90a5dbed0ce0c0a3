"""``kotacerdas create_token USERNAME [--name NAME]``: a new API token for an account, printed once.

Only the token is written to standard output (``TOKEN=$(kotacerdas create_token ...)`` in a
script); what it is for goes to standard error. The token is stored hashed, like the ones made on
the account page (accounts.services.create_token), and is revoked there.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import ApiToken
from kotacerdas.accounts.services import create_token

DEFAULT_NAME = "command line"


class Command(BaseCommand):
    help = "Print a new API token for an account (Authorization: Bearer <token>), for scripts and operators."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default=DEFAULT_NAME, help=f"What the token is for (default “{DEFAULT_NAME}”).")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No account has the username “%(username)s”.") % {"username": username})
        if not user.is_active:
            raise CommandError(
                _("The account “%(username)s” is deactivated: a token would not work. Reactivate it first.")
                % {"username": username}
            )
        name = name.strip()
        limit = ApiToken._meta.get_field("name").max_length
        if not name or len(name) > limit:
            raise CommandError(_("Give the token a name of 1 to %(limit)s characters (--name).") % {"limit": limit})
        token, secret = create_token(user, name)
        self.stderr.write(
            _("Token “%(name)s” for %(username)s, starting with %(prefix)s; it is shown only once.")
            % {"name": token.name, "username": username, "prefix": token.prefix}
        )
        self.stdout.write(secret)
