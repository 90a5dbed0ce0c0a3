"""Server-rendered SVG charts of a result (pages and the result letter share them)."""

from decimal import Decimal
from xml.sax.saxutils import escape


def score_bars_svg(labels, values, previous=None, maximum=5, width=520, bar_height=18, title=""):
    """Horizontal bars of ``values`` (0..maximum) under ``labels``; a thin dark bar under each
    shows the previous value when given. Returns the SVG text."""
    label_width, gap = 150, 10
    scale = (width - label_width - 60) / maximum
    row = bar_height + (8 if previous else 0) + gap
    height = row * len(labels) + 24
    parts = []
    if title:
        parts.append(f'<title>{escape(str(title))}</title>')
    for position, label in enumerate(labels):
        y = 20 + position * row
        value = values[position]
        parts.append(f'<text x="0" y="{y + bar_height - 5}" font-size="12" font-family="sans-serif">{escape(str(label))}</text>')
        if value is None:
            parts.append(f'<text x="{label_width}" y="{y + bar_height - 5}" font-size="12" font-family="sans-serif">–</text>')
        else:
            length = float(Decimal(value)) * scale
            parts.append(f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="#2b6cb0"/>')
            parts.append(f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height - 5}" font-size="12" font-family="sans-serif">{Decimal(value):.2f}</text>')
        if previous and previous[position] is not None:
            length = float(Decimal(previous[position])) * scale
            parts.append(f'<rect x="{label_width}" y="{y + bar_height + 1}" width="{length:.1f}" height="5" fill="#555"/>')
    axis = label_width + maximum * scale
    parts.append(f'<line x1="{label_width}" y1="12" x2="{label_width}" y2="{height - 4}" stroke="#999"/>')
    parts.append(f'<line x1="{axis:.1f}" y1="12" x2="{axis:.1f}" y2="{height - 4}" stroke="#ddd"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="score-chart" role="img" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}">{"".join(parts)}</svg>')
