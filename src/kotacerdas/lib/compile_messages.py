"""Compile the .po translation catalogues to .mo with Babel.

Django's ``compilemessages`` needs GNU gettext's msgfmt, which a fresh machine may lack; Babel
is a Python package, so ``make messages`` (and the test that the committed .mo files are current)
works anywhere.
"""

import io
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compiled(po_path):
    """The .mo bytes Babel makes from ``po_path`` (fuzzy entries left out, as msgfmt does)."""
    with open(po_path, "rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def po_files(locale_dir=LOCALE_DIR):
    return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def main():
    for po_path in po_files():
        mo_path = po_path.with_suffix(".mo")
        mo_path.write_bytes(compiled(po_path))
        print(f"compiled {mo_path.relative_to(LOCALE_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
