"""One way to export a table: CSV or XLSX, as a download.

Every cell goes through :func:`spreadsheet_cell`, so that what a user typed can neither run as a
formula when the file is opened (``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``: OWASP's "CSV
injection") nor break the whole file (control characters, which XLSX cannot hold; lone surrogates,
which UTF-8 cannot encode). In XLSX such a text is written as a typed string cell; CSV has no
types, so there it gets the leading apostrophe spreadsheets read as "this is text".
"""

import csv
import io
import re

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# What a spreadsheet reads as the start of a formula (tab and carriage return too: some
# programs strip them before looking at the first character).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 cannot hold these control characters (openpyxl refuses them with IllegalCharacterError).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Lone surrogates cannot be encoded in UTF-8.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# The most characters an Excel cell holds.
XLSX_CELL_MAX = 32_767


def clean_text(text):
    """``text`` without the characters a spreadsheet (or UTF-8) cannot hold, each replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", _ILLEGAL.sub("\ufffd", text))


def spreadsheet_cell(value, file_format):
    """``value`` as it may go into a cell of ``file_format``; numbers, dates and None unchanged."""
    if not isinstance(value, str):
        return value
    text = clean_text(value)
    if file_format == "xlsx":
        if len(text) > XLSX_CELL_MAX:
            text = text[: XLSX_CELL_MAX - 1] + "…"
        if text.startswith(FORMULA_START):
            return ("text", text)  # written as a string cell by _xlsx
        return text
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def _xlsx(sheets, notice):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    for title, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title=clean_text(title)[:31])

        def cells(row):
            out = []
            for value in row:
                value = spreadsheet_cell(value, "xlsx")
                if isinstance(value, tuple):  # a text that looks like a formula: a typed string cell
                    cell = WriteOnlyCell(sheet, value=value[1])
                    cell.data_type = "s"
                    value = cell
                out.append(value)
            return out

        if notice:
            sheet.append(cells([notice]))
        sheet.append(cells(header))
        for row in rows:
            sheet.append(cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(header, rows, notice):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if notice:
        writer.writerow([spreadsheet_cell(notice, "csv")])
    writer.writerow([spreadsheet_cell(value, "csv") for value in header])
    for row in rows:
        writer.writerow([spreadsheet_cell(value, "csv") for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def sheets_response(filename, sheets, file_format, notice=None):
    """A download of several tables, ``sheets`` mapping a sheet name to ``(header, rows)``: one
    sheet each in XLSX; CSV holds one table only (the first)."""
    if file_format not in CONTENT_TYPES:
        raise ValueError(_("unknown export format %r (use csv or xlsx)") % file_format)
    if file_format == "csv":
        header, rows = next(iter(sheets.values()))
        content = _csv(header, rows, notice)
    else:
        content = _xlsx(sheets, notice)
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response


def xlsx_bytes(title, header, rows, notice=None):
    """An XLSX workbook of one sheet named ``title`` holding ``rows`` under ``header``."""
    return _xlsx({title: (list(header), rows)}, notice)


def format_error(file_format, formats=tuple(CONTENT_TYPES)):
    """The message for an export format that is not one of ``formats``, or None when it is one."""
    if file_format in formats:
        return None
    listed = _("%(first)s or %(last)s") % {"first": ", ".join(formats[:-1]), "last": formats[-1]}
    return _("“%(value)s” is not an export format; use %(formats)s.") % {"value": file_format, "formats": listed}


def refuse_format(file_format, formats=tuple(CONTENT_TYPES)):
    """A 400 answer (plain text, translated) for an export format that is not one of ``formats``,
    or None when it is one: ``if (refused := refuse_format(value)): return refused``."""
    message = format_error(file_format, formats)
    return None if message is None else HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def table_response(filename, header, rows, file_format, notice=None):
    """A download of ``rows`` under ``header`` as ``file_format`` ("csv" or "xlsx").

    ``notice`` (for example "contains demo data") goes in a first line of its own so that no
    copy of the table can lose it.
    """
    return sheets_response(filename, {filename[:31]: (list(header), rows)}, file_format, notice=notice)
