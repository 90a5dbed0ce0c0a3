"""A submission laid out for the page: one item per question instance, in form order, with its
label in the reader's language, its value, revision, relevance, problems and comments.

``${name}`` in a label or hint is replaced by the current answer to ``name`` (ODK's label
references); the result is plain text, escaped by the templates like any other.
"""

import re
from decimal import Decimal

from kotacerdas.lib.numbers import NumberError, format_number, parse_number

from .logic import answer_key, parse_geojson, text_in
from .services import accepted_suffixes, answers_of, evaluate, issue_message, latest_comments, logic_of
from .xlsform import GEO_TYPES, MEDIA_TYPES

REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.\-]*)\}")


def language_of(definition, language):
    return language if language in definition.get("languages", []) else definition.get("languages", ["default"])[0]


def layout(submission, language, *, evaluation=None, comments=None, shown_issues=True):
    definition = submission.version.definition
    form_language = language_of(definition, language)
    stored = answers_of(submission)
    evaluation = evaluation or evaluate(submission, language=form_language)
    issues = {}
    if shown_issues:
        for issue in evaluation.issues:
            issues.setdefault(issue.key, []).append(issue_message(issue, form_language))
    if comments is None:
        comments, _change = latest_comments(submission)
    evidence = {}
    for item in submission.evidence.all():
        evidence.setdefault(item.key, []).append(item)
    items = []
    logic = logic_of(submission.version)

    def text(texts, index):
        return fill_references(text_in(texts, form_language), logic, evaluation, index)

    def add(children, depth, index=()):
        for element in children:
            name = element["name"]
            if element.get("metadata"):
                continue  # filled by the platform, never shown
            if element["type"] == "repeat":
                key = answer_key(name, index)
                count = evaluation.repeat_counts.get(key, 0)
                items.append(_item(element, key, depth, form_language, evaluation, stored, issues, comments, evidence, text, index, count=count))
                for i in range(1, count + 1):
                    path = tuple(index) + (i,)
                    instance = answer_key(name, path)
                    items.append({"type": "repeat_instance", "key": instance, "index": ".".join(str(p) for p in path), "depth": depth + 1,
                                  "relevant": evaluation.relevant.get(key, True), "label": text(element["label"], path), "hint": "", "dom": dom_id(instance)})
                    add(element["children"], depth + 2, path)
                continue
            key = answer_key(name, index)
            items.append(_item(element, key, depth, form_language, evaluation, stored, issues, comments, evidence, text, index))
            if element["type"] == "group":
                add(element["children"], depth + 1, index)

    add(definition["children"], 0)
    return items


def fill_references(text, logic, evaluation, index=None):
    """``text`` with each ``${name}`` replaced by the current value of ``name`` (empty when the
    question is not relevant; inside a repeat, the same instance's; from outside it, every
    instance's, joined by commas). A name that is no question of the form is left as written."""
    if "${" not in text:
        return text

    def value_of(match):
        name = match.group(1)
        element = logic.elements.get(name)
        if element is None or element["type"] in ("group", "note"):
            return match.group(0)
        target = logic.repeats_of.get(name, ())
        path = tuple(index or ())[: len(target)]
        if element["type"] == "repeat":
            return str(sum(evaluation.repeat_counts.get(answer_key(name, p), 0) for p in logic.instances(target, evaluation.repeat_counts, path)))
        keys = [answer_key(name, p) for p in logic.instances(target, evaluation.repeat_counts, path)]
        values = [evaluation.values.get(key, "") for key in keys if evaluation.relevant.get(key, True)]
        return ", ".join(value for value in values if value)

    return REFERENCE.sub(value_of, text)


def dom_id(key):
    """The part of an element id that stands for an answer key."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", key)


def _item(element, key, depth, language, evaluation, stored, issues, comments, evidence, text, index=None, count=None):
    value, revision = stored.get(key, ("", 0))
    kind = element["type"]
    if kind in ("calculate", "hidden"):
        value = evaluation.values.get(key, "")
    chosen = value.split() if kind in ("select_multiple", "rank") else [value]
    choices = element.get("choices", [])
    if key in evaluation.options:  # a choice_filter or randomize: the choices it lets through, in its order
        order = {name: position for position, name in enumerate(evaluation.options[key])}
        allowed = set(order) | set(chosen)
        choices = sorted((c for c in choices if c["name"] in allowed), key=lambda c: order.get(c["name"], len(order)))
    extra = {}
    if kind in GEO_TYPES:
        extra = _location_fields(kind, value)
    if kind == "rank":
        order = [name for name in chosen if name] or [c["name"] for c in choices]
        extra["positions"] = [{"number": i, "chosen": name} for i, name in enumerate(order, start=1)]
    if kind in MEDIA_TYPES:
        extra["accept"] = ",".join(accepted_suffixes(kind))
    if kind == "range":
        extra["parameters"] = {k: element.get("parameters", {}).get(k, d) for k, d in (("start", "1"), ("end", "10"), ("step", "1"))}
    errors = issues.get(key, [])
    if kind == "decimal":
        extra["shown"], problem = shown_decimal(value)
        if problem:
            errors = [problem, *errors]
    if kind == "repeat" and element.get("repeat_count"):
        extra["fixed_count"] = True  # the form's repeat_count sets how many: no add or remove
    return {
        **extra,
        "key": key,
        "dom": dom_id(key),
        "name": element["name"],
        "type": element["type"],
        "label": text(element["label"], index) or element["name"],
        "hint": text(element.get("hint", {}), index),
        "required": bool(element.get("required")),
        "value": value,
        "revision": revision,
        "relevant": evaluation.relevant.get(key, True),
        "choices": [
            {"name": c["name"], "label": text_in(c["label"], language) or c["name"], "checked": c["name"] in chosen}
            for c in choices
        ],
        "errors": errors,
        "comment": comments.get(key, ""),
        "evidence": evidence.get(key, []),
        "depth": depth,
        "count": count,
    }


_MACHINE_DECIMAL = re.compile(r"^-?(\d+)(?:\.(\d*))?$")


def shown_decimal(value):
    """(what the page shows, a problem or None) of a stored decimal answer: the stored "70.5" as
    the language writes it ("70,5" in Indonesian, every decimal kept so that posting it back
    unchanged changes nothing); a draft's answer that is not a number is shown as typed, with
    what is wrong with it (a "1,500" that could be 1,5 or 1500 says so)."""
    if not value:
        return "", None
    match = _MACHINE_DECIMAL.match(value)
    if match:
        return format_number(Decimal(value), places=len(match.group(2) or "")), None
    try:
        parse_number(value)
    except NumberError as exc:
        return value, str(exc)
    return value, None


def machine_decimal(text):
    """A decimal answer typed on a page ("70,5", "70.5", "1.500.000") as it is stored ("70.5",
    the decimal point, no grouping); what cannot be read is kept as typed, so that the check and
    :func:`shown_decimal` name the problem."""
    text = text.strip()
    if not text:
        return ""
    try:
        return format(parse_number(text), "f")
    except NumberError:
        return text


def _location_fields(kind, value):
    """What the location inputs show: latitude, longitude and accuracy of a point, or
    "lat lon" lines of a line or a shape; a value that is not GeoJSON is shown as typed."""
    try:
        points = parse_geojson(value, kind) if value else []
    except ValueError:
        return {"lat": value, "lon": "", "acc": "", "points_text": value, "points": []}
    if kind == "geopoint" and points:
        lat, lon, accuracy = points[0]
        return {"lat": lat, "lon": lon, "acc": "" if accuracy is None else accuracy, "points": points, "points_text": ""}
    return {"lat": "", "lon": "", "acc": "", "points": points, "points_text": "\n".join(f"{lat} {lon}" for lat, lon, _a in points)}


def location_map(region, items):
    """The region's own outline to pick a point on, drawn as inline SVG over the shipped
    boundaries (no tile server), and each location item's markers in the same plane
    (x = longitude × scale, y = −latitude × scale, as regions.RegionShape stores outlines)."""
    from kotacerdas.regions.models import RegionShape
    from kotacerdas.regions.reference import OUTLINE_SCALE

    if not any(item.get("type") in GEO_TYPES for item in items):
        return None
    shape = RegionShape.objects.filter(region=region).only("outline_path", "outline_view_box").first()
    if shape is None or not shape.outline_view_box:
        return None
    min_x, min_y, width, height = (float(v) for v in shape.outline_view_box.split())
    margin = max(width, height) * 0.05
    for item in items:
        if item.get("type") in GEO_TYPES:
            item["markers"] = [(round(lon * OUTLINE_SCALE), round(-lat * OUTLINE_SCALE)) for lat, lon, _a in item.get("points", [])]
    return {
        "path": shape.outline_path, "scale": OUTLINE_SCALE,
        "view_box": f"{min_x - margin:.0f} {min_y - margin:.0f} {width + 2 * margin:.0f} {height + 2 * margin:.0f}",
        "stroke": max(1, round(max(width, height) / 400)), "radius": max(2, round(max(width, height) / 80)),
    }
