"""Reading tables (CSV or XLSX) with errors that name the row and column at fault.

Every import in the platform goes through here: a file is read and checked completely first, and
only a file without errors is written (by the caller, in one transaction), so a bad file never
leaves a partial import behind.
"""

import csv
import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from .inputs import clean_text


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


@dataclass(frozen=True)
class Limits:
    """How large a spreadsheet may be, checked on the file's content before it is parsed.

    A workbook's declared dimension says nothing (a real XLSForm declares 1,048,576 rows × 1,024
    columns and uses 90 rows), so rows and cells are counted from the cells that hold a value; a
    zip's unpacked size is bounded because a 209 KB .xlsx can unpack a 200 MB cell.
    """

    max_bytes: int = 20 * 1024 * 1024  # the file as uploaded
    max_unpacked: int = 200 * 1024 * 1024  # an .xlsx's parts, unpacked
    max_rows: int = 500_000  # rows holding a value, every sheet together
    max_cells: int = 10_000_000  # cells holding a value
    max_cell_chars: int = 32_767  # Excel's own limit for one cell


TABLE_LIMITS = Limits()


def read_table(path_or_file, required_columns=(), name=None, limits=TABLE_LIMITS):
    """Read a CSV or XLSX file into a :class:`Table` of stripped strings.

    Raises :class:`TableError` when the file cannot be read, is larger than ``limits`` or lacks a
    required column.
    """
    source = name or getattr(path_or_file, "name", None) or str(path_or_file)
    suffix = Path(source).suffix.lower()
    try:
        if suffix == ".xlsx":
            content = _content(path_or_file, limits)
            check_xlsx(content, limits, source=source)
            columns, rows = _read_xlsx(io.BytesIO(content))
        else:
            columns, rows = _read_csv(path_or_file, limits)
    except TableError as exc:
        if exc.source:
            raise
        raise TableError(source, exc.errors) from None
    except Exception as exc:  # a damaged file: say so instead of a traceback
        raise TableError(source, [CellError(1, "", _("the file cannot be read: %s") % exc)])
    missing = [column for column in required_columns if column not in columns]
    if missing:
        raise TableError(
            source,
            [CellError(1, column, _("required column is missing")) for column in missing],
        )
    return Table(source=source, columns=columns, rows=rows)


def _content(path_or_file, limits):
    """The file's bytes, refused past ``limits.max_bytes`` without reading further."""
    if hasattr(path_or_file, "read"):
        content = path_or_file.read(limits.max_bytes + 1)
    else:
        with open(path_or_file, "rb") as handle:
            content = handle.read(limits.max_bytes + 1)
    if len(content) > limits.max_bytes:
        raise _too_large(_("the file is larger than %(limit)s MB") % {"limit": round(limits.max_bytes / 2**20, 1)})
    return content


def _too_large(message, row=1, column=""):
    return TableError("", [CellError(row, column, message)])


def _read_csv(path_or_file, limits=TABLE_LIMITS):
    raw = _content(path_or_file, limits)
    text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    csv.field_size_limit(max(limits.max_bytes, 131_072))  # the long cell is named below, not by csv
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        return [], []
    columns = [clean_text(column).strip() for column in header]
    rows = []
    cells = 0
    for line_number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        cells += sum(1 for value in values if value)
        if len(rows) + 1 > limits.max_rows or cells > limits.max_cells:
            raise _too_large(_("the file has more than %(rows)s rows or %(cells)s cells") % {"rows": limits.max_rows, "cells": limits.max_cells}, line_number)
        for index, value in enumerate(values):
            if len(value) > limits.max_cell_chars:
                raise _too_large(_("a cell holds %(count)s characters (at most %(limit)s)") % {"count": len(value), "limit": limits.max_cell_chars},
                                 line_number, columns[index] if index < len(columns) else "")
        padded = values + [""] * (len(columns) - len(values))
        rows.append((line_number, {c: clean_text(v).strip() for c, v in zip(columns, padded)}))
    return columns, rows


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _column_of(reference):
    return "".join(char for char in (reference or "") if char.isalpha())


def check_xlsx(content, limits=TABLE_LIMITS, source=""):
    """Refuse (:class:`TableError`, naming sheet, row and column where it can) an .xlsx workbook
    larger than ``limits``, from its content and before any spreadsheet library parses it.

    The zip's parts are bounded by their unpacked sizes (zipfile never reads past a part's
    declared size); the sheets are then streamed once, counting only cells that hold a value and
    stopping at the first limit passed, so a million-row file costs the rows up to the limit.
    """
    if len(content) > limits.max_bytes:
        raise TableError(source, [CellError(1, "", _("the file is larger than %(limit)s MB") % {"limit": round(limits.max_bytes / 2**20, 1)})])
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise TableError(source, [CellError(1, "", _("the file is not an .xlsx workbook"))]) from None
    with archive:
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > limits.max_unpacked:
            raise TableError(source, [CellError(1, "", _("the workbook unpacks to %(size)s MB (at most %(limit)s MB)") % {
                "size": round(unpacked / 2**20, 1), "limit": round(limits.max_unpacked / 2**20, 1)})])
        names = set(archive.namelist())
        try:
            long_strings = _long_shared_strings(archive, names, limits)
            counted = {"rows": 0, "cells": 0}
            for title, part in _sheet_parts(archive, names):
                _check_sheet(archive, part, title, long_strings, counted, limits, source)
        except ElementTree.ParseError as exc:
            raise TableError(source, [CellError(1, "", _("the file cannot be read: %s") % exc)]) from None


def _sheet_parts(archive, names):
    """(sheet title, part name) of every worksheet, in the workbook's order."""
    if "xl/workbook.xml" not in names:
        return [(name, name) for name in sorted(names) if name.startswith("xl/worksheets/") and name.endswith(".xml")]
    targets = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for rel in ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels")).iter(f"{_PACKAGE_REL}Relationship"):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id")] = target
    parts = []
    for sheet in ElementTree.fromstring(archive.read("xl/workbook.xml")).iter(f"{_MAIN}sheet"):
        part = targets.get(sheet.get(f"{_REL}id"))
        if part in names:
            parts.append((sheet.get("name", ""), part))
    return parts


def _long_shared_strings(archive, names, limits):
    """Indexes of shared strings longer than a cell may hold (named later at the cell using one)."""
    long_strings = {}
    if "xl/sharedStrings.xml" not in names:
        return long_strings
    index = 0
    with archive.open("xl/sharedStrings.xml") as handle:
        for _event, element in ElementTree.iterparse(handle):
            if element.tag == f"{_MAIN}si":
                length = sum(len(text.text or "") for text in element.iter(f"{_MAIN}t"))
                if length > limits.max_cell_chars:
                    long_strings[str(index)] = length
                index += 1
                element.clear()
    return long_strings


def _check_sheet(archive, part, title, long_strings, counted, limits, source):
    def refuse(row, column, message):
        raise TableError(source, [CellError(row, f"{title}!{column}", message)])

    with archive.open(part) as handle:
        for _event, element in ElementTree.iterparse(handle):
            if element.tag != f"{_MAIN}row":
                continue
            row = int(element.get("r") or 0) or counted["rows"] + 1
            filled = 0
            for cell in element.iter(f"{_MAIN}c"):
                value = cell.find(f"{_MAIN}v")
                inline = "".join(text.text or "" for text in cell.iter(f"{_MAIN}t"))
                if (value is None or not value.text) and not inline:
                    continue
                filled += 1
                length = len(inline) if inline else len(value.text)
                if cell.get("t") == "s" and value is not None:
                    length = long_strings.get(value.text.strip(), 0)
                if length > limits.max_cell_chars:
                    refuse(row, _column_of(cell.get("r")), _("a cell holds %(count)s characters (at most %(limit)s)") % {
                        "count": length, "limit": limits.max_cell_chars})
            element.clear()
            if filled:
                counted["rows"] += 1
                counted["cells"] += filled
                if counted["rows"] > limits.max_rows:
                    refuse(row, "", _("the workbook has more than %(limit)s rows with values") % {"limit": limits.max_rows})
                if counted["cells"] > limits.max_cells:
                    refuse(row, "", _("the workbook has more than %(limit)s cells with values") % {"limit": limits.max_cells})


# Columns holding Kemendagri region codes. A spreadsheet turns a kabupaten/kota code typed as
# 63.10 into the number 63.1; such a code always has two digits after the point, so a number in
# one of these columns is written back that way (63.1 -> "63.10", 63.01 -> "63.01").
CODE_COLUMNS = frozenset({"region_code", "region", "province_code"})


def _cell_text(value, column):
    if value is None:
        return ""
    if isinstance(value, float) and column in CODE_COLUMNS:
        return f"{value:.2f}"
    return clean_text(str(value)).strip()


def _read_xlsx(path_or_file):
    from openpyxl import load_workbook

    workbook = load_workbook(path_or_file, read_only=True, data_only=True)
    try:
        return _sheet_rows(workbook.worksheets[0])
    finally:
        workbook.close()


def _sheet_rows(sheet):
    # The declared dimension may say 1,048,576 × 1,024; the rows are read as they are.
    sheet.reset_dimensions()
    iterator = sheet.iter_rows(values_only=True)
    header = next(iterator, None)
    if header is None:
        return [], []
    columns = ["" if value is None else clean_text(str(value)).strip() for value in header]
    rows = []
    for line_number, values in enumerate(iterator, start=2):
        cells = [_cell_text(value, column) for value, column in zip(values, columns + [""] * len(values))]
        if not any(cells):
            continue
        cells += [""] * (len(columns) - len(cells))
        rows.append((line_number, dict(zip(columns, cells))))
    return columns, rows


def read_sheets(path_or_file, sheets, name=None, limits=TABLE_LIMITS):
    """Read several sheets of one XLSX workbook, opened once: ``sheets`` maps a sheet name to
    (required columns, whether the sheet itself is required); returns {sheet name: Table}, an
    absent optional sheet as an empty table. Every missing sheet and column is named (the
    column as ``sheet.column``) in one :class:`TableError`."""
    from openpyxl import load_workbook

    source = name or getattr(path_or_file, "name", None) or str(path_or_file)
    try:
        # Bounded on its content before openpyxl parses it, as read_table does.
        content = _content(path_or_file, limits)
        check_xlsx(content, limits, source=source)
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except TableError as exc:
        raise TableError(source, exc.errors) from None
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
