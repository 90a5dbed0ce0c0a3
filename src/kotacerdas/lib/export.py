"""One way to export a table: CSV or XLSX, as a download."""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def xlsx_bytes(title, header, rows, notice=None):
    """An XLSX workbook of one sheet named ``title`` holding ``rows`` under ``header``."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    if notice:
        sheet.append([notice])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
            writer.writerow([notice])
        writer.writerow(header)
        writer.writerows(rows)
        content = buffer.getvalue().encode("utf-8-sig")
    else:
        content = xlsx_bytes(filename, header, rows, notice)
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response
