"""The ``kotacerdas`` command: Django's manage.py with the project's own commands.

``kotacerdas demo`` sets up and serves the demo; ``kotacerdas load_reference`` loads the shipped
regions, figures, boundaries and the program's real history; every Django command works too
(``kotacerdas migrate``, ``kotacerdas createsuperuser``, ...).
"""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv or sys.argv)


if __name__ == "__main__":
    main()
