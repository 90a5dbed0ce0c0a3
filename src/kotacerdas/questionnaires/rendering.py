"""A submission laid out for the page: one item per question instance, in form order, with its
label in the reader's language, its value, revision, relevance, problems and comments.

``${name}`` in a label or hint is replaced by the current answer to ``name`` (ODK's label
references); the result is plain text, escaped by the templates like any other.
"""

import re

from .logic import answer_key, text_in
from .services import answers_of, evaluate, issue_message, latest_comments, logic_of

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

    def add(children, depth, index=None):
        for element in children:
            name = element["name"]
            if element["type"] == "repeat":
                count = evaluation.repeat_counts.get(name, 0)
                items.append(_item(element, name, depth, form_language, evaluation, stored, issues, comments, evidence, text, count=count))
                for i in range(1, count + 1):
                    items.append({"type": "repeat_instance", "key": f"{name}#{i}", "index": i, "depth": depth + 1,
                                  "relevant": evaluation.relevant.get(name, True), "label": text(element["label"], i), "hint": "", "dom": dom_id(f"{name}#{i}")})
                    add(element["children"], depth + 2, i)
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
        if element["type"] == "repeat":
            return str(evaluation.repeat_counts.get(name, 0))
        repeat = logic.repeat_of.get(name)
        if repeat is None:
            keys = [name]
        elif index is not None:
            keys = [answer_key(name, index)]
        else:
            keys = [answer_key(name, i) for i in range(1, evaluation.repeat_counts.get(repeat, 0) + 1)]
        values = [evaluation.values.get(key, "") for key in keys if evaluation.relevant.get(key, True)]
        return ", ".join(value for value in values if value)

    return REFERENCE.sub(value_of, text)


def dom_id(key):
    """The part of an element id that stands for an answer key."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", key)


def _item(element, key, depth, language, evaluation, stored, issues, comments, evidence, text, index=None, count=None):
    value, revision = stored.get(key, ("", 0))
    if element["type"] == "calculate":
        value = evaluation.values.get(key, "")
    chosen = value.split() if element["type"] == "select_multiple" else [value]
    return {
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
            for c in element.get("choices", [])
        ],
        "errors": issues.get(key, []),
        "comment": comments.get(key, ""),
        "evidence": evidence.get(key, []),
        "depth": depth,
        "count": count,
    }
