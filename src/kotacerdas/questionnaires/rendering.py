"""A submission laid out for the page: one item per question instance, in form order, with its
label in the reader's language, its value, revision, relevance, problems and comments."""

from .logic import answer_key, text_in
from .services import answers_of, assess, issue_message, latest_comments


def language_of(definition, language):
    return language if language in definition.get("languages", []) else definition.get("languages", ["default"])[0]


def layout(submission, language, *, assessment=None, comments=None, shown_issues=True):
    definition = submission.version.definition
    form_language = language_of(definition, language)
    stored = answers_of(submission)
    assessment = assessment or assess(submission, language=form_language)
    issues = {}
    if shown_issues:
        for issue in assessment.issues:
            issues.setdefault(issue.key, []).append(issue_message(issue, form_language))
    if comments is None:
        comments, _change = latest_comments(submission)
    evidence = {}
    for item in submission.evidence.all():
        evidence.setdefault(item.key, []).append(item)
    items = []

    def add(children, depth, index=None):
        for element in children:
            name = element["name"]
            if element["type"] == "repeat":
                count = assessment.repeat_counts.get(name, 0)
                items.append(_item(element, name, depth, form_language, assessment, stored, issues, comments, evidence, count=count))
                for i in range(1, count + 1):
                    items.append({"type": "repeat_instance", "key": f"{name}#{i}", "index": i, "depth": depth + 1,
                                  "relevant": assessment.relevant.get(name, True), "label": text_in(element["label"], form_language)})
                    add(element["children"], depth + 2, i)
                continue
            key = answer_key(name, index)
            items.append(_item(element, key, depth, form_language, assessment, stored, issues, comments, evidence))
            if element["type"] == "group":
                add(element["children"], depth + 1, index)

    add(definition["children"], 0)
    return items


def _item(element, key, depth, language, assessment, stored, issues, comments, evidence, count=None):
    value, revision = stored.get(key, ("", 0))
    if element["type"] == "calculate":
        value = assessment.values.get(key, "")
    chosen = value.split() if element["type"] == "select_multiple" else [value]
    return {
        "key": key,
        "name": element["name"],
        "type": element["type"],
        "label": text_in(element["label"], language) or element["name"],
        "hint": text_in(element.get("hint", {}), language),
        "required": bool(element.get("required")),
        "value": value,
        "revision": revision,
        "relevant": assessment.relevant.get(key, True),
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
