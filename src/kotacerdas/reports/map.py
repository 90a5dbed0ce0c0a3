"""The national map of the home page: every kabupaten/kota as an SVG path, coloured by phase.

Plain functions. :func:`home_map` is what a view calls: it returns the map's SVG markup and its
legend, built once by :func:`build_map` and then kept in Django's cache under a key that holds a
cheap fingerprint of the data the map shows (selections, phases, region names, shapes) and the
language, so that a repeated request costs a few aggregate queries, not a rebuild.

The shapes come from ``RegionShape.map_path`` (x = longitude × 10, y = -latitude × 10, one
decimal). To keep the page light, :func:`compact_path` snaps them to a grid of ``1 / MAP_GRID``
map units and writes them with relative commands (small integers, no spaces before minus signs);
the SVG scales the grid back with one ``transform``, so the viewBox stays in map units.
"""

import hashlib
import re

from django.core.cache import cache
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kotacerdas.lib import svg
from kotacerdas.program.models import Participation, ParticipationStatus, Phase
from kotacerdas.program.services import selected_phase_by_region
from kotacerdas.regions.models import KABKOTA_KINDS, Kind, Region, RegionShape

# Grid of the compacted paths: 4 steps per map unit = 0.025° (about 2.8 km, under a pixel on a
# 1280 px screen). Measured on the 514 shapes: grid 2 gives 117 KB of SVG, 4 gives 123 KB, the
# source's own 0.01° gives 131 KB; the per-region link and title are about 50 KB of each.
MAP_GRID = 4
# Colour-blind-safe colours (Okabe-Ito) for the real phases in year order; grey for the rest.
PHASE_COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00"]
NOT_SELECTED_COLOUR = "#d5dae0"
DEMO_COLOUR = "#b45309"
DEMO_PATTERN_ID = "kc-demo-hatch"
CACHE_PREFIX = "kotacerdas:home-map:v1"
CACHE_SECONDS = 24 * 60 * 60

_SUBPATH = re.compile(r"M([^MZ]*)Z?")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def parse_path(path_data):
    """The rings of ``M x y L x y … Z`` path data as lists of (x, y) floats."""
    rings = []
    for body in _SUBPATH.findall(path_data or ""):
        numbers = [float(value) for value in _NUMBER.findall(body)]
        ring = list(zip(numbers[0::2], numbers[1::2]))
        if ring:
            rings.append(ring)
    return rings


def _numbers(values):
    """Numbers as SVG path data needs them: a space only where no minus sign separates them."""
    out = []
    for value in values:
        text = str(value)
        if out and not text.startswith("-"):
            out.append(" ")
        out.append(text)
    return "".join(out)


def snap_rings(rings, grid=None):
    """Rings snapped to integer grid steps, repeated points dropped.

    Rings that collapse to fewer than three points vanish, except that a unit always keeps its
    largest ring (so a small kota is still a visible, clickable speck).
    """
    grid = grid or MAP_GRID
    snapped = []
    for ring in rings:
        points = []
        for x, y in ring:
            point = (round(x * grid), round(y * grid))
            if not points or point != points[-1]:
                points.append(point)
        if len(points) > 1 and points[0] == points[-1]:
            points.pop()
        snapped.append(points)
    kept = [points for points in snapped if len(points) >= 3]
    if not kept and snapped:
        kept = [max(snapped, key=len)]
    return kept


def compact_path(rings):
    """Relative SVG path data of snapped rings: ``M`` once, then ``m``/``l`` deltas."""
    parts = []
    cursor = None
    for ring in rings:
        x0, y0 = ring[0]
        if cursor is None:
            parts.append("M" + _numbers((x0, y0)))
        else:
            parts.append("m" + _numbers((x0 - cursor[0], y0 - cursor[1])))
        deltas = []
        previous = (x0, y0)
        for x, y in ring[1:]:
            deltas.extend((x - previous[0], y - previous[1]))
            previous = (x, y)
        if deltas:
            parts.append("l" + _numbers(deltas))
        parts.append("z")
        cursor = (x0, y0)  # "z" brings the current point back to the ring's start
    return "".join(parts)


def phase_colours(phases):
    """{phase id: colour} for the real phases, in year order."""
    real = [phase for phase in phases if not phase.is_demo]
    return {phase.pk: PHASE_COLOURS[index % len(PHASE_COLOURS)] for index, phase in enumerate(real)}


def fingerprint():
    """A short digest of everything the home page shows, from two queries: one row of counts and
    latest changes across the tables behind it (participations, region names, shapes, confirmed
    screening runs, indicator value columns), and the phases themselves. Every server computes
    the same digest, so cached figures are shared, never kept per process."""
    from django.db import connection

    from kotacerdas.evaluation.models import EvaluationRound, Result
    from kotacerdas.indicators.models import ValueColumn
    from kotacerdas.masterplans.models import MasterPlan, ProgressRecord
    from kotacerdas.screening.models import ScreeningRun

    tables = {
        "participation": Participation._meta.db_table,
        "region_history": Region.history.model._meta.db_table,
        "shape": RegionShape._meta.db_table,
        "run": ScreeningRun._meta.db_table,
        "column": ValueColumn._meta.db_table,
        "result": Result._meta.db_table,
        "evaluation_round": EvaluationRound._meta.db_table,
        "plan_history": MasterPlan.history.model._meta.db_table,
        "progress": ProgressRecord._meta.db_table,
    }
    sql = (
        "SELECT (SELECT COUNT(*) FROM {participation}), (SELECT MAX(updated_at) FROM {participation}), "
        "(SELECT MAX(history_date) FROM {region_history}), (SELECT COUNT(*) FROM {shape}), "
        "(SELECT MAX(id) FROM {shape}), (SELECT COUNT(*) FROM {run}), (SELECT MAX(confirmed_at) FROM {run}), "
        "(SELECT COUNT(*) FROM {column}), (SELECT SUM(version) FROM {column}), "
        "(SELECT COUNT(*) FROM {result}), (SELECT MAX(updated_at) FROM {result}), "
        "(SELECT MAX(published_at) FROM {evaluation_round}), (SELECT MAX(history_date) FROM {plan_history}), "
        "(SELECT COUNT(*) FROM {progress}), (SELECT MAX(reported_at) FROM {progress})"
    ).format(**{name: connection.ops.quote_name(table) for name, table in tables.items()})
    with connection.cursor() as cursor:
        cursor.execute(sql)
        changes = cursor.fetchone()
    phases = list(Phase.objects.order_by("year").values_list("pk", "year", "name", "is_demo", "selection_complete"))
    raw = repr((changes, phases))
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


def _region_anchors():
    """Each kabupaten/kota's linked, titled path on the national map, and the map's grid box.

    Returns ``(anchors, grid_box)`` with ``anchors`` a list of (region id, markup) in code order.
    """
    shapes = (
        RegionShape.objects.filter(region__kind__in=KABKOTA_KINDS)
        .select_related("region")
        .only("map_path", "region__code", "region__name")
        .order_by("region__code")
    )
    anchors = []
    min_x = min_y = float("inf")
    max_x = max_y = float("-inf")
    for shape in shapes:
        rings = snap_rings(parse_path(shape.map_path))
        if not rings:
            continue
        for ring in rings:
            for x, y in ring:
                min_x, max_x = min(min_x, x), max(max_x, x)
                min_y, max_y = min(min_y, y), max(max_y, y)
        region = shape.region
        url = reverse("reports:region-detail", args=[region.code])
        anchors.append((
            region.pk,
            format_html(
                '<a href="{}" data-code="{}"><title>{}</title><path d="{}"/></a>',
                url, region.code, region.name, compact_path(rings),
            ),
        ))
    if not anchors:
        return [], None
    pad = 2 * MAP_GRID
    return anchors, (min_x - pad, min_y - pad, max_x - min_x + 2 * pad, max_y - min_y + 2 * pad)


def _province_outlines():
    """The provinces' borders as one unfilled path group (drawn over the kabupaten/kota)."""
    shapes = RegionShape.objects.filter(region__kind=Kind.PROVINSI).only("map_path")
    paths = []
    for shape in shapes:
        rings = snap_rings(parse_path(shape.map_path))
        if rings:
            paths.append(f'<path d="{compact_path(rings)}"/>')
    return mark_safe(
        '<g class="provinces" fill="none" stroke="#333" stroke-width="1.2" pointer-events="none">'
        + "".join(paths) + "</g>"
    )


def build_map(include_demo=False):
    """The map's SVG markup and legend (a dict), from the database."""
    phases = list(Phase.objects.order_by("year"))
    colours = phase_colours(phases)
    selected = selected_phase_by_region(include_demo=include_demo)
    anchors, grid_box = _region_anchors()
    groups = {}  # phase id or None -> list of <a> elements
    for region_id, anchor in anchors:
        phase = selected.get(region_id)
        groups.setdefault(phase.pk if phase else None, []).append(anchor)
    count = len(anchors)

    if count == 0:
        return {"svg": "", "legend": [], "regions": 0, "view_box": ""}

    view_box = " ".join(_format_unit(value / MAP_GRID) for value in grid_box)

    body = []
    legend = []
    not_selected = groups.pop(None, [])
    body.append(format_html('<g class="not-selected" fill="{}">', NOT_SELECTED_COLOUR))
    body.extend(not_selected)
    body.append(mark_safe("</g>"))
    for phase in phases:
        members = groups.get(phase.pk, [])
        if phase.is_demo:
            if not include_demo:
                continue
            fill = f"url(#{DEMO_PATTERN_ID})"
            colour = DEMO_COLOUR
        else:
            fill = colour = colours[phase.pk]
        body.append(
            format_html(
                '<g class="phase{}" data-phase="{}" fill="{}">',
                " demo" if phase.is_demo else "",
                phase.year,
                fill,
            )
        )
        body.extend(members)
        body.append(mark_safe("</g>"))
        legend.append(
            {
                "year": phase.year,
                "name": phase.name,
                "colour": colour,
                "count": len(members),
                "is_demo": phase.is_demo,
                "selection_complete": phase.selection_complete,
            }
        )

    title = _("Map of the %(count)s kabupaten and kota of Indonesia, coloured by the phase in which each was selected") % {
        "count": count
    }
    svg = format_html(
        '<svg class="kc-map" viewBox="{}" role="img" aria-labelledby="kc-map-title" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="kc-map-title">{}</title>'
        "<defs>"
        '<pattern id="{}" patternUnits="userSpaceOnUse" width="3" height="3" patternTransform="rotate(45)">'
        '<rect width="3" height="3" fill="#fff"/><rect width="1.6" height="3" fill="{}"/></pattern>'
        "</defs>"
        '<g transform="scale({})">{}</g></svg>',
        view_box,
        title,
        DEMO_PATTERN_ID,
        DEMO_COLOUR,
        _format_unit(1 / MAP_GRID),
        mark_safe("".join(str(part) for part in body)),
    )
    return {
        "svg": svg,
        "legend": legend,
        "regions": count,
        "not_selected": len(not_selected),
        "not_selected_colour": NOT_SELECTED_COLOUR,
        "view_box": view_box,
    }


def choropleth(values_by_region_id, title, desc, value_label=str, classes=5):
    """A map of every kabupaten/kota classed by quantile of ``values_by_region_id`` (region id ->
    number): ColorBrewer blues from low to high, regions without a value hatched, provinces
    outlined. ``desc`` is the text alternative, or a function of (legend, count without data)
    that writes it from the classes. Returns the SVG and the legend (class colour, lower and upper bound, count)."""
    anchors, grid_box = _region_anchors()
    if not anchors:
        return {"svg": "", "legend": [], "no_data": 0}
    breaks = svg.quantile_breaks(values_by_region_id.values(), classes)
    colours = svg.SEQUENTIAL[-len(breaks):] if len(breaks) < len(svg.SEQUENTIAL) else svg.SEQUENTIAL
    groups = {}
    for region_id, anchor in anchors:
        groups.setdefault(svg.class_of(values_by_region_id.get(region_id), breaks), []).append(anchor)
    known = [value for value in values_by_region_id.values() if value is not None]
    body, legend = [], []
    lower = min(known) if known else None
    for index, upper in enumerate(breaks):
        members = groups.get(index, [])
        body.append(format_html('<g class="class-{}" fill="{}">', index, colours[index]))
        body.extend(members)
        body.append(mark_safe("</g>"))
        legend.append({"colour": colours[index], "lower": lower, "upper": upper, "count": len(members)})
        lower = upper
    no_data = groups.get(None, [])
    body.append(format_html('<g class="no-data" fill="url(#{})">', svg.NO_DATA_PATTERN))
    body.extend(no_data)
    body.append(mark_safe("</g>"))
    body.append(_province_outlines())
    view_box = " ".join(_format_unit(value / MAP_GRID) for value in grid_box)
    if callable(desc):
        desc = desc(legend, len(no_data))
    markup = format_html(
        '<svg class="kc-map" viewBox="{}" role="img" aria-labelledby="kc-choropleth-t kc-choropleth-d" '
        'xmlns="http://www.w3.org/2000/svg"><title id="kc-choropleth-t">{}</title>'
        '<desc id="kc-choropleth-d">{}</desc><defs>{}</defs><g transform="scale({})" stroke="#fff" stroke-width="0.4">{}</g></svg>',
        view_box, title, desc, mark_safe(svg.no_data_pattern()), _format_unit(1 / MAP_GRID),
        mark_safe("".join(str(part) for part in body)),
    )
    return {"svg": markup, "legend": legend, "no_data": len(no_data)}


def _format_unit(value):
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def home_map(include_demo=False, digest=None):
    """The cached result of :func:`build_map` for the current data and language (``digest``: a
    :func:`fingerprint` the caller computed already)."""
    key = f"{CACHE_PREFIX}:{get_language()}:{int(bool(include_demo))}:{digest or fingerprint()}"
    result = cache.get(key)
    if result is None:
        result = build_map(include_demo)
        cache.set(key, result, CACHE_SECONDS)
    return result


def demo_phases_with_selections():
    """The demo phases that have at least one selected region (for the toggle and its notice)."""
    return list(
        Phase.objects.filter(is_demo=True, participations__status=ParticipationStatus.SELECTED)
        .distinct()
        .order_by("year")
    )


__all__ = [
    "build_map",
    "compact_path",
    "demo_phases_with_selections",
    "fingerprint",
    "home_map",
    "parse_path",
    "snap_rings",
]
