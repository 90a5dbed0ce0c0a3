"""Reading XLSForm workbooks (.xlsx) into the platform's form definition.

No Django import. pyxform is the authority on what a valid XLSForm is; before it runs, the
workbook is read here cell by cell so that every fault is reported with its sheet, row and
column (pyxform names the row only). Types, their spellings and column aliases are read
through pyxform's own alias tables: what pyxform 4.x converts imports here, and what the
platform does not use (other sheets, settings columns, odd form ids) is a warning.

The definition is plain JSON: ``{"form_id", "title", "version", "languages", "children"}``,
each child a question ``{"name", "type", "label": {language: text}, "hint", "required",
"required_message", "constraint", "constraint_message", "relevant", "calculation", "default",
"choices", "weight", "row", "children"}`` and, where they apply, ``metadata``, ``parameters``
(range; randomize and seed of a select), ``list_name``, ``choice_filter``, ``choices_file``, ``external``, ``repeat_count``; a
choice may carry ``columns`` (its other cells, which ``choice_filter`` reads). Attached CSVs
are kept under ``attachments`` (for ``pulldata`` and choices from files); language keys are the codes in the column headers
(``label::English (en)`` → ``en``), ``default`` when a column names no language.
"""

import io
import math
import re
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import expressions

# Types of the XLSForm specification the platform fills in a web form
# (https://xlsform.org/en/#question-types); the spellings and aliases pyxform accepts are read
# through pyxform's own tables (pyxform.aliases), so a form pyxform converts imports here.
QUESTION_TYPES = {
    "text", "integer", "decimal", "date", "time", "datetime", "select_one", "select_multiple", "rank",
    "select_one_external", "note", "calculate", "hidden", "acknowledge", "barcode", "email", "range",
    "image", "audio", "video", "file", "geopoint", "geotrace", "geoshape",
}
# Metadata: filled by the platform, never shown (start and end of filling, the day, the device
# as the browser's user agent, the account; a browser has no phone number, so it stays empty).
METADATA_TYPES = {
    "start", "end", "today", "deviceid", "uri:deviceid", "username", "uri:username", "phonenumber",
    "uri:phonenumber", "subscriberid", "simserial", "email_meta", "audit", "start-geopoint", "background-audio",
}
STRUCTURE_TYPES = {"begin_group", "end_group", "begin_repeat", "end_repeat", "begin_loop", "end_loop"}
SUPPORTED_TYPES = QUESTION_TYPES | METADATA_TYPES | STRUCTURE_TYPES
MEDIA_TYPES = {"image", "audio", "video", "file"}
GEO_TYPES = {"geopoint", "geotrace", "geoshape"}
SELECT_TYPES = {"select_one", "select_multiple", "rank", "select_one_external"}
# Metadata kinds the web platform cannot produce and skips on import (with a warning).
_SKIPPED_METADATA = {"audit", "start-geopoint", "background-audio"}
EXPRESSION_COLUMNS = ("relevant", "constraint", "calculation", "required", "default", "choice_filter")
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
        where = _("sheet %(sheet)s") % {"sheet": repr(self.sheet)} if self.sheet else _("workbook")
        if self.row:
            where += _(", row %(row)s") % {"row": self.row}
        if self.column:
            where += _(", column %(column)s") % {"column": self.column}
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


# pyxform's older spellings of the same types (its question_type_dictionary), after dropping
# the "q ", "add ", "get " prefixes and the " prompt" suffix.
_TYPE_SPELLINGS = {
    "string": "text", "int": "integer", "date time": "datetime", "datetime": "datetime", "photo": "image",
    "picture": "image", "gps": "geopoint", "location": "geopoint", "trigger": "acknowledge",
    "device id": "deviceid", "imei": "deviceid", "start time": "start", "end time": "end",
    "phone number": "text", "sim id": "simserial", "subscriber id": "subscriberid",
    "uri:email": "email_meta", "osm": "file", "select one": "select_one", "select all that apply": "select_multiple",
    "select one external": "select_one_external", "select1": "select_one", "select": "select_multiple",
    "begin group": "begin_group", "end group": "end_group", "begin repeat": "begin_repeat", "end repeat": "end_repeat",
}
# Types pyxform knows that declare something rather than ask (external instances for pulldata).
DECLARATION_TYPES = {"csv-external", "xml-external"}


def canonical_type(text):
    """The platform's name of a type cell's kind (``select one`` → ``select_one``,
    ``add photo prompt`` → ``image``), or the lowered text itself when it is no known alias."""
    lowered = " ".join(str(text).split())
    if lowered.lower() != "datetime" and lowered != "dateTime":
        lowered = lowered.lower()
    else:
        lowered = "datetime"
    for prefix in ("q ", "add ", "get "):
        if lowered.startswith(prefix):
            lowered = lowered[len(prefix):]
    if lowered.endswith(" prompt"):
        lowered = lowered[: -len(" prompt")]
    return _TYPE_SPELLINGS.get(lowered, lowered)


_LOOP = re.compile(r"^begin[ _]loop[ _]over[ _](\S+)$", re.IGNORECASE)


def _type_of(cell):
    """(canonical type, list name, from a file) of a type cell; the type is None when pyxform
    knows no such type. Select spellings come from pyxform's alias table."""
    from pyxform import aliases, constants

    text = " ".join(str(cell).split())
    lowered = text.lower()
    loop = _LOOP.match(text)
    if loop:  # pyxform's "begin loop over LIST": its questions once per choice of LIST
        return "begin_loop", loop.group(1), False
    structure = re.match(r"^(begin|end)[ _](.+)$", lowered)
    if structure and structure.group(2).replace("_", " ") in aliases.control:
        kind = aliases.control[structure.group(2).replace("_", " ")]
        if kind == "loop" and structure.group(1) == "end":
            return "end_loop", "", False
        return (f"{structure.group(1)}_{kind}" if kind in ("group", "repeat") else None), "", False
    select_kinds = {constants.SELECT_ONE: "select_one", constants.SELECT_ALL_THAT_APPLY: "select_multiple",
                    constants.RANK: "rank", constants.SELECT_ONE_EXTERNAL: "select_one_external"}
    for alias in sorted(aliases.select, key=len, reverse=True):
        if lowered == alias or lowered.startswith(alias + " "):
            rest = text[len(alias):].split()
            return select_kinds.get(aliases.select[alias]), (rest[0] if rest else ""), alias in aliases.select_from_file
    kind = canonical_type(text)
    if kind in SUPPORTED_TYPES or kind in DECLARATION_TYPES:
        return kind, "", False
    if lowered.split(" ")[0] == "osm":  # an OpenStreetMap file with its tag list: a file here
        return "file", "", False
    return None, "", False


def _column_letter(index):
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# Column spellings pyxform accepts for the columns the platform reads (pyxform.aliases:
# survey_header, list_header), and the "bind:" / "bind::" prefix of older forms.
_HEADER_SPELLINGS = {
    "relevance": "relevant", "calculate": "calculation", "constraining_message": "constraint_message",
    "jr:constraintmsg": "constraint_message", "requiredmsg": "required_message", "jr:requiredmsg": "required_message",
    "caption": "label", "jr:count": "repeat_count", "count": "repeat_count", "command": "type", "tag": "name",
    "read_only": "readonly", "choice_filter": "choice_filter", "list_name": "list_name",
}


def canonical_header(header):
    """``bind:relevant`` → ``relevant``, ``list name`` → ``list_name``, ``label::English (en)``
    kept with its language."""
    text = str(header).strip()
    if "::" not in text and re.match(r"^(label|hint|constraint_message|required_message|image|audio|video|big-image|guidance_hint):", text, re.IGNORECASE):
        text = text.replace(":", "::", 1)  # pyxform's older single-colon language columns
    first, separator, rest = text.partition("::")
    first = "_".join(first.split()).lower() if not first.lower().startswith("jr:") else first.lower()
    for prefix in ("bind::", "bind:"):
        if first.startswith(prefix):
            first = first[len(prefix):]
    if not separator and first.startswith("bind") and rest:
        first = rest
    first = _HEADER_SPELLINGS.get(first, first)
    return first + separator + rest


class _Sheet:
    def __init__(self, title, rows, choices=False):
        self.title = title
        header = rows[0] if rows else []
        self.originals = ["" if value is None else str(value).strip() for value in header]
        self.headers = [canonical_header(value) if value else "" for value in self.originals]
        if choices:
            self.headers = ["name" if value == "value" else value for value in self.headers]
        self.rows = []  # (row number, {header: text})
        self.raw = {}  # row number -> {header as written: text}
        for number, values in enumerate(rows[1:], start=2):
            cells, raw = {}, {}
            for index, value in enumerate(values):
                if index < len(self.headers) and self.headers[index]:
                    text = _cell_text(value)
                    if text:
                        cells[self.headers[index]] = text
                        raw[self.originals[index]] = text
            if cells:
                self.rows.append((number, cells))
                self.raw[number] = raw

    def column(self, header):
        for index, name in enumerate(self.headers):
            if name == header:
                return f"{_column_letter(index)} ({self.originals[index]})"
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


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _workbook_sheets(content):
    from openpyxl import load_workbook

    from kotacerdas.lib.tabular import TableError, check_xlsx

    try:
        # Before openpyxl or pyxform parse anything: a million-row form or a 200 MB label cell
        # would hold a worker for minutes and gigabytes.
        check_xlsx(content, _xlsform_limits())
    except TableError as exc:
        raise FormError([_limit_fault(error) for error in exc.errors]) from None
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a damaged workbook: say so, never a traceback
        raise FormError([FormFault("", 0, "", _("the workbook cannot be read: %(error)s") % {"error": exc})]) from None
    sheets = {}
    for sheet in workbook.worksheets:
        sheet.reset_dimensions()  # the declared dimension may be 1,048,576 × 1,024; read what is there
        key = sheet.title.strip().lower()
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        if not any(value not in (None, "") for row in rows for value in row):
            continue  # an empty sheet is no sheet, as for pyxform
        sheets[key] = _Sheet(sheet.title, rows, choices=key in ("choices", "external_choices"))
    workbook.close()
    if "survey" not in sheets and len(sheets) == 1:
        # pyxform reads a workbook of one sheet as its survey, whatever the sheet's name.
        sheets = {"survey": next(iter(sheets.values()))}
    return sheets


def unpack_bundle(content, filename="form.xlsx"):
    """(workbook bytes, workbook name, {file name: bytes}) of an upload: an .xlsx alone, or a ZIP
    holding one workbook with its media and CSV files (ODK's form attachments)."""
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise FormError([FormFault("", 0, "", _("the file is not an .xlsx workbook or a ZIP holding one"))])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        if "[Content_Types].xml" in names:
            return content, filename, {}
        workbooks = [n for n in names if n.lower().endswith((".xlsx", ".xlsm")) and not n.startswith("__MACOSX")]
        if len(workbooks) != 1:
            raise FormError([FormFault("", 0, "", _("the ZIP must hold exactly one .xlsx workbook; it holds %(count)s") % {"count": len(workbooks)})])
        files = {}
        for name in names:
            if name.endswith("/") or name == workbooks[0] or name.startswith("__MACOSX"):
                continue
            files[name.rsplit("/", 1)[-1]] = archive.read(name)
        return archive.read(workbooks[0]), workbooks[0].rsplit("/", 1)[-1], files


def read_csv_attachment(name, content):
    """Rows ({column: text}) of an attached CSV; :class:`FormError` naming the file when it
    cannot be read."""
    import csv

    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormError([FormFault(name, 0, "", _("the file is not UTF-8 text"))]) from None
    rows = list(csv.DictReader(io.StringIO(text)))
    return [{str(k).strip(): (v or "").strip() for k, v in row.items() if k is not None} for row in rows]


def _check(sheets, files):
    """Every fault the platform can name precisely; empty when the workbook may go to pyxform."""
    faults = []
    survey = sheets.get("survey")
    if survey is None:
        return [FormFault("survey", 0, "", _("the workbook has no 'survey' sheet"))]
    for header in ("type", "name"):
        if header not in survey.headers:
            faults.append(FormFault("survey", 1, header, _("the '%(header)s' column is missing") % {"header": header}))
    if faults:
        return faults
    lists = {}
    settings = sheets.get("settings")
    allow_duplicates = bool(settings and any(cells.get("allow_choice_duplicates", "").lower() in _YES for _n, cells in settings.rows))
    for sheet_name in ("choices", "external_choices"):
        choices = sheets.get(sheet_name)
        if choices is None:
            continue
        for header in ("list_name", "name"):
            if header not in choices.headers:
                faults.append(FormFault(sheet_name, 1, header, _("the '%(header)s' column is missing") % {"header": header}))
        for number, cells in choices.rows:
            list_name, name = cells.get("list_name", ""), cells.get("name", "")
            if not list_name:
                faults.append(FormFault(sheet_name, number, choices.column("list_name"), _("a choice needs a list_name")))
                continue
            if not name:
                faults.append(FormFault(sheet_name, number, choices.column("name"), _("a choice needs a name")))
            elif name in lists.setdefault((sheet_name, list_name), {}) and not allow_duplicates:
                faults.append(FormFault(sheet_name, number, choices.column("name"), _("the choice '%(name)s' is already in list '%(list)s' (row %(row)s)") % {"name": name, "list": list_name, "row": lists[(sheet_name, list_name)][name]}))
            else:
                lists[(sheet_name, list_name)][name] = number
            score = cells.get("score")
            if score is not None and not _is_number(score):
                faults.append(FormFault(sheet_name, number, choices.column("score"), _("the score '%(value)s' is not a number") % {"value": score}))

    names = {}
    stack = []
    typed_rows = []
    for number, cells in survey.rows:
        type_cell = cells.get("type", "")
        if not type_cell:
            if any(key != "type" for key in cells):
                faults.append(FormFault("survey", number, survey.column("type"), _("the row has no type")))
            continue
        kind, list_name, from_file = _type_of(type_cell)
        if kind is None:
            faults.append(FormFault("survey", number, survey.column("type"), _("the question type '%(type)s' is not supported; use one of: %(types)s") % {"type": type_cell, "types": ", ".join(sorted(QUESTION_TYPES))}))
            continue
        name = cells.get("name", "")
        if kind in ("end_group", "end_repeat", "end_loop"):
            opener = "begin_" + kind[len("end_"):]
            if not stack or stack[-1][0] != opener:
                faults.append(FormFault("survey", number, survey.column("type"), _("'%(type)s' has no matching '%(opener)s'") % {"type": type_cell, "opener": opener.replace("_", " ")}))
            else:
                stack.pop()
            continue
        if kind in DECLARATION_TYPES:
            if name and name + ".csv" not in files and name not in files:
                faults.append(FormFault("survey", number, survey.column("name"), _("the file '%(file)s' named here was not uploaded with the form") % {"file": f"{name}.csv"}))
            continue
        if not name:
            faults.append(FormFault("survey", number, survey.column("name"), _("a question needs a name")))
        elif not _NAME.match(name):
            faults.append(FormFault("survey", number, survey.column("name"), _("the name '%(name)s' may hold only letters, digits, '_', '-' and '.', and must not start with a digit") % {"name": name}))
        elif name in names:
            faults.append(FormFault("survey", number, survey.column("name"), _("the name '%(name)s' is already used in row %(row)s") % {"name": name, "row": names[name]}))
        else:
            names[name] = number
        if kind in ("begin_group", "begin_repeat", "begin_loop"):
            stack.append((kind, number))
        if kind == "begin_loop" and ("choices", list_name) not in lists:
            faults.append(FormFault("survey", number, survey.column("type"), _("the choice list '%(list)s' is not on the '%(sheet)s' sheet") % {"list": list_name, "sheet": "choices"}))
        if kind in SELECT_TYPES:
            sheet_name = "external_choices" if kind == "select_one_external" else "choices"
            if not list_name:
                faults.append(FormFault("survey", number, survey.column("type"), _("'%(type)s' names no choice list") % {"type": type_cell}))
            elif from_file:
                if list_name not in files:
                    faults.append(FormFault("survey", number, survey.column("type"), _("the file '%(file)s' named here was not uploaded with the form") % {"file": list_name}))
            elif (sheet_name, list_name) not in lists:
                faults.append(FormFault("survey", number, survey.column("type"), _("the choice list '%(list)s' is not on the '%(sheet)s' sheet") % {"list": list_name, "sheet": sheet_name}))
        if kind == "calculate" and not cells.get("calculation"):
            faults.append(FormFault("survey", number, survey.column("calculation"), _("a calculate row needs a calculation")))
        weight = cells.get("weight")
        if weight is not None and not _is_number(weight):
            faults.append(FormFault("survey", number, survey.column("weight"), _("the weight '%(value)s' is not a number") % {"value": weight}))
        typed_rows.append((number, cells, kind))
    for opener, number in stack:
        faults.append(FormFault("survey", number, survey.column("type"), _("this '%(opener)s' is never closed") % {"opener": opener.replace("_", " ")}))
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
                expressions.parse(pyxform_paths(text), fields=column == "choice_filter")
                unknown = [ref for ref in expressions.references(pyxform_paths(text)) if ref not in names]
            except expressions.ExpressionError as exc:
                faults.append(FormFault("survey", number, survey.column(column), _("the expression '%(expression)s' cannot be read: %(error)s") % {"expression": text, "error": exc}))
                continue
            for ref in unknown:
                faults.append(FormFault("survey", number, survey.column(column), _("%(reference)s refers to no question of this form") % {"reference": "${%s}" % ref}))
            for file_name in _PULLDATA.findall(text):
                if file_name + ".csv" not in files:
                    faults.append(FormFault("survey", number, survey.column(column), _("the file '%(file)s' that pulldata() reads was not uploaded with the form") % {"file": f"{file_name}.csv"}))
    if not typed_rows:
        faults.append(FormFault("survey", 0, "", _("the form has no questions")))
    return faults


_PULLDATA = re.compile(r"pulldata\(\s*['\"]([^'\"]+)['\"]")
_RELATIVE_PATH = re.compile(r"(?:\.\./)+([A-Za-z_][A-Za-z0-9_.\-]*)")


def pyxform_paths(text):
    """pyxform writes some expressions itself with relative paths (``selected(../q, 'other')``
    for ``or_other``); the platform reads them as the ``${q}`` they stand for."""
    return _RELATIVE_PATH.sub(lambda match: "${" + match.group(1) + "}", text or "")


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


# Settings columns the platform reads; any other sheet or settings column is a warning.
_USED_SETTINGS = {"form_title", "form_id", "version", "default_language", "title", "id_string", "allow_choice_duplicates"}
_USED_SHEETS = {"survey", "choices", "settings", "external_choices"}
_KEPT_SHEETS = ("entities", "osm")
_FORM_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,99}$")


def read_xlsform(content, filename="form.xlsx", files=None):
    """The definition of the XLSForm in ``content`` (bytes: an .xlsx, or a ZIP with the workbook
    and its CSV and media files; ``files`` adds attachments uploaded beside it), or
    :class:`FormError`. Its ``warnings`` list what the platform does not use."""
    content, filename, bundled = unpack_bundle(content, filename)
    files = {**bundled, **(files or {})}
    sheets = _workbook_sheets(content)
    faults = _check(sheets, files)
    if faults:
        raise FormError(faults)
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    try:
        result = convert(xlsform=content, validate=False, pretty_print=False, form_name="data")
    except PyXFormError as exc:
        raise FormError([_pyxform_fault(str(exc), sheets)]) from None
    except Exception as exc:  # pyxform failing in an unforeseen way: still a message, not a traceback
        raise FormError([FormFault("", 0, "", _("pyxform cannot read the form: %(error)s") % {"error": exc})]) from None
    warnings = [str(w) for w in (result.warnings or [])]
    warnings += [_("the sheet '%(sheet)s' is not used here") % {"sheet": sheet.title} for key, sheet in sheets.items() if key not in _USED_SHEETS]
    settings_sheet = sheets.get("settings")
    if settings_sheet is not None:
        warnings += [_("the settings column '%(header)s' is not used here") % {"header": header} for header in settings_sheet.headers
                     if header and header.split("::")[0] not in _USED_SETTINGS]
    rows = {}
    for number, cells in sheets["survey"].rows:
        if cells.get("name") and not (_type_of(cells.get("type", ""))[0] or "").startswith("end_"):
            rows.setdefault(cells["name"], number)
    source = result._pyxform
    form_id = source.get("id_string") or ""
    if not settings_sheet or not any(cells.get("form_id") for _n, cells in settings_sheet.rows):
        form_id = re.sub(r"[^A-Za-z0-9_]+", "_", filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]).strip("_") or "form"
    elif not _FORM_ID.match(form_id):
        cleaned = (re.sub(r"[^A-Za-z0-9_.\-]+", "_", form_id).strip("_") or "form")[:100]
        warnings.append(_("the form id '%(id)s' is stored as '%(stored)s'") % {"id": form_id, "stored": cleaned})
        form_id = cleaned
    attachments = {}
    for name, data in files.items():
        if name.lower().endswith(".csv"):
            attachments[name] = read_csv_attachment(name, data)
    builder = _Builder(rows, sheets, attachments, warnings)
    builder.lists = source.get("choices") or {}  # pyxform's itemsets (randomize, choice_filter)
    children = builder.children([c for c in source.get("children", []) if c.get("name") != "meta"])
    title = source.get("title") or form_id
    ordered = sorted(builder.languages - {"default"}, key=lambda code: (code != "id", code))
    definition = {
        "form_id": form_id,
        "title": title,
        "version": str(source.get("version") or ""),
        "languages": ordered or ["default"],
        "children": children,
    }
    if attachments:
        definition["attachments"] = attachments
    if files:
        definition["files"] = sorted(files)
    # What the round trip (write_xlsform) needs to give pyxform the same form again: the
    # languages as their headers named them and the settings as written.
    names = {}
    for sheet in sheets.values():
        for header in sheet.headers:
            if "::" in header:
                names.setdefault(language_code(header.partition("::")[2]), header.partition("::")[2])
    definition["language_names"] = {code: name for code, name in names.items() if code in builder.languages}
    # Lists no question uses still become part of the XForm (pyxform writes every list).
    used = {e.get("list_name") for e, _a in walk(children)}
    unused = {}
    for _number, cells in (sheets["choices"].rows if "choices" in sheets else []):
        list_name = cells.get("list_name")
        if list_name and list_name not in used:
            label = {(language_code(k.partition("::")[2]) if "::" in k else "default"): v for k, v in cells.items() if k.split("::")[0] == "label"}
            unused.setdefault(list_name, []).append({"name": cells.get("name", ""), "label": label, "score": float(cells["score"]) if _is_number(cells.get("score")) else None,
                                                     "columns": _choice_columns(cells)})
    if unused:
        definition["unused_choices"] = unused
    if settings_sheet is not None and settings_sheet.rows:
        definition["settings"] = settings_sheet.raw[settings_sheet.rows[0][0]]
    choices_sheet = sheets.get("choices")
    if choices_sheet is not None:
        definition["choice_lists"] = list(dict.fromkeys(cells.get("list_name") for _n, cells in choices_sheet.rows if cells.get("list_name")))
        media = {}
        for number, cells in choices_sheet.rows:
            kept = {h: v for h, v in choices_sheet.raw[number].items() if canonical_header(h).split("::")[0] in ("image", "audio", "video", "big-image", "media")}
            if kept:
                media.setdefault(cells.get("list_name"), {})[cells.get("name")] = kept
        if media:
            definition["choice_media"] = media
    # Sheets pyxform reads but the platform does not use (entities, osm tag lists): kept as
    # written, so the regenerated XLSForm gives pyxform the same XForm.
    kept = {}
    for key in _KEPT_SHEETS:
        sheet = sheets.get(key)
        if sheet is not None:
            kept[sheet.title] = [sheet.originals] + [[sheet.raw[number].get(h, "") for h in sheet.originals] for number, _c in sheet.rows]
    if kept:
        definition["kept_sheets"] = kept
    # The survey's column order, which pyxform follows for the attributes of each bind.
    definition["survey_columns"] = [canonical_header(h) for h in sheets["survey"].originals if h]
    definition["warnings"] = warnings
    return definition


# --- the round trip: a stored definition written back as an XLSForm --------------------------

# Survey columns the definition models; any other cell of a row is kept as written
# (``other_columns``: media, read_only, autoplay, body::accept, ...) and written back.
_MODELLED_COLUMNS = {
    "type", "name", "label", "hint", "required", "required_message", "relevant", "constraint", "constraint_message",
    "calculation", "default", "appearance", "parameters", "choice_filter", "repeat_count", "weight",
}

_WRITTEN_TYPE = {"email_meta": "uri:email"}


def write_xlsform(definition):
    """The XLSForm (.xlsx bytes) of a stored definition, regenerated from it (not the uploaded
    file), with its attached CSVs as {name: bytes}: pyxform converts it to the same XForm as
    the original."""
    import csv

    from openpyxl import Workbook

    names = definition.get("language_names", {})
    languages = [code for code in definition.get("languages", []) if code != "default"]

    def headers_for(column, texts_of):
        used = set()
        for texts in texts_of:
            used.update(texts)
        heads = [(column, "default")] if "default" in used else []
        heads += [(f"{column}::{names.get(code, code)}", code) for code in languages if code in used]
        return heads

    elements = [element for element, _a in walk(definition["children"])]
    text_columns = {}
    for column, key in (("label", "label"), ("hint", "hint"), ("required_message", "required_message"), ("constraint_message", "constraint_message")):
        text_columns[key] = headers_for(column, [e.get(key, {}) for e in elements])
    plain = ["required", "relevant", "constraint", "calculation", "default", "appearance", "parameters", "choice_filter", "repeat_count", "weight"]
    used_plain = [c for c in plain if any(_plain_cell(e, c) for e in elements)]
    other = []
    for element in elements:
        other += [h for h in element.get("other_columns", {}) if h not in other]
    header = ["type", "name"] + [h for h, _c in text_columns["label"] + text_columns["hint"]] + used_plain \
        + [h for h, _c in text_columns["required_message"] + text_columns["constraint_message"]] + other
    if definition.get("survey_columns"):
        written = definition["survey_columns"]
        header = header[:2] + sorted(header[2:], key=lambda h: written.index(canonical_header(h)) if canonical_header(h) in written else len(written))
    survey_rows, lists, external = [], {}, {}

    def row(element, kind_text):
        cells = {"type": element.get("type_cell") or kind_text, "name": element["name"]}
        for key, heads in text_columns.items():
            for head, code in heads:
                value = element.get(key, {}).get(code)
                if value:
                    cells[head] = value
        for column in used_plain:
            value = _plain_cell(element, column)
            if value:
                cells[column] = value
        cells.update(element.get("other_columns", {}))
        survey_rows.append(cells)

    flat = str((definition.get("settings") or {}).get("flat", "")).strip().lower() in _YES

    def emit(children, inherited=""):
        skip = set()
        for position, element in enumerate(children):
            if element["name"] in skip:
                continue
            if flat and inherited and element.get("relevant") == inherited:
                # A flat form: pyxform gave each question its group's relevance; written once,
                # on the group, as the author did.
                element = {**element, "relevant": ""}
            kind = element["type"]
            if element.get("loop"):
                # Written as the author did: the loop's questions once; pyxform expands them.
                row(element, f"begin loop over {element['loop']['list_name']}")
                emit(element["loop"]["children"], element.get("relevant", "") or inherited)
                survey_rows.append({"type": "end loop"})
                continue
            if kind in ("group", "repeat"):
                row(element, f"begin_{kind}")
                emit(element.get("children", []), element.get("relevant", "") or inherited)
                survey_rows.append({"type": f"end_{kind}"})
                continue
            if kind in ("select_one", "select_multiple", "rank"):
                choices = list(element.get("choices", []))
                suffix = ""
                following = children[position + 1] if position + 1 < len(children) else None
                if (kind in ("select_one", "select_multiple") and choices and choices[-1]["name"] == "other" and following
                        and following["name"] == element["name"] + "_other"
                        and following.get("relevant") == f"selected(${{{element['name']}}}, 'other')"):
                    # pyxform's or_other: the choice and the question it adds itself.
                    suffix, choices = " or_other", choices[:-1]
                    skip.add(following["name"])
                if element.get("external"):
                    external.setdefault(element["list_name"], choices)
                    row(element, f"select_one_external {element['list_name']}")
                elif element.get("choices_file"):
                    row(element, f"{kind}_from_file {element['choices_file']}")
                else:
                    lists.setdefault(element["list_name"], choices)
                    row(element, f"{kind} {element['list_name']}{suffix}")
                continue
            row(element, _WRITTEN_TYPE.get(kind, kind))

    emit(definition["children"])
    for list_name, choices in definition.get("unused_choices", {}).items():
        lists.setdefault(list_name, choices)
    order = {name: position for position, name in enumerate(definition.get("choice_lists", []))}
    lists = dict(sorted(lists.items(), key=lambda item: order.get(item[0], len(order))))
    choice_media = definition.get("choice_media", {})
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    sheet.append(header)
    for cells in survey_rows:
        sheet.append([cells.get(column, None) for column in header])
    for title, source in (("choices", lists), ("external_choices", external)):
        if not source:
            continue
        all_choices = [c for choices in source.values() for c in choices]
        label_heads = headers_for("label", [{} if c.get("unlabelled") else c.get("label", {}) for c in all_choices])
        extra, media_heads = [], []
        for choice in all_choices:
            extra += [k for k in choice.get("columns", {}) if k not in extra]
        for by_name in (choice_media.values() if title == "choices" else []):
            for cells in by_name.values():
                media_heads += [h for h in cells if h not in media_heads]
        scored = any(c.get("score") is not None for c in all_choices)
        sheet = workbook.create_sheet(title)
        sheet.append(["list_name", "name"] + [h for h, _c in label_heads] + (["score"] if scored else []) + extra + media_heads)
        for list_name, choices in source.items():
            for choice in choices:
                media = choice_media.get(list_name, {}).get(choice["name"], {}) if title == "choices" else {}
                labels = {} if choice.get("unlabelled") else choice.get("label", {})
                sheet.append([list_name, choice["name"]] + [labels.get(code) for _h, code in label_heads]
                             + ([_number_text(choice.get("score"))] if scored else []) + [choice.get("columns", {}).get(k) for k in extra]
                             + [media.get(h) for h in media_heads])
    for title, rows in (definition.get("kept_sheets") or {}).items():
        sheet = workbook.create_sheet(title)
        for cells in rows:
            sheet.append([cell or None for cell in cells])
    settings = dict(definition.get("settings") or {})
    if settings:
        sheet = workbook.create_sheet("settings")
        sheet.append(list(settings))
        sheet.append(list(settings.values()))
    buffer = io.BytesIO()
    workbook.save(buffer)
    files = {}
    for name, rows in definition.get("attachments", {}).items():
        text = io.StringIO()
        columns = list(rows[0]) if rows else ["name", "label"]
        writer = csv.DictWriter(text, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
        files[name] = text.getvalue().encode("utf-8")
    return buffer.getvalue(), files


def _number_text(value):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _plain_cell(element, column):
    if column == "parameters":
        parameters = element.get("parameters") or {}
        return " ".join(f"{k}={v}" for k, v in parameters.items())
    if column == "weight":
        return _number_text(element.get("weight"))
    if column == "required":
        return "yes" if element.get("required") == "true()" else element.get("required", "")
    return element.get(column, "") or ""


def _texts(value, languages):
    if value is None or value == "":
        return {}
    if isinstance(value, dict):
        texts = {language_code(key): str(text) for key, text in value.items() if text not in (None, "")}
    else:
        texts = {"default": str(value)}
    languages.update(texts)
    return texts



def _choice_columns(cells):
    """A choice's own columns other than its name, label, score and media (for choice_filter)."""
    return {key: value for key, value in cells.items()
            if key not in ("list_name", "name", "score") and not key.startswith(("label", "media", "image", "audio", "video", "big-image"))}


class _Builder:
    """The definition's elements from pyxform's JSON, with the platform's names and the cells
    pyxform does not carry (choice columns for filters, weights, scores, rows)."""

    def __init__(self, rows, sheets, attachments, warnings):
        self.lists = {}  # list name -> pyxform's choices, for selects given as an itemset
        self.rows, self.attachments, self.warnings = rows, attachments, warnings
        self.survey = sheets["survey"]
        self.type_cells = {number: cells.get("type") for number, cells in self.survey.rows}
        self.languages = set()
        self.extra = {}  # (sheet, list) -> [columns of each choice, in sheet order]
        self.external = {}  # list -> [choice]
        for sheet_name in ("choices", "external_choices"):
            sheet = sheets.get(sheet_name)
            for _number, cells in (sheet.rows if sheet else []):
                columns = _choice_columns(cells)
                self.extra.setdefault((sheet_name, cells.get("list_name")), []).append(columns)
                if sheet_name == "external_choices":
                    label = {language_code(k.partition("::")[2]) if "::" in k else "default": v for k, v in cells.items() if k.startswith("label")}
                    self.languages.update(label)
                    self.external.setdefault(cells.get("list_name"), []).append(
                        {"name": cells.get("name"), "label": label or {"default": cells.get("name")}, "score": None, "columns": columns})

    def question(self, element):
        bind = element.get("bind", {}) or {}
        kind = canonical_type(element.get("type", ""))
        if kind == "loop":
            return self.loop(element)
        if kind in ("group", "repeat"):
            pass
        elif kind in _SKIPPED_METADATA or kind in DECLARATION_TYPES:
            if kind in _SKIPPED_METADATA:
                self.warnings.append(_("the metadata '%(name)s' (%(type)s) cannot be recorded in a web form and is skipped") % {"name": element["name"], "type": kind})
            return None
        required = str(bind.get("required", "") or "").strip()
        if required.lower() in _YES:
            required = "true()"
        elif required.lower() in _NO:
            required = "false()" if required else ""
        languages = self.languages
        question = {
            "name": element["name"],
            "type": kind,
            "label": _texts(element.get("label"), languages),
            "hint": _texts(element.get("hint"), languages),
            "required": pyxform_paths(required),
            "required_message": _texts(bind.get("jr:requiredMsg"), languages),
            "constraint": pyxform_paths(bind.get("constraint", "") or ""),
            "constraint_message": _texts(bind.get("jr:constraintMsg"), languages),
            "relevant": pyxform_paths(bind.get("relevant", "") or ""),
            "calculation": pyxform_paths(bind.get("calculate", "") or ""),
            "default": str(element.get("default", "") or ""),
            "weight": float(element["weight"]) if element.get("weight") not in (None, "") else None,
            "row": self.rows.get(element["name"], 0),
        }
        if kind in METADATA_TYPES:
            question["metadata"] = True
        other = {header: value for header, value in self.survey.raw.get(question["row"], {}).items()
                 if canonical_header(header).split("::")[0] not in _MODELLED_COLUMNS}
        if other and question["row"]:
            question["other_columns"] = other  # kept as written, for the round trip
        type_cell = self.type_cells.get(question["row"])
        if type_cell and question["row"]:
            question["type_cell"] = type_cell
        if element.get("parameters") and kind == "range":
            question["parameters"] = {key: str(value) for key, value in element["parameters"].items()}
        if element.get("parameters") and kind in SELECT_TYPES:
            # randomize=true [seed=...]: the choices in ODK's random order (seeded: repeatable).
            kept = {key: str(value) for key, value in element["parameters"].items() if key in ("randomize", "seed")}
            if kept:
                question["parameters"] = {k: pyxform_paths(v) if k == "seed" else v for k, v in kept.items()}
        if (element.get("control") or {}).get("appearance"):
            question["appearance"] = element["control"]["appearance"]
        if (element.get("control") or {}).get("jr:count"):
            question["repeat_count"] = pyxform_paths(element["control"]["jr:count"])
        if kind in SELECT_TYPES:
            itemset = element.get("itemset") or element.get("list_name") or ""
            question["list_name"] = element.get("list_name") or itemset
            if element.get("choice_filter"):
                question["choice_filter"] = element["choice_filter"]
            if kind == "select_one_external":
                question["choices"] = self.external.get(itemset, [])
            elif itemset in self.attachments:
                question["list_name"] = itemset
                question["choices_file"] = itemset
                question["choices"] = [
                    {"name": row.get("name", ""), "score": None,
                     "label": {(language_code(k.partition("::")[2]) if "::" in k else "default"): v for k, v in row.items() if k.startswith("label") and v} or {"default": row.get("name", "")},
                     "columns": _choice_columns(row)}
                    for row in self.attachments[itemset] if row.get("name")
                ]
            else:
                extra = self.extra.get(("choices", question["list_name"]), [])
                question["choices"] = []
                for position, choice in enumerate(element.get("choices") or self.lists.get(itemset, [])):
                    name = str(choice["name"])
                    entry = {
                        "name": name,
                        "label": _texts(choice.get("label"), languages) or {"default": name},
                        "score": float(choice["score"]) if choice.get("score") not in (None, "") else None,
                    }
                    if not _texts(choice.get("label"), languages):
                        entry["unlabelled"] = True  # shown by its name; written back without a label
                    columns = extra[position] if position < len(extra) else {}
                    if columns:
                        entry["columns"] = columns
                    question["choices"].append(entry)
            if kind == "select_one_external":
                question["type"] = "select_one"
                question["external"] = True
        if kind in ("group", "repeat"):
            question["children"] = self.children(element.get("children", []))
        return question

    def loop(self, element):
        """A loop as pyxform expands it (pyxform.builder, _create_loop_from_dict): a group holding
        one group per choice of its list (but a "none" choice), each with the loop's questions,
        ``%(name)s`` and ``%(label)s`` in their texts replaced by the choice's. Answers are kept
        by name, so each copy is named after its loop and choice (``loop_choice_question``);
        pyxform refuses a reference to a question of the loop (it would name several), so none
        needs renaming. The questions as written are kept under ``loop`` for the round trip."""
        from pyxform.builder import SurveyElementBuilder

        name = element["name"]
        row = self.rows.get(name, 0)
        template = element.get("children") or []
        loop = self.question({key: value for key, value in element.items() if key not in ("children", "columns", "type")}
                             | {"type": "group", "children": []})
        written = _LOOP.match(" ".join(str(self.type_cells.get(row) or "").split()))
        loop["loop"] = {"list_name": written.group(1) if written else "", "children": self.children(template)}
        own = [question["name"] for question, _a in walk(loop["loop"]["children"])]
        for column in element.get("columns") or []:
            if column["name"] == "none":
                continue
            prefix = f"{name}_{column['name']}"
            copies = [SurveyElementBuilder._name_and_label_substitutions(child, column) for child in template]
            group = self.question({"type": "group", "name": prefix, "label": column.get("label"), "children": copies})
            renamed = {old: f"{prefix}_{old}" for old in own}
            for question, _ancestors in walk(group["children"]):
                question["name"] = renamed[question["name"]]
            for question, _ancestors in walk([group]):
                if question["name"] in self.rows:
                    raise FormError([FormFault("survey", row, self.survey.column("type"), _("the name '%(name)s' is already used in row %(row)s")
                                               % {"name": question["name"], "row": self.rows[question["name"]]})])
            loop["children"].append(group)
        return loop

    def children(self, elements):
        """The questions of ``elements``; the ``<repeat>_count`` calculation pyxform adds before
        a repeat whose repeat_count is not a plain reference is folded back into that
        repeat_count (as the form's author wrote it), so the regenerated form does not add it twice."""
        generated = {}
        for element in elements:
            count = ((element.get("control") or {}).get("jr:count") or "").strip()
            if element.get("type") == "repeat" and count == "${%s_count}" % element["name"]:
                generated[f"{element['name']}_count"] = element["name"]
        result, folded = [], {}
        for element in elements:
            bind = element.get("bind") or {}
            if element.get("name") in generated and element.get("type") == "calculate" and bind.get("readonly") == "true()":
                folded[generated[element["name"]]] = pyxform_paths(str(bind.get("calculate", "")))
                continue
            question = self.question(element)
            if question is None:
                continue
            if question["name"] in folded:
                question["repeat_count"] = folded[question["name"]]
            result.append(question)
        return result


def walk(children, parent_path=()):
    """Every element of a definition's tree in form order, as (element, ancestors)."""
    for element in children:
        yield element, parent_path
        if element.get("children"):
            yield from walk(element["children"], parent_path + (element,))


# Questions a region answers (notes, calculations, hidden values, metadata, groups and repeats
# are not counted).
ANSWERED_TYPES = QUESTION_TYPES - {"note", "calculate", "hidden", "select_one_external"}


def count_by_type(definition):
    """{type: number of elements} of a definition, metadata and notes included."""
    counts = {}
    for element, _ancestors in walk(definition["children"]):
        counts[element["type"]] = counts.get(element["type"], 0) + 1
    return dict(sorted(counts.items()))


def count_questions(definition):
    """Questions a region answers."""
    return sum(1 for element, _ancestors in walk(definition["children"]) if element["type"] in ANSWERED_TYPES)
