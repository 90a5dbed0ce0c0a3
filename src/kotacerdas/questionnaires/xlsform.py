"""Reading XLSForm workbooks (.xlsx) into the platform's form definition.

No Django import. pyxform is the authority on what a valid XLSForm is; before it runs, the
workbook is read here cell by cell so that every fault is reported with its sheet, row and
column (pyxform names the row only), and so that types the platform does not fill (geopoint,
image, audio, …) are refused up front.

The definition is plain JSON: ``{"form_id", "title", "version", "languages", "children"}``,
each child a question ``{"name", "type", "label": {language: text}, "hint", "required",
"required_message", "constraint", "constraint_message", "relevant", "calculation", "default",
"choices", "weight", "row", "children"}``; language keys are the codes in the column headers
(``label::English (en)`` → ``en``), ``default`` when a column names no language.
"""

import io
import math
import re
import zipfile
from dataclasses import dataclass

from . import expressions

SUPPORTED_TYPES = {
    "text", "integer", "decimal", "date", "select_one", "select_multiple", "note", "calculate",
    "begin_group", "end_group", "begin_repeat", "end_repeat",
}
# Spellings XLSForm accepts for the same types (https://xlsform.org/en/#question-types).
TYPE_ALIASES = {
    "string": "text", "int": "integer", "select one": "select_one", "select all that apply": "select_multiple",
    "select multiple": "select_multiple", "select_one": "select_one", "select_multiple": "select_multiple",
    "begin group": "begin_group", "end group": "end_group", "begin repeat": "begin_repeat",
    "end repeat": "end_repeat",
}
EXPRESSION_COLUMNS = ("relevant", "constraint", "calculation", "required", "default")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_LANGUAGE_CODE = re.compile(r"\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)\)\s*$")
_YES = {"yes", "true", "true()", "1"}
_NO = {"", "no", "false", "false()", "0"}


@dataclass(frozen=True)
class FormFault:
    sheet: str
    row: int
    column: str  # the column letter and header, e.g. "A (type)"; "" when the fault is the sheet
    message: str

    def __str__(self):
        where = f"sheet {self.sheet!r}" if self.sheet else "workbook"
        if self.row:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class FormError(ValueError):
    """A workbook that is not a form the platform can use; ``faults`` says where and why."""

    def __init__(self, faults):
        self.faults = list(faults)
        super().__init__("; ".join(str(fault) for fault in self.faults[:20]))


def language_code(header_language):
    """``English (en)`` → ``en``; a header without a code keeps its own text."""
    match = _LANGUAGE_CODE.search(header_language or "")
    return match.group(1).lower() if match else (header_language or "default")


def _type_of(cell):
    """(canonical type, list name) of a type cell; the type is None when it is unknown."""
    text = " ".join(str(cell).split())
    lowered = text.lower()
    for alias in sorted(TYPE_ALIASES, key=len, reverse=True):
        if lowered == alias or lowered.startswith(alias + " "):
            rest = text[len(alias):].strip()
            canonical = TYPE_ALIASES[alias]
            return canonical, rest.split(" ")[0] if rest else ""
    first, _space, rest = text.partition(" ")
    return (first.lower() if first.lower() in SUPPORTED_TYPES else None), rest.strip()


def _column_letter(index):
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


class _Sheet:
    def __init__(self, title, rows):
        self.title = title
        header = rows[0] if rows else []
        self.headers = ["" if value is None else str(value).strip() for value in header]
        self.rows = []  # (row number, {header: text})
        for number, values in enumerate(rows[1:], start=2):
            cells = {}
            for index, value in enumerate(values):
                if index < len(self.headers) and self.headers[index]:
                    text = "" if value is None else str(value).strip()
                    if text:
                        cells[self.headers[index]] = text
            if cells:
                self.rows.append((number, cells))

    def column(self, header):
        for index, name in enumerate(self.headers):
            if name == header:
                return f"{_column_letter(index)} ({header})"
        return header

    def find(self, prefix):
        return [h for h in self.headers if h == prefix or h.startswith(prefix + "::")]


def _xlsform_limits():
    from kotacerdas.lib.tabular import Limits

    # The largest real forms have a few thousand rows (a choice list of 5,667 villages); labels
    # are sentences, not books.
    return Limits(max_bytes=10 * 1024 * 1024, max_unpacked=50 * 1024 * 1024, max_rows=50_000,
                  max_cells=1_000_000, max_cell_chars=32_767)


def _limit_fault(error):
    sheet, _bang, column = error.column.partition("!")
    return FormFault(sheet, error.row if sheet else 0, column, error.message)


def _read_workbook(content):
    from openpyxl import load_workbook

    from kotacerdas.lib.tabular import TableError, check_xlsx

    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise FormError([FormFault("", 0, "", "the file is not an .xlsx workbook")])
    try:
        # Before openpyxl or pyxform parse anything: a million-row form or a 200 MB label cell
        # would hold a worker for minutes and gigabytes.
        check_xlsx(content, _xlsform_limits())
    except TableError as exc:
        raise FormError([_limit_fault(error) for error in exc.errors]) from None
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a damaged workbook: say so, never a traceback
        raise FormError([FormFault("", 0, "", f"the workbook cannot be read: {exc}")]) from None
    sheets = {}
    for sheet in workbook.worksheets:
        sheet.reset_dimensions()  # the declared dimension may be 1,048,576 × 1,024; read what is there
        sheets[sheet.title.strip().lower()] = _Sheet(sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)])
    workbook.close()
    return sheets


def _check(sheets):
    """Every fault the platform can name precisely; empty when the workbook may go to pyxform."""
    faults = []
    survey = sheets.get("survey")
    if survey is None:
        return [FormFault("survey", 0, "", "the workbook has no 'survey' sheet")]
    for header in ("type", "name"):
        if header not in survey.headers:
            faults.append(FormFault("survey", 1, header, f"the '{header}' column is missing"))
    if faults:
        return faults
    choices = sheets.get("choices")
    lists = {}
    if choices is not None:
        for header in ("list_name", "name"):
            if header not in choices.headers:
                faults.append(FormFault("choices", 1, header, f"the '{header}' column is missing"))
        for number, cells in choices.rows:
            list_name, name = cells.get("list_name", ""), cells.get("name", "")
            if not list_name:
                faults.append(FormFault("choices", number, choices.column("list_name"), "a choice needs a list_name"))
                continue
            if not name:
                faults.append(FormFault("choices", number, choices.column("name"), "a choice needs a name"))
            elif name in lists.setdefault(list_name, {}):
                faults.append(FormFault("choices", number, choices.column("name"), f"the choice '{name}' is already in list '{list_name}' (row {lists[list_name][name]})"))
            else:
                lists[list_name][name] = number
            score = cells.get("score")
            if score is not None and not _is_number(score):
                faults.append(FormFault("choices", number, choices.column("score"), f"the score '{score}' is not a number"))

    names = {}
    stack = []
    typed_rows = []
    for number, cells in survey.rows:
        type_cell = cells.get("type", "")
        if not type_cell:
            if any(key != "type" for key in cells):
                faults.append(FormFault("survey", number, survey.column("type"), "the row has no type"))
            continue
        kind, list_name = _type_of(type_cell)
        if kind is None:
            faults.append(FormFault("survey", number, survey.column("type"), f"the question type '{type_cell}' is not supported; use one of: {', '.join(sorted(t for t in SUPPORTED_TYPES if not t.startswith('end_')))}"))
            continue
        name = cells.get("name", "")
        if kind in ("end_group", "end_repeat"):
            opener = "begin_group" if kind == "end_group" else "begin_repeat"
            if not stack or stack[-1][0] != opener:
                faults.append(FormFault("survey", number, survey.column("type"), f"'{type_cell}' has no matching '{opener.replace('_', ' ')}'"))
            else:
                stack.pop()
            continue
        if not name:
            faults.append(FormFault("survey", number, survey.column("name"), "a question needs a name"))
        elif not _NAME.match(name):
            faults.append(FormFault("survey", number, survey.column("name"), f"the name '{name}' may hold only letters, digits, '_', '-' and '.', and must not start with a digit"))
        elif name in names:
            faults.append(FormFault("survey", number, survey.column("name"), f"the name '{name}' is already used in row {names[name]}"))
        else:
            names[name] = number
        if kind in ("begin_group", "begin_repeat"):
            if kind == "begin_repeat" and any(opener == "begin_repeat" for opener, _row in stack):
                faults.append(FormFault("survey", number, survey.column("type"), "a repeat inside a repeat is not supported"))
            stack.append((kind, number))
        if kind in ("select_one", "select_multiple"):
            if not list_name:
                faults.append(FormFault("survey", number, survey.column("type"), f"'{type_cell}' names no choice list"))
            elif list_name not in lists:
                faults.append(FormFault("survey", number, survey.column("type"), f"the choice list '{list_name}' is not on the 'choices' sheet"))
        if kind == "calculate" and not cells.get("calculation"):
            faults.append(FormFault("survey", number, survey.column("calculation"), "a calculate row needs a calculation"))
        weight = cells.get("weight")
        if weight is not None and not _is_number(weight):
            faults.append(FormFault("survey", number, survey.column("weight"), f"the weight '{weight}' is not a number"))
        typed_rows.append((number, cells, kind))
    for opener, number in stack:
        faults.append(FormFault("survey", number, survey.column("type"), f"this '{opener.replace('_', ' ')}' is never closed"))
    for number, cells, kind in typed_rows:
        for column in EXPRESSION_COLUMNS:
            text = cells.get(column)
            if text is None:
                continue
            if column == "required" and text.strip().lower() in _YES | _NO:
                continue
            if column == "default" and "${" not in text and "(" not in text:
                continue  # a plain default value, not an expression
            try:
                expressions.parse(text)
                unknown = [ref for ref in expressions.references(text) if ref not in names]
            except expressions.ExpressionError as exc:
                faults.append(FormFault("survey", number, survey.column(column), f"the expression '{text}' cannot be read: {exc}"))
                continue
            for ref in unknown:
                faults.append(FormFault("survey", number, survey.column(column), f"${{{ref}}} refers to no question of this form"))
    if not typed_rows:
        faults.append(FormFault("survey", 0, "", "the form has no questions"))
    return faults


def _is_number(text):
    """A finite number (``nan``, ``inf`` and ``1e999`` are not weights or scores)."""
    try:
        return math.isfinite(float(text))
    except (TypeError, ValueError):
        return False


_PYXFORM_ROW = re.compile(r"\[row\s*:\s*(\d+)\]")
_PYXFORM_SHEET = re.compile(r"'(survey|choices|settings)' sheet", re.IGNORECASE)


def _pyxform_fault(message, sheets):
    row_match = _PYXFORM_ROW.search(message)
    sheet_match = _PYXFORM_SHEET.search(message)
    sheet = (sheet_match.group(1).lower() if sheet_match else "survey")
    column = ""
    named = sheets.get(sheet)
    if named is not None:
        for header in named.headers:
            if header and f"'{header}'" in message:
                column = named.column(header)
                break
    clean = _PYXFORM_ROW.sub("", message).strip()
    return FormFault(sheet, int(row_match.group(1)) if row_match else 0, column, clean)


def read_xlsform(content, filename="form.xlsx"):
    """The definition of the XLSForm in ``content`` (bytes), or :class:`FormError`."""
    sheets = _read_workbook(content)
    faults = _check(sheets)
    if faults:
        raise FormError(faults)
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    try:
        result = convert(xlsform=content, validate=False, pretty_print=False, form_name="data")
    except PyXFormError as exc:
        raise FormError([_pyxform_fault(str(exc), sheets)]) from None
    except Exception as exc:  # pyxform failing in an unforeseen way: still a message, not a traceback
        raise FormError([FormFault("", 0, "", f"pyxform cannot read the form: {exc}")]) from None
    rows = {cells.get("name"): number for number, cells in sheets["survey"].rows if cells.get("name")}
    source = result._pyxform
    settings_sheet = sheets.get("settings")
    form_id = source.get("id_string") or ""
    if not settings_sheet or not any(cells.get("form_id") for _n, cells in settings_sheet.rows):
        form_id = re.sub(r"[^A-Za-z0-9_]+", "_", filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]).strip("_") or "form"
    languages = set()
    children = [_question(child, rows, languages) for child in source.get("children", []) if child.get("name") != "meta"]
    title = source.get("title") or form_id
    ordered = sorted(languages - {"default"}, key=lambda code: (code != "id", code))
    return {
        "form_id": form_id,
        "title": title,
        "version": str(source.get("version") or ""),
        "languages": ordered or ["default"],
        "children": children,
    }


def _texts(value, languages):
    if value is None or value == "":
        return {}
    if isinstance(value, dict):
        texts = {language_code(key): str(text) for key, text in value.items() if text not in (None, "")}
    else:
        texts = {"default": str(value)}
    languages.update(texts)
    return texts


_TYPE_FROM_PYXFORM = {
    "select one": "select_one", "select all that apply": "select_multiple", "text": "text", "integer": "integer",
    "decimal": "decimal", "date": "date", "note": "note", "calculate": "calculate", "group": "group", "repeat": "repeat",
}


def _question(element, rows, languages):
    bind = element.get("bind", {}) or {}
    kind = _TYPE_FROM_PYXFORM.get(element.get("type"), element.get("type"))
    required = str(bind.get("required", "") or "").strip()
    if required.lower() in _YES:
        required = "true()"
    elif required.lower() in _NO:
        required = ""
    question = {
        "name": element["name"],
        "type": kind,
        "label": _texts(element.get("label"), languages),
        "hint": _texts(element.get("hint"), languages),
        "required": required,
        "required_message": _texts(bind.get("jr:requiredMsg"), languages),
        "constraint": bind.get("constraint", "") or "",
        "constraint_message": _texts(bind.get("jr:constraintMsg"), languages),
        "relevant": bind.get("relevant", "") or "",
        "calculation": bind.get("calculate", "") or "",
        "default": str(element.get("default", "") or ""),
        "weight": float(element["weight"]) if element.get("weight") not in (None, "") else None,
        "row": rows.get(element["name"], 0),
    }
    if kind in ("select_one", "select_multiple"):
        question["list_name"] = element.get("list_name") or element.get("itemset") or ""
        question["choices"] = [
            {
                "name": str(choice["name"]),
                "label": _texts(choice.get("label"), languages) or {"default": str(choice["name"])},
                "score": float(choice["score"]) if choice.get("score") not in (None, "") else None,
            }
            for choice in element.get("choices", [])
        ]
    if kind in ("group", "repeat"):
        question["children"] = [_question(child, rows, languages) for child in element.get("children", [])]
    return question


def walk(children, parent_path=()):
    """Every element of a definition's tree in form order, as (element, ancestors)."""
    for element in children:
        yield element, parent_path
        if element.get("children"):
            yield from walk(element["children"], parent_path + (element,))


ANSWERED_TYPES = {"text", "integer", "decimal", "date", "select_one", "select_multiple"}


def count_questions(definition):
    """Questions a region answers (notes, calculations, groups and repeats are not counted)."""
    return sum(1 for element, _ancestors in walk(definition["children"]) if element["type"] in ANSWERED_TYPES)
