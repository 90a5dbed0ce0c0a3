"""Helpers for the tests of every app (no test runs from here)."""

import io


def xlsx_upload(rows, name="table.xlsx"):
    """An uploaded .xlsx file (first sheet, ``rows`` as given, the header first), as a page or an
    import receives one."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())
