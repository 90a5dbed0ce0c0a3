"""Text that the platform stores (reasons in the history, notes) is written in the program's
language, whatever language the person or command that triggered it reads; messages shown to
that person stay in their own language."""

from django.conf import settings
from django.utils import translation


def program_gettext(message):
    """``message`` translated into the program's language (settings.LANGUAGE_CODE)."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(message)
