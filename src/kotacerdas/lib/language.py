"""Text that the platform stores (reasons in the history, notes) is written in the program's
language, whatever language the person or command that triggered it reads."""

import functools

from django.conf import settings
from django.utils import translation


def in_program_language(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper
