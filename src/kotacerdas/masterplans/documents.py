"""The whole plan as a printable PDF (typst, as the assessment decision is made) in the chapter
structure of the program's guidance, with the coverage matrix and the roadmap as SVG images."""

import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from kotacerdas.assessment.selection import typst_text as t

from . import charts
from .models import ReadinessArea
from .services import coverage, period_warnings


def _paragraphs(text):
    return "\n\n".join(t(line) for line in text.splitlines() if line.strip()) or "–"


def plan_typst(plan, programs):
    """Typst source of the plan; the charts are read from matrix.svg, budget.svg and roadmap.svg."""
    lines = [
        '#set page(paper: "a4", margin: 2cm, numbering: "1")',
        "#set text(size: 9pt)",
        '#set heading(numbering: "1.")',
        f"#align(center)[#text(size: 16pt)[*{t(plan.title)}*] \\ {t(plan.region.name)} · {plan.start_year}–{plan.end_year} · "
        f"{t(_('version'))} {plan.version} · {t(plan.get_status_display())}]",
        "",
    ]
    if plan.is_demo:
        lines += [f"#text(fill: red)[{t(_('DEMO: invented content, not a plan of the program.'))}]", ""]
    if plan.status == "adopted":
        lines += [t(_("Adopted by %(kind)s number %(number)s of %(date)s.") % {
            "kind": plan.get_regulation_kind_display(), "number": plan.regulation_number, "date": plan.regulation_date}), ""]
    for warning in period_warnings(plan):
        lines += [f"_{t(warning)}_", ""]
    lines += [f"= {t(_('Readiness analysis'))}"]
    findings = list(plan.findings.all())
    for area in ReadinessArea:
        lines.append(f"== {t(area.label)}")
        rows = [f for f in findings if f.area == area]
        lines += [f"- {t(f.finding)} ({t(_('rating'))} {f.rating}/5)" for f in rows] or ["–"]
    lines += [
        f"= {t(_('SWOT'))}",
        "#table(columns: 2,",
        f"  [*{t(_('Strengths'))}*], [*{t(_('Weaknesses'))}*],",
        f"  [{_paragraphs(plan.strengths)}], [{_paragraphs(plan.weaknesses)}],",
        f"  [*{t(_('Opportunities'))}*], [*{t(_('Threats'))}*],",
        f"  [{_paragraphs(plan.opportunities)}], [{_paragraphs(plan.threats)}],",
        ")",
        f"= {t(_('Gap analysis'))}", _paragraphs(plan.gap_analysis),
        f"= {t(_('Vision and missions'))}", _paragraphs(plan.vision), "",
        *[f"+ {t(m)}" for m in plan.mission_list],
        f"= {t(_('Targets'))}", _paragraphs(plan.targets),
        f"= {t(_('Infrastructure plans'))}",
        f"== {t(_('Integration architecture'))}", _paragraphs(plan.integration_architecture),
        f"== {t(_('Network'))}", _paragraphs(plan.network),
        f"== {t(_('Data centre'))}", _paragraphs(plan.data_centre),
        f"== {t(_('Operation room'))}", _paragraphs(plan.operation_room),
        f"= {t(_('Coverage of dimensions and elements'))}",
        '#image("matrix.svg", width: 100%)',
        f"= {t(_('Budget per year per dimension'))}",
        '#image("budget.svg", width: 100%)',
        f"= {t(_('Programs'))}",
        "#table(columns: (auto, 1fr, auto, auto, auto, auto), align: left,",
        "  " + ", ".join(f"[*{t(h)}*]" for h in (_("Element"), _("Program"), _("Owner agency"), _("Years"), _("Horizon"), _("Budget"))) + ",",
    ]
    for p in programs:
        name = ("★ " if p.quick_win else "") + p.name
        lines.append(
            f"  [{t(p.element.code)}], [{t(name)}], [{t(p.owner_agency)}], [{p.start_year}–{p.end_year}], "
            f"[{t(p.get_horizon_display())}], [{t(charts.rupiah(p.total_budget))}],"
        )
    lines += [")", f"= {t(_('Roadmap'))}", '#image("roadmap.svg", width: 100%)']
    return "\n".join(lines) + "\n"


def plan_pdf(plan):
    import typst

    programs = list(
        plan.programs.select_related("element__dimension", "owner_agency").prefetch_related("budgets")
        .order_by("element__dimension__order", "element__order", "start_year", "name")
    )
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "matrix.svg").write_text(charts.coverage_matrix(plan, coverage(plan)), encoding="utf-8")
        (root / "budget.svg").write_text(charts.budget_chart(plan), encoding="utf-8")
        (root / "roadmap.svg").write_text(charts.roadmap(plan, programs), encoding="utf-8")
        (root / "plan.typ").write_text(plan_typst(plan, programs), encoding="utf-8")
        return typst.compile(str(root / "plan.typ"), root=str(root), format="pdf")
