"""Exports of a questionnaire's submissions in the Kobo/ODK style.

One row per region, one column per question (a select_multiple as the chosen names plus one
0/1 column per choice, ``name/choice`` as Kobo names them), a second header row with readable
labels; each repeat in its own sheet linked by ``_submission_id`` and the instance path
``_index`` (``1.2``: the second instance inside the first of the outer repeat). A location is
its GeoJSON plus ``name/latitude``, ``name/longitude``, ``name/accuracy`` (a point) as Kobo
splits them; a media question is its file name plus ``name/url``, the link to the file (the
evidence ZIP holds the files themselves). Numbers are written as numbers. CSV carries the main table
(through the one export helper, :func:`kotacerdas.lib.export.table_response`); XLSX every sheet;
JSON everything; evidence as a ZIP per region.
"""

import io
import json
import zipfile

from django.http import HttpResponse
from django.urls import reverse

from kotacerdas.lib.export import CONTENT_TYPES, table_response, workbook_bytes
from kotacerdas.program.services import demo_notice

from .logic import answer_key, parse_geojson, split_key, text_in
from .models import SubmissionStatus
from .xlsform import ANSWERED_TYPES, GEO_TYPES, MEDIA_TYPES, METADATA_TYPES, walk

META = ["_submission_id", "_region_code", "_region", "_status", "_submitted_at", "_form_version"]


def _columns(elements, language):
    """[(column name, label, function(values) -> cell)] for the questions in ``elements``."""
    columns = []
    for element in elements:
        name = element["name"]
        label = text_in(element.get("label", {}), language) or name
        if element["type"] in ("integer", "decimal", "range"):
            columns.append((name, label, lambda values, key=name: _number(values.get(key, ""))))
        else:
            columns.append((name, label, lambda values, key=name: values.get(key, "")))
        if element["type"] in GEO_TYPES:
            parts = ("latitude", "longitude", "accuracy") if element["type"] == "geopoint" else ("latitude", "longitude")
            for position, part in enumerate(parts):
                columns.append((f"{name}/{part}", f"{label} / {part}",
                                lambda values, key=name, kind=element["type"], position=position: _coordinate(values.get(key, ""), kind, position)))
        if element["type"] in MEDIA_TYPES:
            columns.append((f"{name}/url", f"{label} / URL", lambda values, key=name: values.get("_media", {}).get(key, "")))
        if element["type"] == "select_multiple":
            for choice in element.get("choices", []):
                columns.append((
                    f"{name}/{choice['name']}", f"{label} / {text_in(choice['label'], language)}",
                    lambda values, key=name, choice=choice["name"]: 1 if choice in values.get(key, "").split() else 0,
                ))
    return columns


def _number(text):
    try:
        number = float(text)
    except (TypeError, ValueError):
        return text
    return int(number) if number.is_integer() and "." not in str(text) else number


def _coordinate(value, kind, position):
    """Latitude (0), longitude (1) or accuracy (2) of a point; of a line or a shape, the first
    point's (the GeoJSON column holds them all)."""
    if not value:
        return ""
    try:
        point = parse_geojson(value, kind)[0]
    except ValueError:
        return ""
    return "" if point[position] is None else point[position]


def _elements(definition):
    main, repeats = [], {}
    for element, ancestors in walk(definition["children"]):
        if element["type"] not in ANSWERED_TYPES | {"calculate", "hidden"} | METADATA_TYPES:
            continue
        repeat = next((a for a in reversed(ancestors) if a["type"] == "repeat"), None)
        if repeat is None:
            main.append(element)
        else:
            repeats.setdefault(repeat["name"], []).append(element)
    return main, repeats


def tables(assignment, language, base_url=""):
    """{sheet name: (header, labels, rows)} of every submission of ``assignment``; the columns
    follow the newest version (answers of older versions fill the columns they share)."""
    from .services import evaluate

    definition = assignment.form.newest.definition
    main, repeats = _elements(definition)
    main_columns = _columns(main, language)
    sheets = {"submissions": (META + [c[0] for c in main_columns], [""] * len(META) + [c[1] for c in main_columns], [])}
    repeat_columns = {}
    for repeat, elements in repeats.items():
        repeat_columns[repeat] = _columns(elements, language)
        sheets[repeat] = (["_submission_id", "_index"] + [c[0] for c in repeat_columns[repeat]], ["", ""] + [c[1] for c in repeat_columns[repeat]], [])
    submissions = assignment.submissions.select_related("region", "version").prefetch_related("answers").order_by("region__code")
    from .logic import FormLogic

    logic = FormLogic(definition)
    for submission in submissions:
        evaluation = evaluate(submission)
        values = {key: value for key, value in evaluation.values.items() if evaluation.relevant.get(key, True)}
        values["_media"] = {e.key: base_url + reverse("questionnaires:evidence", args=[e.pk]) for e in submission.evidence.all()}
        meta = [submission.pk, submission.region.code, submission.region.name, submission.status,
                submission.submitted_at.isoformat() if submission.submitted_at else "", submission.version.number]
        sheets["submissions"][2].append(meta + [c[2](values) for c in main_columns])
        for repeat, columns in repeat_columns.items():
            outer = logic.repeats_of.get(repeat, ()) + (repeat,)
            for path in logic.instances(outer, evaluation.repeat_counts):
                row_values = {c[0].split("/")[0]: values.get(answer_key(c[0].split("/")[0], path), "") for c in columns}
                row_values["_media"] = {split_key(k)[0]: url for k, url in values["_media"].items() if split_key(k)[1] == path}
                sheets[repeat][2].append([submission.pk, path[0] if len(path) == 1 else ".".join(str(i) for i in path)] + [c[2](row_values) for c in columns])
    return sheets



def export_response(assignment, file_format, language, base_url=""):
    sheets = tables(assignment, language, base_url)
    filename = f"{assignment.form.form_id}-{assignment.phase.year}"
    notice = demo_notice(assignment.phase)
    if file_format == "csv":
        header, labels, rows = sheets["submissions"]
        return table_response(filename, header, [labels] + rows, "csv", notice=notice)
    if file_format == "json":
        payload = {
            "form": assignment.form.form_id, "phase": assignment.phase.year, "stage": assignment.stage,
            "is_demo": assignment.phase.is_demo, "notice": notice,
            "sheets": {name: [dict(zip(header, row)) for row in rows] for name, (header, _labels, rows) in sheets.items()},
            "labels": {name: dict(zip(header, labels)) for name, (header, labels, _rows) in sheets.items()},
        }
        response = HttpResponse(json.dumps(payload, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        return response
    if len(sheets) == 1:
        header, labels, rows = sheets["submissions"]
        return table_response(filename, header, [labels] + rows, "xlsx", notice=notice)
    # Several sheets (repeats): the same shape as table_response, one sheet per table.
    content = workbook_bytes([(name, header, [labels] + rows) for name, (header, labels, rows) in sheets.items()], notice)
    response = HttpResponse(content, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def evidence_zip_response(submission):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, evidence in enumerate(submission.evidence.order_by("key", "uploaded_at"), start=1):
            with evidence.file.open("rb") as handle:
                archive.writestr(f"{evidence.key}/{number:03d}-{evidence.original_name}", handle.read())
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="evidence-{submission.region.code}-{submission.assignment.form.form_id}.zip"'
    return response


__all__ = ["export_response", "evidence_zip_response", "tables", "SubmissionStatus"]
