"""One way to draw: a standalone, accessible ``<svg>`` element for the server-rendered charts and
maps (DESIGN.md: "charts and maps: server-rendered SVG")."""

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .numbers import format_number

SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def svg(view_box, body, *, css_class, title=None, title_id=None, width=None, height=None, style="", defs="", desc=None):
    """Safe markup of an ``<svg>`` with role "img": ``body``, ``style`` and ``defs`` are markup the
    caller built from escaped text (:func:`text`); ``title`` (plain text) names the picture for
    screen readers, referenced by ``title_id`` when given; ``desc`` (plain text) is its text
    alternative, the figures the picture shows."""
    size = format_html(' width="{}" height="{}"', width, height) if width is not None and height is not None else ""
    labelled = ""
    if title_id:
        labelled = format_html(' aria-labelledby="{}"', f"{title_id} {title_id}-d" if desc is not None else title_id)
    heading = ""
    if title is not None:
        heading = format_html('<title id="{}">{}</title>', title_id, title) if title_id else format_html("<title>{}</title>", title)
    if desc is not None:
        heading += format_html('<desc id="{}-d">{}</desc>', title_id, desc) if title_id else format_html("<desc>{}</desc>", desc)
    return format_html(
        '<svg class="{}" viewBox="{}"{} role="img"{} xmlns="{}">{}{}{}{}</svg>',
        css_class, view_box, size, labelled, SVG_NAMESPACE, heading,
        mark_safe(f"<style>{style}</style>") if style else "",
        mark_safe(f"<defs>{defs}</defs>") if defs else "",
        mark_safe(str(body)),
    )


def text(value):
    """``value`` escaped for the text of an SVG element."""
    return str(escape(str(value)))


# --- charts: bars, classes for maps --------------------------------------------------------------

PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"]
# Sequential blues for classed maps (ColorBrewer "Blues", 5 classes).
SEQUENTIAL = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
NO_DATA_PATTERN = "kc-no-data"


def _number(value):
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def document(width, height, title, desc, body, css_class="kc-chart", element_id=""):
    """A chart of ``width`` × ``height`` units with its title and text alternative (:func:`svg`)."""
    ident = element_id or f"c{abs(hash((title, desc))) % 10**8}"
    return svg(f"0 0 {_number(width)} {_number(height)}", mark_safe(body), css_class=css_class,
               title=title, title_id=f"{ident}-t", desc=desc)


def bar_chart(items, title, desc, value_label=None, colour=PALETTE[0], width=560, bar_height=22, maximum=None):
    """Horizontal bars: ``items`` is a list of (label, value or None, optional colour).

    A value of ``None`` draws no bar and writes "–", so a figure that is unknown is never
    drawn as zero. ``maximum`` fixes the full length of a bar (e.g. 5 for scores on 0-5);
    by default it is the largest value.
    """
    value_label = value_label or format_number  # the language's way: "0,25" in Indonesian
    label_width = 180
    gap = 6
    top = 4
    height = top + len(items) * (bar_height + gap) + 4
    known = [item[1] for item in items if item[1] is not None]
    largest = maximum or (max(known) if known and max(known) > 0 else 1)
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


def histogram(values, title, desc, bins=12, colour=PALETTE[0], width=560, height=220, value_label=None):
    """How ``values`` spread: ``bins`` equal-width classes from the smallest to the largest value,
    one column per class with its count above it; the axis names the smallest, middle and largest
    value (the language's way). Empty ``values`` give None (the caller says there is nothing)."""
    import numpy as np

    data = np.asarray([float(v) for v in values if v is not None], dtype=float)
    data = data[np.isfinite(data)]
    if not data.size:
        return None
    value_label = value_label or (lambda v: format_number(v, 2 if abs(v) < 100 else 0))
    low, high = float(data.min()), float(data.max())
    counts, edges = np.histogram(data, bins=bins if high > low else 1, range=(low, high) if high > low else (low - 0.5, low + 0.5))
    left, bottom, top = 10, height - 24, 16
    plot_width, plot_height = width - 2 * left, bottom - top
    column = plot_width / len(counts)
    largest = max(int(counts.max()), 1)
    parts = [f'<line x1="{left}" y1="{bottom}" x2="{width - left}" y2="{bottom}" stroke="#555"/>']
    for index, count in enumerate(counts):
        bar = plot_height * int(count) / largest
        x = left + index * column
        parts.append(f'<rect x="{_number(x + 1)}" y="{_number(bottom - bar)}" width="{_number(max(column - 2, 1))}" '
                     f'height="{_number(bar)}" fill="{escape(colour)}"><title>{text(value_label(float(edges[index])))} – '
                     f'{text(value_label(float(edges[index + 1])))}: {int(count)}</title></rect>')
        if count:
            parts.append(f'<text x="{_number(x + column / 2)}" y="{_number(bottom - bar - 3)}" text-anchor="middle" font-size="11">{int(count)}</text>')
    middle = (low + high) / 2
    for x, anchor, value in ((left, "start", low), (width / 2, "middle", middle), (width - left, "end", high)):
        parts.append(f'<text x="{_number(x)}" y="{height - 6}" text-anchor="{anchor}" font-size="11">{text(value_label(value))}</text>')
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


def box_plot(groups, title, desc, value_label=str, minimum=0, maximum=5, width=560, row_height=28):
    """One horizontal box per group: ``groups`` is a list of (label, values). The box spans the
    first to the third quartile with the median marked, the whiskers reach the smallest and the
    largest value (no outlier rule: every region counts); a group without values writes "–"."""
    import numpy as np

    label_width, top = 180, 4
    plot = width - label_width - 70
    height = top + len(groups) * row_height + 4
    span = (maximum - minimum) or 1

    def x(value):
        return label_width + plot * (value - minimum) / span

    parts = []
    for index, (label, values) in enumerate(groups):
        y = top + index * row_height
        middle = y + row_height / 2
        parts.append(f'<text x="{label_width - 6}" y="{_number(middle + 4)}" text-anchor="end" font-size="12">{escape(label)}</text>')
        data = np.asarray([float(value) for value in values if value is not None])
        if data.size == 0:
            parts.append(f'<text x="{label_width + 4}" y="{_number(middle + 4)}" font-size="12">–</text>')
            continue
        low, q1, median, q3, high = (float(v) for v in np.quantile(data, [0, 0.25, 0.5, 0.75, 1]))
        parts.append(f'<line x1="{_number(x(low))}" x2="{_number(x(high))}" y1="{_number(middle)}" y2="{_number(middle)}" stroke="#444"/>')
        parts.append(
            f'<rect x="{_number(x(q1))}" y="{_number(y + 5)}" width="{_number(max(x(q3) - x(q1), 1))}" '
            f'height="{_number(row_height - 10)}" fill="{PALETTE[0]}" fill-opacity="0.35" stroke="{PALETTE[0]}"/>'
        )
        parts.append(f'<line x1="{_number(x(median))}" x2="{_number(x(median))}" y1="{_number(y + 5)}" y2="{_number(y + row_height - 5)}" stroke="#000" stroke-width="2"/>')
        parts.append(f'<text x="{_number(x(high) + 4)}" y="{_number(middle + 4)}" font-size="12">{escape(value_label(median))}</text>')
    return document(width, height, title, desc, "".join(parts))


def radar_chart(axes, series, title, desc, maximum=5, size=320):
    """A radar (spider) chart: ``axes`` are the labels around the circle, ``series`` a list of
    (label, values in the order of ``axes``, None where not scored) drawn as closed outlines in
    the palette's colours, with a small legend under the circle."""
    import math

    centre = size / 2
    radius = size / 2 - 60
    count = len(axes)

    def point(index, value):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        distance = radius * (value or 0) / maximum
        return centre + distance * math.cos(angle), centre + distance * math.sin(angle)

    parts = []
    for ring in range(1, int(maximum) + 1):
        ring_points = " ".join(f"{_number(px)},{_number(py)}" for px, py in (point(i, ring) for i in range(count)))
        parts.append(f'<polygon points="{ring_points}" fill="none" stroke="#ccc"/>')
    for index, label in enumerate(axes):
        px, py = point(index, maximum)
        lx, ly = point(index, maximum * 1.18)
        parts.append(f'<line x1="{_number(centre)}" y1="{_number(centre)}" x2="{_number(px)}" y2="{_number(py)}" stroke="#ccc"/>')
        anchor = "middle" if abs(lx - centre) < 5 else ("start" if lx > centre else "end")
        parts.append(f'<text x="{_number(lx)}" y="{_number(ly + 4)}" text-anchor="{anchor}" font-size="11">{escape(label)}</text>')
    for number, (label, values) in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        shape = " ".join(f"{_number(px)},{_number(py)}" for px, py in (point(i, v) for i, v in enumerate(values)))
        parts.append(f'<polygon points="{shape}" fill="{colour}" fill-opacity="0.15" stroke="{colour}" stroke-width="2"/>')
        legend_y = size + 4 + number * 16
        parts.append(f'<rect x="10" y="{legend_y}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="26" y="{legend_y + 9}" font-size="11">{escape(label)}</text>')
    return document(size, size + 8 + 16 * len(series), title, desc, "".join(parts))
