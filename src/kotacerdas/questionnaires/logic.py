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
from .xlsform import ANSWERED_TYPES, walk

MAX_REPEAT = 50


def answer_key(name, index=None):
    return f"{name}#{index}" if index else name


def split_key(key):
    name, _sep, index = key.partition("#")
    return name, int(index) if index.isdigit() else None


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
        self.repeat_of = {}  # question name -> the repeat it sits in
        self.ancestors = {}
        for element, ancestors in walk(definition["children"]):
            self.elements[element["name"]] = element
            self.ancestors[element["name"]] = ancestors
            repeats = [a["name"] for a in ancestors if a["type"] == "repeat"]
            if repeats:
                self.repeat_of[element["name"]] = repeats[-1]

    def choice_label(self, name, value, language):
        element = self.elements.get(name, {})
        for choice in element.get("choices", []):
            if choice["name"] == value:
                return text_in(choice["label"], language) or value
        return value

    def keys(self, repeat_counts):
        """Every answerable key (questions and calculations) in form order."""
        keys = []
        for element, ancestors in walk(self.definition["children"]):
            if element["type"] in ("group", "repeat", "note"):
                continue
            repeat = self.repeat_of.get(element["name"])
            if repeat:
                keys += [answer_key(element["name"], i) for i in range(1, repeat_counts.get(repeat, 0) + 1)]
            else:
                keys.append(element["name"])
        return keys

    def repeat_counts(self, answers):
        counts = {}
        for name, element in self.elements.items():
            if element["type"] == "repeat":
                try:
                    counts[name] = max(0, min(MAX_REPEAT, int(answers.get(name, "0") or 0)))
                except ValueError:
                    counts[name] = 0
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
            if self.elements.get(name, {}).get("type") == "date" and value:
                try:
                    return datetime.date.fromisoformat(value)
                except ValueError:
                    return value
            return value

        def resolver(index):
            def resolve(name):
                element = self.elements.get(name)
                if element is None:
                    raise ExpressionError(f"${{{name}}} refers to no question")
                if element["type"] == "repeat":
                    return NodeSet(str(i) for i in range(1, counts.get(name, 0) + 1))
                repeat = self.repeat_of.get(name)
                if repeat is None:
                    return typed(name, name)
                if index is not None:
                    return typed(name, answer_key(name, index))
                return NodeSet(typed(name, answer_key(name, i)) for i in range(1, counts.get(repeat, 0) + 1))

            return resolve

        def context(index, current=""):
            return Context(
                resolve=resolver(index), current=current, today=today,
                choice_label=lambda name, value: self.choice_label(name, value, language),
            )

        issues = []

        def run(text, index, current="", key=""):
            try:
                return expressions.evaluate(text, context(index, current))
            except ExpressionError as exc:
                issues.append(Issue(key, "expression", detail=f"{text}: {exc}"))
                return None

        # Relevance and calculations, twice in form order so that a calculation may use one
        # further down (ODK recomputes until stable; two passes cover the forms we ship).
        for _pass in range(2):
            issues.clear()
            self._walk_relevance(self.definition["children"], None, True, counts, relevant, values, run)
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
            if problem:
                issues.append(Issue(key, problem[0], detail=problem[1]))
                continue
            if element.get("constraint"):
                current = typed(name, key)
                result = run(element["constraint"], index, current, key)
                if result is not None and not expressions.to_boolean(result):
                    issues.append(Issue(key, "constraint", element.get("constraint_message", {})))
        return Evaluation(relevant=relevant, values=values, issues=issues, repeat_counts=counts, keys=self.keys(counts))

    def _walk_relevance(self, children, index, parent_relevant, counts, relevant, values, run):
        for element in children:
            if element["type"] == "repeat":
                key = element["name"]
                own = parent_relevant and self._relevant(element, index, run, key)
                relevant[key] = own
                for i in range(1, counts.get(element["name"], 0) + 1):
                    self._walk_relevance(element["children"], i, own, counts, relevant, values, run)
                continue
            key = answer_key(element["name"], index if element["name"] in self.repeat_of else None)
            own = parent_relevant and self._relevant(element, index, run, key)
            relevant[key] = own
            if element["type"] == "group":
                self._walk_relevance(element["children"], index, own, counts, relevant, values, run)
            elif element["type"] == "calculate":
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
    if kind in ("select_one", "select_multiple"):
        names = {choice["name"] for choice in element.get("choices", [])}
        chosen = value.split()
        if kind == "select_one" and len(chosen) != 1:
            return "choice", value
        unknown = [c for c in chosen if c not in names]
        if unknown:
            return "choice", " ".join(unknown)
    return None


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
        if element["type"] in ANSWERED_TYPES and element.get("default") and not any(a["type"] == "repeat" for a in ancestors):
            default = element["default"]
            if "${" not in default and "(" not in default:
                answers[element["name"]] = default
    return answers
