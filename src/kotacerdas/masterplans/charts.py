"""The plan's charts, drawn on the server as SVG (one way to draw a chart: server-rendered SVG,
DESIGN.md): the 6 × 3 coverage matrix, budget per year per dimension, and the roadmap (Gantt).

The ``<svg>`` element, its title and text alternative come from lib/svg.py (the one way to draw);
these functions draw the plan's own shapes. Every text goes through escaping.
"""

from kotacerdas.lib.svg import PALETTE, document
from kotacerdas.lib.svg import text as escape
from kotacerdas.lib.numbers import format_number
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .services import budget_by_year, coverage

# Okabe-Ito, colour-blind safe, one per dimension in taxonomy order.
COLOURS = PALETTE
GAP = "#b0413e"


def _svg(width, height, body, label, desc):
    body = f'<g font-family="sans-serif" font-size="11">{"".join(body)}</g>'
    return document(width, height, label, desc, body, css_class="kc-chart masterplan-chart")


def rupiah(amount):
    """Short rupiah: 1.2 M (miliar, 10^9), 350 jt (juta, 10^6)."""
    if amount >= 10**9:
        return f"Rp {format_number(amount / 10**9, 1)} M"
    if amount >= 10**6:
        return f"Rp {format_number(amount / 10**6, 0)} jt"
    return f"Rp {amount}"


def coverage_matrix(plan, rows=None):
    """Dimensions as rows, their elements as cells with program count and budget; an element
    without a program and a dimension without a quick win are drawn in red and labelled."""
    rows = rows if rows is not None else coverage(plan)
    columns = max((len(r["cells"]) for r in rows), default=3)
    label_w, cell_w, cell_h, top = 230, 190, 48, 8
    width, height = label_w + columns * cell_w + 10, top + len(rows) * cell_h + 10
    body = []
    for i, row in enumerate(rows):
        y = top + i * cell_h
        colour = COLOURS[i % len(COLOURS)]
        body.append(f'<rect x="0" y="{y}" width="{label_w - 6}" height="{cell_h - 4}" fill="{colour}" fill-opacity="0.15"/>')
        body.append(f'<text x="6" y="{y + 18}" font-weight="bold">{escape(row["dimension"])}</text>')
        if not row["has_quick_win"]:
            body.append(f'<text x="6" y="{y + 34}" fill="{GAP}" class="gap">{escape(_("no quick win"))}</text>')
        else:
            body.append(f'<text x="6" y="{y + 34}">{escape(_("quick win ✓"))}</text>')
        for j, cell in enumerate(row["cells"]):
            x = label_w + j * cell_w
            empty = cell["programs"] == 0
            stroke = GAP if empty else colour
            body.append(
                f'<rect x="{x}" y="{y}" width="{cell_w - 6}" height="{cell_h - 4}" fill="{"#fbeaea" if empty else "#ffffff"}" '
                f'stroke="{stroke}" stroke-width="{2 if empty else 1}" data-element="{escape(cell["element"].code)}"/>'
            )
            body.append(f'<text x="{x + 5}" y="{y + 16}">{escape(cell["element"].code)} {escape(str(cell["element"])[:24])}</text>')
            summary = _("no program") if empty else ngettext(
                "%(n)s program · %(budget)s", "%(n)s programs · %(budget)s", cell["programs"]
            ) % {"n": cell["programs"], "budget": rupiah(cell["budget"])}
            body.append(f'<text x="{x + 5}" y="{y + 34}" fill="{GAP if empty else "#333"}">{escape(summary)}</text>')
    gaps = [c["element"].code for r in rows for c in r["cells"] if not c["programs"]]
    no_quick = [r["dimension"].code for r in rows if not r["has_quick_win"]]
    desc = _("Elements without a program: %(elements)s. Dimensions without a quick win: %(dimensions)s.") % {
        "elements": ", ".join(gaps) or "–", "dimensions": ", ".join(no_quick) or "–"}
    return _svg(width, height, body, _("Coverage of dimensions and elements"), desc)


def budget_chart(plan):
    """Stacked bars: the budget of each year, split by dimension."""
    series = budget_by_year(plan)
    years = list(range(plan.start_year, plan.end_year + 1))
    totals = [sum(values.get(y, 0) for _d, values in series) for y in years]
    top = max(totals, default=0) or 1
    left, bar_w, plot_h, base = 70, 44, 180, 200
    width, height = left + len(years) * (bar_w + 10) + 300, base + 40
    body = [f'<line x1="{left - 4}" y1="{base}" x2="{left + len(years) * (bar_w + 10)}" y2="{base}" stroke="#333"/>',
            f'<text x="4" y="{base - plot_h}">{escape(rupiah(top))}</text>']
    for k, year in enumerate(years):
        x, y = left + k * (bar_w + 10), base
        for i, (dimension, values) in enumerate(series):
            amount = values.get(year, 0)
            if not amount:
                continue
            h = amount / top * plot_h
            y -= h
            body.append(f'<rect x="{x}" y="{y:.1f}" width="{bar_w}" height="{h:.1f}" fill="{COLOURS[i % len(COLOURS)]}">'
                        f'<title>{escape(dimension)} {year}: {escape(rupiah(amount))}</title></rect>')
        body.append(f'<text x="{x + 6}" y="{base + 16}">{year}</text>')
    legend_x = left + len(years) * (bar_w + 10) + 16
    for i, (dimension, _values) in enumerate(series):
        body.append(f'<rect x="{legend_x}" y="{20 + i * 18}" width="12" height="12" fill="{COLOURS[i % len(COLOURS)]}"/>'
                    f'<text x="{legend_x + 18}" y="{30 + i * 18}">{escape(dimension)}</text>')
    desc = "; ".join(f"{year}: {rupiah(total)}" for year, total in zip(years, totals))
    return _svg(width, height, body, _("Budget per year per dimension"), desc)


def roadmap(plan, programs=None):
    """A Gantt chart: programs grouped by dimension, one bar per program over its years; quick
    wins are marked with a star."""
    if programs is None:
        programs = plan.programs.select_related("element__dimension").order_by("element__dimension__order", "start_year", "name")
    years = list(range(plan.start_year, plan.end_year + 1))
    label_w, year_w, row_h, top = 260, 60, 16, 24
    groups = {}
    for program in programs:
        groups.setdefault(program.element.dimension, []).append(program)
    lines = sum(len(p) + 1 for p in groups.values())
    width, height = label_w + len(years) * year_w + 10, top + lines * row_h + 10
    body = []
    for k, year in enumerate(years):
        x = label_w + k * year_w
        body.append(f'<text x="{x + 16}" y="14">{year}</text><line x1="{x}" y1="18" x2="{x}" y2="{height}" stroke="#ddd"/>')
    y = top
    order = {d.pk: i for i, d in enumerate(plan.taxonomy.dimensions.all())}
    for dimension, rows in sorted(groups.items(), key=lambda item: order.get(item[0].pk, 0)):
        colour = COLOURS[order.get(dimension.pk, 0) % len(COLOURS)]
        body.append(f'<text x="2" y="{y + 12}" font-weight="bold" fill="{colour}">{escape(dimension)}</text>')
        y += row_h
        for program in rows:
            name = ("★ " if program.quick_win else "") + program.name
            body.append(f'<text x="10" y="{y + 11}">{escape(name[:42])}</text>')
            x = label_w + (program.start_year - plan.start_year) * year_w
            w = (program.end_year - program.start_year + 1) * year_w - 4
            body.append(f'<rect x="{x + 2}" y="{y + 2}" width="{w}" height="{row_h - 4}" rx="3" fill="{colour}">'
                        f'<title>{escape(program.name)} {program.start_year}–{program.end_year}</title></rect>')
            y += row_h
    desc = _("%(count)s programs over %(start)s–%(end)s.") % {"count": sum(len(p) for p in groups.values()), "start": plan.start_year, "end": plan.end_year}
    return _svg(width, height, body, _("Roadmap by dimension"), desc)
