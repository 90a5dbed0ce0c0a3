"""A form's logic over a set of answers: which questions are relevant, what the calculations
give, which answers break a rule, and the readiness score. No Django import; the page and the
API both call :func:`evaluate`, so the rules are the same for both.

Answers are a flat mapping of keys to strings: a question's name; inside a repeat,
``name#N`` for the N-th instance (from 1); a repeat's own key holds its number of instances.
A select_multiple answer is its choice names separated by spaces, as in ODK.
"""

import datetime
import math
import re
from dataclasses import dataclass, field

from . import expressions
from .expressions import Context, ExpressionError, NodeSet
from .xlsform import ANSWERED_TYPES, GEO_TYPES, walk

MAX_REPEAT = 50


def answer_key(name, index=None):
    """``name``; inside repeats ``name#i`` (``name#i.j`` in a repeat inside a repeat)."""
    if not index:
        return name
    if isinstance(index, int):
        return f"{name}#{index}"
    return f"{name}#" + ".".join(str(i) for i in index)


def split_key(key):
    """(name, instance path as a tuple, or None outside repeats) of an answer key."""
    name, _sep, index = key.partition("#")
    parts = index.split(".") if index else []
    if parts and all(part.isdigit() for part in parts):
        return name, tuple(int(part) for part in parts)
    return name, None


@dataclass
class Issue:
    key: str
    code: str  # "required", "constraint", "type", "choice", "expression"
    form_message: dict = field(default_factory=dict)  # the form's own message per language
    detail: str = ""


@dataclass
class Evaluation:
    relevant: dict  # key -> bool, for every element instance
    values: dict  # key -> the value used (answers, defaults not included, calculations added)
    issues: list
    repeat_counts: dict
    keys: list  # every answerable key in form order
    options: dict = field(default_factory=dict)  # key -> choice names a choice_filter allows

    def issues_by_key(self):
        grouped = {}
        for issue in self.issues:
            grouped.setdefault(issue.key, []).append(issue)
        return grouped


class FormLogic:
    """The structure of one definition, indexed for evaluation."""

    def __init__(self, definition):
        self.definition = definition
        self.elements = {}
        self.repeat_of = {}  # question name -> the innermost repeat it sits in
        self.repeats_of = {}  # element name -> the repeats it sits in, outermost first
        self.ancestors = {}
        for element, ancestors in walk(definition["children"]):
            self.elements[element["name"]] = element
            self.ancestors[element["name"]] = ancestors
            repeats = tuple(a["name"] for a in ancestors if a["type"] == "repeat")
            self.repeats_of[element["name"]] = repeats
            if repeats:
                self.repeat_of[element["name"]] = repeats[-1]
        self.attachments = definition.get("attachments", {})

    def choice_label(self, name, value, language):
        element = self.elements.get(name, {})
        for choice in element.get("choices", []):
            if choice["name"] == value:
                return text_in(choice["label"], language) or value
        return value

    def instances(self, repeats, counts, prefix=()):
        """Every instance path of the repeats ``repeats`` (outermost first) that starts with
        ``prefix``."""
        paths = [prefix]
        for depth in range(len(prefix), len(repeats)):
            paths = [path + (i,) for path in paths for i in range(1, counts.get(answer_key(repeats[depth], path), 0) + 1)]
        return paths

    def keys(self, repeat_counts):
        """Every answerable key (questions and calculations) in form order."""
        keys = []
        for element, _ancestors in walk(self.definition["children"]):
            if element["type"] in ("group", "repeat", "note"):
                continue
            repeats = self.repeats_of[element["name"]]
            keys += [answer_key(element["name"], path) for path in self.instances(repeats, repeat_counts)]
        return keys

    def repeat_counts(self, answers):
        """{repeat key: number of instances}: a top-level repeat's key is its name, a repeat
        inside another ``name#i``, one per instance of the outer one."""
        counts = {}
        for element, _ancestors in walk(self.definition["children"]):
            if element["type"] != "repeat":
                continue
            outer = self.repeats_of[element["name"]]
            for path in self.instances(outer, counts):
                key = answer_key(element["name"], path)
                try:
                    counts[key] = max(0, min(MAX_REPEAT, int(answers.get(key, "0") or 0)))
                except ValueError:
                    counts[key] = 0
        return counts

    def evaluate(self, answers, *, language="id", today=None):
        answers = {key: ("" if value is None else str(value)) for key, value in answers.items()}
        counts = self.repeat_counts(answers)
        values = dict(answers)
        relevant = {}

        def typed(name, key):
            if relevant.get(key) is False:
                return ""
            value = values.get(key, "")
            kind = self.elements.get(name, {}).get("type")
            if kind == "date" and value:
                try:
                    return datetime.date.fromisoformat(value)
                except ValueError:
                    return value
            if kind in GEO_TYPES and value:
                return geojson_to_odk(value)
            return value

        def resolver(index, own):
            chain = self.repeats_of.get(own, ())

            def resolve(name):
                element = self.elements.get(name)
                if element is None:
                    raise ExpressionError(f"${{{name}}} refers to no question")
                target = self.repeats_of[name]
                shared = 0
                while shared < min(len(chain), len(target), len(index or ())) and chain[shared] == target[shared]:
                    shared += 1
                prefix = tuple(index[:shared]) if index else ()
                if element["type"] == "repeat":
                    return NodeSet(str(i) for path in self.instances(target, counts, prefix)
                                   for i in range(1, counts.get(answer_key(name, path), 0) + 1))
                if len(prefix) == len(target):
                    return typed(name, answer_key(name, prefix))
                return NodeSet(typed(name, answer_key(name, path)) for path in self.instances(target, counts, prefix))

            return resolve

        def indexed(name, path):
            element = self.elements.get(name)
            if element is None:
                raise ExpressionError(f"${{{name}}} refers to no question")
            target = self.repeats_of[name]
            if [repeat for repeat, _i in path] != list(target):
                raise ExpressionError(f"indexed-repeat(): ${{{name}}} is not inside the repeats named")
            return typed(name, answer_key(name, tuple(i for _repeat, i in path)))

        def context(index, own, current="", fields=None):
            return Context(fields=fields,
                resolve=resolver(index, own), current=current, today=today,
                choice_label=lambda name, value: self.choice_label(name, value, language),
                attachments=self.attachments, position=index[-1] if index else None, indexed=indexed,
            )

        issues = []

        def run(text, index, current="", key=""):
            try:
                return expressions.evaluate(text, context(index, split_key(key)[0] if key else "", current))
            except ExpressionError as exc:
                issues.append(Issue(key, "expression", detail=f"{text}: {exc}"))
                return None

        # Relevance and calculations, twice in form order so that a calculation may use one
        # further down (ODK recomputes until stable; two passes cover the forms we ship).
        for _pass in range(2):
            issues.clear()
            self._walk_relevance(self.definition["children"], (), True, counts, relevant, values, run)
        options = {}
        for key in self.keys(counts):
            name, index = split_key(key)
            element = self.elements[name]
            if element.get("choice_filter") and relevant.get(key, True):
                options[key] = self._filter(element, lambda fields: context(index, name, fields=fields), key, issues)
            parameters = element.get("parameters") or {}
            if str(parameters.get("randomize", "")).lower() in ("true", "true()", "yes") and relevant.get(key, True):
                names = options.get(key, [c["name"] for c in element.get("choices", [])])
                seed = None
                if parameters.get("seed"):
                    try:
                        seed = expressions.randomize_seed(run(parameters["seed"], index, "", key))
                    except ExpressionError as exc:
                        issues.append(Issue(key, "expression", detail=f"{parameters['seed']}: {exc}"))
                options[key] = expressions.shuffle(names, seed)
        for key in self.keys(counts):
            name, index = split_key(key)
            element = self.elements[name]
            if not relevant.get(key, True) or element["type"] not in ANSWERED_TYPES:
                continue
            value = values.get(key, "")
            if value == "":
                required = element.get("required")
                if required and expressions.to_boolean(run(required, index, "", key) or False):
                    issues.append(Issue(key, "required", element.get("required_message", {})))
                continue
            problem = check_type(element, value)
            if problem is None and key in options:
                unknown = [c for c in value.split() if c not in options[key]]
                if unknown:
                    problem = ("choice", " ".join(unknown))
            if problem:
                issues.append(Issue(key, problem[0], detail=problem[1]))
                continue
            if element.get("constraint"):
                current = typed(name, key)
                result = run(element["constraint"], index, current, key)
                if result is not None and not expressions.to_boolean(result):
                    issues.append(Issue(key, "constraint", element.get("constraint_message", {})))
        return Evaluation(relevant=relevant, values=values, issues=issues, repeat_counts=counts, keys=self.keys(counts), options=options)

    def _filter(self, element, context_with, key, issues):
        """The names of the choices a select's choice_filter lets through for one instance (the
        cascading lists of ODK: district → sub-district → village), evaluated on the server; a
        bare name in the filter is a column of the choice (``name`` its own name)."""
        allowed = []
        for choice in element.get("choices", []):
            try:
                result = expressions.evaluate(element["choice_filter"], context_with({"name": choice["name"], **choice.get("columns", {})}), fields=True)
            except ExpressionError as exc:
                issues.append(Issue(key, "expression", detail=f"{element['choice_filter']}: {exc}"))
                return [c["name"] for c in element.get("choices", [])]
            if expressions.to_boolean(result):
                allowed.append(choice["name"])
        return allowed

    def _walk_relevance(self, children, index, parent_relevant, counts, relevant, values, run):
        for element in children:
            if element["type"] == "repeat":
                key = answer_key(element["name"], index)
                own = parent_relevant and self._relevant(element, index, run, key)
                relevant[key] = own
                if element.get("repeat_count") and own:
                    result = run(element["repeat_count"], index, "", key)
                    number = expressions.to_number(result) if result is not None else math.nan
                    counts[key] = max(0, min(MAX_REPEAT, int(number))) if math.isfinite(number) else 0
                for i in range(1, counts.get(key, 0) + 1):
                    self._walk_relevance(element["children"], tuple(index) + (i,), own, counts, relevant, values, run)
                continue
            key = answer_key(element["name"], index)
            own = parent_relevant and self._relevant(element, index, run, key)
            relevant[key] = own
            if element["type"] == "group":
                self._walk_relevance(element["children"], index, own, counts, relevant, values, run)
            elif element["type"] == "calculate" or (element["type"] == "hidden" and element.get("calculation")):
                result = run(element["calculation"], index, "", key) if own else ""
                values[key] = "" if result is None else format_value(result)

    def _relevant(self, element, index, run, key):
        if not element.get("relevant"):
            return True
        result = run(element["relevant"], index, "", key)
        return bool(result is not None and expressions.to_boolean(result))

    def score(self, answers, evaluation=None):
        """Readiness per top-level group and in total, in percent of the most a form allows:
        each scored question adds weight × the score of the chosen choice(s)."""
        evaluation = evaluation or self.evaluate(answers)
        sections, totals = {}, [0.0, 0.0]
        for element, ancestors in walk(self.definition["children"]):
            if element["type"] not in ("select_one", "select_multiple"):
                continue
            scores = {c["name"]: c["score"] for c in element.get("choices", []) if c.get("score") is not None}
            if not scores:
                continue
            weight = element.get("weight") if element.get("weight") is not None else 1.0
            section = ancestors[0]["name"] if ancestors else ""
            best = max(scores.values()) if element["type"] == "select_one" else sum(s for s in scores.values() if s > 0)
            got = 0.0
            if evaluation.relevant.get(element["name"], True):
                chosen = evaluation.values.get(element["name"], "").split()
                got = sum(scores.get(name, 0.0) for name in chosen)
            entry = sections.setdefault(section, [0.0, 0.0])
            entry[0] += weight * got
            entry[1] += weight * best
            totals[0] += weight * got
            totals[1] += weight * best
        percent = lambda pair: round(100 * pair[0] / pair[1], 1) if pair[1] else None  # noqa: E731
        return {"sections": {name: percent(pair) for name, pair in sections.items()}, "total": percent(totals)}


_INTEGER = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)$")


def check_type(element, value):
    """(code, detail) when ``value`` is not a value of the element's type, else None."""
    kind = element["type"]
    if kind == "integer" and not _INTEGER.match(value):
        return "type", "integer"
    if kind == "decimal" and not _DECIMAL.match(value):
        return "type", "decimal"
    if kind == "date":
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return "type", "date"
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
            return "type", "date"
    if kind in ("select_one", "select_multiple", "rank"):
        names = {choice["name"] for choice in element.get("choices", [])}
        chosen = value.split()
        if kind == "select_one" and len(chosen) != 1:
            return "choice", value
        unknown = [c for c in chosen if c not in names]
        if unknown:
            return "choice", " ".join(unknown)
        if kind == "rank" and (len(set(chosen)) != len(chosen) or set(chosen) != names):
            return "type", "rank"
    if kind == "time" and not _TIME.match(value):
        return "type", "time"
    if kind == "datetime":
        try:
            datetime.datetime.fromisoformat(value)
        except ValueError:
            return "type", "datetime"
    if kind == "email" and not _EMAIL.match(value):
        return "type", "email"
    if kind == "acknowledge" and value != "OK":
        return "type", "acknowledge"
    if kind == "range":
        return _check_range(element, value)
    if kind in GEO_TYPES:
        try:
            parse_geojson(value, kind)
        except ValueError as exc:
            return "type", f"{kind}:{exc}"
    return None


_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?([+-]\d{2}:?\d{2}|Z)?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _check_range(element, value):
    """A range answer is a number between start and end (either order) on a step from start."""
    if not _DECIMAL.match(value):
        return "type", "decimal"
    parameters = element.get("parameters", {})
    start, end, step = (float(parameters.get(k, d)) for k, d in (("start", 1), ("end", 10), ("step", 1)))
    number = float(value)
    if not min(start, end) <= number <= max(start, end):
        return "type", "range"
    if step and abs(round((number - start) / step) * step - (number - start)) > 1e-9:
        return "type", "range"
    return None


# Locations are stored as GeoJSON geometries (RFC 7946: longitude first), so exports and maps
# read them as they are; expressions see ODK's own text ("lat lon altitude accuracy", points
# joined by ";") so that distance() and selected-at() work as in ODK Collect.
_GEOMETRY = {"geopoint": "Point", "geotrace": "LineString", "geoshape": "Polygon"}


def parse_geojson(value, kind):
    """[(lat, lon, accuracy or None)] of a stored location; ValueError saying what is wrong."""
    import json

    try:
        geometry = json.loads(value)
    except ValueError:
        raise ValueError("not GeoJSON") from None
    if not isinstance(geometry, dict) or geometry.get("type") != _GEOMETRY[kind]:
        raise ValueError(f"not a GeoJSON {_GEOMETRY[kind]}")
    coordinates = geometry.get("coordinates")
    if kind == "geopoint":
        positions = [coordinates]
    elif kind == "geotrace":
        positions = coordinates
    else:
        positions = coordinates[0] if isinstance(coordinates, list) and coordinates else None
    if not isinstance(positions, list) or not positions:
        raise ValueError("no coordinates")
    points = []
    for position in positions:
        if not isinstance(position, list) or len(position) < 2 or not all(isinstance(v, (int, float)) for v in position[:2]):
            raise ValueError("a position is not [longitude, latitude]")
        lon, lat = float(position[0]), float(position[1])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError("latitude or longitude out of range")
        points.append((lat, lon, geometry.get("accuracy")))
    if kind == "geotrace" and len(points) < 2:
        raise ValueError("a line needs two points")
    if kind == "geoshape" and (len(points) < 4 or points[0][:2] != points[-1][:2]):
        raise ValueError("a shape needs three points and closes on its first")
    return points


def to_geojson(kind, points, accuracy=None):
    """The stored text of a location from [(lat, lon)]; a shape is closed on its first point."""
    import json

    positions = [[round(lon, 7), round(lat, 7)] for lat, lon in points]
    if kind == "geopoint":
        geometry = {"type": "Point", "coordinates": positions[0]}
        if accuracy not in (None, ""):
            geometry["accuracy"] = float(accuracy)
        return json.dumps(geometry)
    if kind == "geoshape":
        if positions and positions[0] != positions[-1]:
            positions.append(positions[0])
        return json.dumps({"type": "Polygon", "coordinates": [positions]})
    return json.dumps({"type": "LineString", "coordinates": positions})


def geojson_to_odk(value):
    """ODK's text of a stored location: "lat lon 0 accuracy" per point, joined by "; "."""
    import json

    try:
        geometry = json.loads(value)
        kind = {v: k for k, v in _GEOMETRY.items()}[geometry["type"]]
        points = parse_geojson(value, kind)
    except (ValueError, KeyError, TypeError):
        return value
    number = expressions.to_string
    return "; ".join(f"{number(float(lat))} {number(float(lon))} 0 {number(float(accuracy or 0))}" for lat, lon, accuracy in points)


def format_value(value):
    if isinstance(value, float) and math.isnan(value):
        return ""
    return expressions.to_string(value)


def text_in(texts, language):
    """The text of ``texts`` (language → text) in ``language``, else the first there is."""
    if not texts:
        return ""
    return texts.get(language) or texts.get("default") or next(iter(texts.values()))


def default_answers(definition):
    """Answers a new draft starts with: each question's plain default value."""
    answers = {}
    for element, ancestors in walk(definition["children"]):
        if element["type"] in ANSWERED_TYPES | {"hidden"} and element.get("default") and not any(a["type"] == "repeat" for a in ancestors):
            default = element["default"]
            if "${" not in default and "(" not in default:
                answers[element["name"]] = default
    return answers
