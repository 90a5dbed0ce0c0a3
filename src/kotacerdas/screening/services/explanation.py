"""Why a region has its rank in a run: its contribution per criterion and how far each weight may
move before its place in the shortlist changes."""

import numpy as np
from django.utils.html import escape
from django.utils.translation import gettext as _

from kotacerdas import decision
from kotacerdas.indicators.models import Indicator
from kotacerdas.lib import svg

from .runs import run_results


# --- explanation --------------------------------------------------------------------------------


def explain_region(run, region):
    """Everything the explanation page of one region shows."""
    found = run_results(run, region_ids=[region.pk])
    if not found:
        return None
    result = found[0]
    explanation = {"result": result, "criteria": [], "changes": None, "distance": None}
    if result.rank is None:
        return explanation
    region_ids, matrix = run.input_arrays()
    index = int(np.flatnonzero(region_ids == region.pk)[0])
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=run.criteria)}
    k = min(run.shortlist_size, len(region_ids))
    if run.method == "saw":
        parts = decision.saw_contributions(matrix, run.weights, run.benefit, normalization=run.normalization)[index]
        bars = [(float(p), None) for p in parts]
    else:
        topsis = decision.topsis_contributions(matrix, run.weights, run.benefit, normalization=run.normalization)
        bars = [(float(g), float(loss)) for g, loss in zip(topsis.squared_to_anti_ideal[index], topsis.squared_to_ideal[index])]
    changes = decision.weight_changes(matrix, run.benefit, run.weights, run.method, run.normalization, k, index)
    for j, code in enumerate(run.criteria):
        explanation["criteria"].append({
            "indicator": indicators.get(code), "code": code, "weight": run.weights[j], "value": float(matrix[index, j]),
            "contribution": bars[j][0], "loss": bars[j][1], "change": changes[j],
        })
    explanation["distance"] = None if run.cutoff_score is None else result.score - run.cutoff_score
    explanation["chart"] = contribution_chart(explanation["criteria"], run.method)
    return explanation


def contribution_chart(rows, method):
    """An SVG bar chart (server-rendered, DESIGN.md) of each criterion's contribution."""
    width, bar_height, label_width = 560, 22, 200
    top = max([r["contribution"] for r in rows] + [r["loss"] or 0 for r in rows] + [1e-12])
    parts = []
    height = len(rows) * (bar_height + 8) + 10
    for i, row in enumerate(rows):
        y = 5 + i * (bar_height + 8)
        name = row["indicator"].name if row["indicator"] else row["code"]
        length = (width - label_width - 70) * row["contribution"] / top
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{escape(name[:34])}</text>')
        if row["loss"] is None:
            parts.append(f'<rect class="bar gain" x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}"><title>{row["contribution"]:.4f}</title></rect>')
        else:
            half = bar_height // 2
            loss = (width - label_width - 70) * row["loss"] / top
            parts.append(f'<rect class="bar gain" x="{label_width}" y="{y}" width="{length:.1f}" height="{half}"><title>+{row["contribution"]:.4f}</title></rect>')
            parts.append(f'<rect class="bar loss" x="{label_width}" y="{y + half}" width="{loss:.1f}" height="{half}"><title>-{row["loss"]:.4f}</title></rect>')
        parts.append(f'<text x="{label_width + length + 4:.1f}" y="{y + 15}" font-size="11">{svg.format_number(row["contribution"], 4)}</text>')
    title = _("Contribution of each criterion to the score")
    desc = "; ".join(f'{row["indicator"].name if row["indicator"] else row["code"]}: {row["contribution"]:.4f}' for row in rows)
    body = "<style>.gain{fill:#2b7a4b}.loss{fill:#b0413e}</style>" + "".join(parts)
    return svg.document(width, height, title, desc, body, css_class="contribution-chart")
