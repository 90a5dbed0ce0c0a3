"""One way to draw a chart: server-rendered SVG (DESIGN.md), readable without JavaScript.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (its text alternative,
which screen readers read and which a chart's caller fills with the figures themselves), sized
by its ``viewBox`` so it scales to the page and prints crisply. Text is escaped here; callers pass
plain strings. Numbers are formatted by the caller (language-aware), since a chart does not know
whether it is read in Indonesian or English.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"]
# Sequential blues for classed maps (ColorBrewer "Blues", 5 classes).
SEQUENTIAL = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
NO_DATA_PATTERN = "kc-no-data"


def _number(value):
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def document(width, height, title, desc, body, css_class="kc-chart", element_id=""):
    """An accessible SVG element around ``body`` (already safe markup)."""
    ident = element_id or f"c{abs(hash((title, desc))) % 10**8}"
    return mark_safe(
        f'<svg class="{escape(css_class)}" viewBox="0 0 {_number(width)} {_number(height)}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        f"{body}</svg>"
    )


def bar_chart(items, title, desc, value_label=str, colour=PALETTE[0], width=560, bar_height=22):
    """Horizontal bars: ``items`` is a list of (label, value or None, optional colour).

    A value of ``None`` draws no bar and writes "–", so a figure that is unknown is never
    drawn as zero.
    """
    label_width = 180
    gap = 6
    top = 4
    height = top + len(items) * (bar_height + gap) + 4
    known = [item[1] for item in items if item[1] is not None]
    largest = max(known) if known and max(known) > 0 else 1
    plot = width - label_width - 70
    parts = []
    for index, item in enumerate(items):
        label, value = item[0], item[1]
        fill = item[2] if len(item) > 2 and item[2] else colour
        y = top + index * (bar_height + gap)
        parts.append(
            f'<text x="{label_width - 6}" y="{_number(y + bar_height * 0.7)}" text-anchor="end" '
            f'font-size="12">{escape(label)}</text>'
        )
        if value is None:
            parts.append(f'<text x="{label_width + 4}" y="{_number(y + bar_height * 0.7)}" font-size="12">–</text>')
            continue
        length = plot * value / largest
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{_number(max(length, 0))}" height="{bar_height}" fill="{escape(fill)}"/>'
        )
        parts.append(
            f'<text x="{_number(label_width + length + 4)}" y="{_number(y + bar_height * 0.7)}" '
            f'font-size="12">{escape(value_label(value))}</text>'
        )
    return document(width, height, title, desc, "".join(parts))


def no_data_pattern(colour="#8a94a0"):
    """The hatching that marks "no data" on maps and in their legends."""
    return (
        f'<pattern id="{NO_DATA_PATTERN}" patternUnits="userSpaceOnUse" width="3" height="3" '
        f'patternTransform="rotate(45)"><rect width="3" height="3" fill="#fff"/>'
        f'<rect width="0.8" height="3" fill="{colour}"/></pattern>'
    )


def quantile_breaks(values, classes=5):
    """Upper bounds of up to ``classes`` quantile classes of ``values`` (ties merge classes)."""
    import numpy as np

    data = np.asarray([value for value in values if value is not None], dtype=float)
    if data.size == 0:
        return []
    edges = np.quantile(data, [step / classes for step in range(1, classes + 1)])
    breaks = []
    for edge in edges:
        edge = float(edge)
        if not breaks or edge > breaks[-1]:
            breaks.append(edge)
    return breaks


def class_of(value, breaks):
    """Index of the quantile class of ``value`` (``None`` for no data)."""
    if value is None:
        return None
    for index, upper in enumerate(breaks):
        if value <= upper:
            return index
    return len(breaks) - 1
