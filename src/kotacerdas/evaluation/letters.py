"""The result letter of a region (number, date) as PDF, compiled with typst like the selection
decision (assessment): the index, the five scores, the ranks, the improvement, a chart of the
smart city dimensions and the findings."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kotacerdas.assessment.selection import typst_text as _text
from kotacerdas.lib.numbers import format_number

from .charts import score_chart
from .models import SMART_CITY_DIMENSIONS, Finding, FindingKind, Result, smart_city_labels
from .services import explain, previous_round


def _string(value):
    """``value`` as a typst string literal (the chart's SVG for ``image(bytes(...))``)."""
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def smart_city_chart(result):
    """The chart of the six smart city dimensions (this round, and the previous one under it)."""
    labels = smart_city_labels()
    previous = None
    earlier = previous_round(result.round)
    if earlier is not None:
        before = Result.objects.filter(round=earlier, region=result.region).first()
        if before is not None and before.smart_city_scores:
            previous = [before.smart_city_scores.get(d) for d in SMART_CITY_DIMENSIONS]
    return score_chart([labels[d] for d in SMART_CITY_DIMENSIONS],
                          [result.smart_city_scores.get(d) for d in SMART_CITY_DIMENSIONS], previous=previous,
                          title=_("Scores per smart city dimension"))


def letter_typst(result):
    evaluation = result.round
    region = result.region
    explanation = explain(result)
    lines = [
        '#set page(paper: "a4", margin: 2cm)',
        "#set text(size: 10pt)",
        f"= {_text(_('Result of the smart city evaluation'))}",
        f"*{_text(evaluation.round.name)}* — {_text(region.name)} ({_text(region.code)})",
        "",
        _text(_("Letter number %(number)s of %(date)s.") % {
            "number": result.letter_number or "-",
            "date": date_format(evaluation.letter_date, "j F Y") if evaluation.letter_date else "-"}),
        "",
    ]
    if evaluation.is_demo:
        lines += [f"#text(fill: red)[{_text(_('DEMO: invented content, not a result of the program.'))}]", ""]
    improvement = "-" if result.improvement is None else ("+" if result.improvement > 0 else "") + format_number(result.improvement, 2)
    lines += [
        f"*{_text(_('Index'))}: {format_number(result.index, 2)}* "
        f"({_text(_('weight set %(version)s') % {'version': result.weight_version})}) \\",
        f"{_text(_('National rank'))}: {result.national_rank} — {_text(_('Provincial rank'))}: {result.province_rank} \\",
        f"{_text(_('Improvement over the previous result'))}: {_text(improvement)}",
        "",
        "#table(columns: 4, align: (left, right, right, right),",
        "  [*%s*], [*%s*], [*%s*], [*%s*]," % (_text(_("Dimension")), _text(_("Score")), _text(_("Weight (%)")), _text(_("Contribution"))),
    ]
    for line in explanation["lines"]:
        lines.append(f"  [{_text(line['label'])}], [{format_number(line['score'], 2)}], [{format_number(line['weight'])}], [{format_number(line['contribution'], 4)}],")
    lines.append(f"  [*{_text(_('Total'))}*], [], [], [*{format_number(explanation['exact'], 4)} → {format_number(result.index, 2)}*],")
    lines += [")", ""]
    if result.smart_city_scores:
        lines += [f"== {_text(_('Smart city dimensions'))}", f"#image(bytes({_string(smart_city_chart(result))}), format: \"svg\", width: 14cm)", ""]
    labels = dict(FindingKind.choices)
    findings = Finding.objects.filter(round=evaluation, region=region).order_by("kind", "order", "pk")
    for kind in (FindingKind.STRENGTH, FindingKind.WEAKNESS, FindingKind.RECOMMENDATION):
        items = [f for f in findings if f.kind == kind]
        if items:
            lines.append(f"== {_text(labels[kind])}")
            lines += [f"- {_text(f.text)}" for f in items]
            lines.append("")
    return "\n".join(lines) + "\n"


def letter_pdf(result):
    import typst

    return typst.compile(letter_typst(result).encode("utf-8"), format="pdf")
