"""One way to export a table: CSV or XLSX, as a download.

Every text cell goes through :func:`neutralise`: a text that begins with ``=``, ``+``, ``-`` or
``@`` (or a tab or carriage return) is written with a leading apostrophe, so a spreadsheet never
reads what someone typed as a live formula (OWASP, "CSV injection"); characters the XLSX format
cannot hold (control characters, openpyxl's ``ILLEGAL_CHARACTERS_RE``) are dropped. Numbers,
dates and booleans are written as they are.
"""

import csv
import io

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell as it may be written to CSV or XLSX: see the module's docstring."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def workbook_bytes(sheets, notice=None):
    """An .xlsx (bytes) with one sheet per ``(title, header, rows)``, every cell neutralised."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=neutralise(str(title)).lstrip("'")[:31] or "sheet")
        if notice:
            sheet.append([neutralise(notice)])
        sheet.append([neutralise(cell) for cell in header])
        for row in rows:
            sheet.append([neutralise(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(title, header, rows, notice=None):
    """An XLSX workbook of one sheet named ``title`` holding ``rows`` under ``header``."""
    return workbook_bytes([(title, header, rows)], notice)


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
    if file_format not in CONTENT_TYPES:
        raise ValueError(_("unknown export format %r (use csv or xlsx)") % file_format)
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        if notice:
            writer.writerow([neutralise(notice)])
        writer.writerow([neutralise(cell) for cell in header])
        writer.writerows([neutralise(cell) for cell in row] for row in rows)
        content = buffer.getvalue().encode("utf-8-sig")
    else:
        content = workbook_bytes([(filename, header, rows)], notice)
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response
