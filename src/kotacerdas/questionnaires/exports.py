"""Exports of a questionnaire's submissions in the Kobo/ODK style.

One row per region, one column per question (a select_multiple as the chosen names plus one
0/1 column per choice, ``name/choice`` as Kobo names them), a second header row with readable
labels; each repeat in its own sheet linked by ``_submission_id``. CSV carries the main table
(through the one export helper, :func:`kotacerdas.lib.export.table_response`); XLSX every sheet;
JSON everything; evidence as a ZIP per region.
"""

import io
import json
import zipfile

from django.http import HttpResponse

from kotacerdas.lib.export import sheets_response, table_response
from kotacerdas.lib.files import safe_name
from kotacerdas.program.services import demo_notice

from .logic import answer_key, text_in
from .models import SubmissionStatus
from .xlsform import ANSWERED_TYPES, walk

META = ["_submission_id", "_region_code", "_region", "_status", "_submitted_at", "_form_version"]


def _columns(elements, language):
    """[(column name, label, function(values) -> cell)] for the questions in ``elements``."""
    columns = []
    for element in elements:
        name = element["name"]
        label = text_in(element.get("label", {}), language) or name
        columns.append((name, label, lambda values, key=name: values.get(key, "")))
        if element["type"] == "select_multiple":
            for choice in element.get("choices", []):
                columns.append((
                    f"{name}/{choice['name']}", f"{label} / {text_in(choice['label'], language)}",
                    lambda values, key=name, choice=choice["name"]: 1 if choice in values.get(key, "").split() else 0,
                ))
    return columns


def _elements(definition):
    main, repeats = [], {}
    for element, ancestors in walk(definition["children"]):
        if element["type"] not in ANSWERED_TYPES | {"calculate"}:
            continue
        repeat = next((a for a in reversed(ancestors) if a["type"] == "repeat"), None)
        if repeat is None:
            main.append(element)
        else:
            repeats.setdefault(repeat["name"], []).append(element)
    return main, repeats


def tables(assignment, language):
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
    for submission in submissions:
        evaluation = evaluate(submission)
        values = {key: value for key, value in evaluation.values.items() if evaluation.relevant.get(key, True)}
        meta = [submission.pk, submission.region.code, submission.region.name, submission.status,
                submission.submitted_at.isoformat() if submission.submitted_at else "", submission.version.number]
        sheets["submissions"][2].append(meta + [c[2](values) for c in main_columns])
        for repeat, columns in repeat_columns.items():
            for index in range(1, evaluation.repeat_counts.get(repeat, 0) + 1):
                row_values = {c[0].split("/")[0]: values.get(answer_key(c[0].split("/")[0], index), "") for c in columns}
                sheets[repeat][2].append([submission.pk, index] + [c[2](row_values) for c in columns])
    return sheets


def export_response(assignment, file_format, language):
    sheets = tables(assignment, language)
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
    # One sheet per table (repeats have their own), labels under the header.
    return sheets_response(filename, {name: (header, [labels] + rows) for name, (header, labels, rows) in sheets.items()},
                           "xlsx", notice=notice)


def evidence_zip_response(submission):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, evidence in enumerate(submission.evidence.order_by("key", "uploaded_at"), start=1):
            with evidence.file.open("rb") as handle:
                archive.writestr(f"{safe_name(evidence.key)}/{number:03d}-{safe_name(evidence.original_name)}", handle.read())
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="evidence-{submission.region.code}-{submission.assignment.form.form_id}.zip"'
    return response


__all__ = ["export_response", "evidence_zip_response", "tables", "SubmissionStatus"]
