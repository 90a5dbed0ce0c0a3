"""Reading tables (CSV or XLSX) with errors that name the row and column at fault.

Every import in the platform goes through here: a file is read and checked completely first, and
only a file without errors is written (by the caller, in one transaction), so a bad file never
leaves a partial import behind.
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class CellError:
    row: int  # 1-based line number in the file, the header being row 1
    column: str
    message: str

    def __str__(self):
        return _("row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column or "-",
            "message": self.message,
        }


class TableError(ValueError):
    """A table that cannot be imported; ``errors`` lists every cell at fault."""

    def __init__(self, source, errors):
        self.source = str(source)
        self.errors = list(errors)
        shown = "; ".join(str(error) for error in self.errors[:20])
        more = len(self.errors) - 20
        if more > 0:
            shown += " " + _("(and %(count)s more)") % {"count": more}
        super().__init__(f"{self.source}: {shown}")


@dataclass
class Table:
    source: str
    columns: list
    rows: list = field(default_factory=list)  # (line number, {column: text}) pairs


def read_table(path_or_file, required_columns=(), name=None):
    """Read a CSV or XLSX file into a :class:`Table` of stripped strings.

    Raises :class:`TableError` when the file cannot be read or lacks a required column.
    """
    source = name or getattr(path_or_file, "name", None) or str(path_or_file)
    suffix = Path(source).suffix.lower()
    try:
        if suffix == ".xlsx":
            columns, rows = _read_xlsx(path_or_file)
        else:
            columns, rows = _read_csv(path_or_file)
    except TableError:
        raise
    except Exception as exc:  # a damaged file: say so instead of a traceback
        raise TableError(source, [CellError(1, "", _("the file cannot be read: %s") % exc)])
    missing = [column for column in required_columns if column not in columns]
    if missing:
        raise TableError(
            source,
            [CellError(1, column, _("required column is missing")) for column in missing],
        )
    return Table(source=source, columns=columns, rows=rows)


def _read_csv(path_or_file):
    if hasattr(path_or_file, "read"):
        raw = path_or_file.read()
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    else:
        text = Path(path_or_file).read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        return [], []
    columns = [column.strip() for column in header]
    rows = []
    for line_number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        padded = values + [""] * (len(columns) - len(values))
        rows.append((line_number, {c: v.strip() for c, v in zip(columns, padded)}))
    return columns, rows


# Columns holding Kemendagri region codes. A spreadsheet turns a kabupaten/kota code typed as
# 63.10 into the number 63.1; such a code always has two digits after the point, so a number in
# one of these columns is written back that way (63.1 -> "63.10", 63.01 -> "63.01").
CODE_COLUMNS = frozenset({"region_code", "region", "province_code"})


def _cell_text(value, column):
    if value is None:
        return ""
    if isinstance(value, float) and column in CODE_COLUMNS:
        return f"{value:.2f}"
    return str(value).strip()


def _read_xlsx(path_or_file):
    from openpyxl import load_workbook

    workbook = load_workbook(path_or_file, read_only=True, data_only=True)
    try:
        return _sheet_rows(workbook.worksheets[0])
    finally:
        workbook.close()


def _sheet_rows(sheet):
    iterator = sheet.iter_rows(values_only=True)
    header = next(iterator, None)
    if header is None:
        return [], []
    columns = ["" if value is None else str(value).strip() for value in header]
    rows = []
    for line_number, values in enumerate(iterator, start=2):
        cells = [_cell_text(value, column) for value, column in zip(values, columns + [""] * len(values))]
        if not any(cells):
            continue
        cells += [""] * (len(columns) - len(cells))
        rows.append((line_number, dict(zip(columns, cells))))
    return columns, rows


def read_sheets(path_or_file, sheets, name=None):
    """Read several sheets of one XLSX workbook, opened once: ``sheets`` maps a sheet name to
    (required columns, whether the sheet itself is required); returns {sheet name: Table}, an
    absent optional sheet as an empty table. Every missing sheet and column is named (the
    column as ``sheet.column``) in one :class:`TableError`."""
    from openpyxl import load_workbook

    source = name or getattr(path_or_file, "name", None) or str(path_or_file)
    try:
        workbook = load_workbook(path_or_file, read_only=True, data_only=True)
    except Exception as exc:  # a damaged file: say so instead of a traceback
        raise TableError(source, [CellError(1, "", _("the file cannot be read: %s") % exc)])
    tables, errors = {}, []
    try:
        for sheet_name, (required_columns, required) in sheets.items():
            if sheet_name not in workbook.sheetnames:
                if required:
                    errors.append(CellError(1, sheet_name, _("the workbook has no sheet %s") % sheet_name))
                tables[sheet_name] = Table(source=source, columns=list(required_columns))
                continue
            columns, rows = _sheet_rows(workbook[sheet_name])
            errors += [
                CellError(1, f"{sheet_name}.{column}", _("required column is missing"))
                for column in required_columns if column not in columns
            ]
            tables[sheet_name] = Table(source=source, columns=columns, rows=rows)
    except Exception as exc:
        raise TableError(source, [CellError(1, "", _("the file cannot be read: %s") % exc)])
    finally:
        workbook.close()
    if errors:
        raise TableError(source, errors)
    return tables
