"""The national dashboard's figures: each phase's funnel, the cohorts over the years and the map
coloured by any public indicator.

Figures come from the stages' own tables; where a real phase's list is unknown, the counts the
ministry published (``Phase.invited_target``, ``assessed_target``: 80 invited in 2017) stand in
and are marked as published figures, never as counted ones.
"""

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kotacerdas.indicators.models import Indicator, IndicatorValue
from kotacerdas.lib import svg
from kotacerdas.program.models import Participation, Phase, ParticipationStatus
from kotacerdas.screening.models import RunStatus, ScreeningRun

from . import map as national_map

FUNNEL_STAGES = ("screened", "eligible", "invited", "assessed", "selected")
_REACHED = {
    "eligible": (ParticipationStatus.ELIGIBLE, ParticipationStatus.INVITED, ParticipationStatus.ASSESSED, ParticipationStatus.SELECTED, ParticipationStatus.NOT_SELECTED, ParticipationStatus.WITHDRAWN),
    "invited": (ParticipationStatus.INVITED, ParticipationStatus.ASSESSED, ParticipationStatus.SELECTED, ParticipationStatus.NOT_SELECTED, ParticipationStatus.WITHDRAWN),
    "assessed": (ParticipationStatus.ASSESSED, ParticipationStatus.SELECTED, ParticipationStatus.NOT_SELECTED),
    "selected": (ParticipationStatus.SELECTED,),
}


def stage_labels():
    return {
        "screened": _("Screened"),
        "eligible": _("Eligible"),
        "invited": _("Invited"),
        "assessed": _("Assessed"),
        "selected": _("Selected"),
    }


def funnels(include_demo=False):
    """Per phase: the count at each stage and whether it was counted or published."""
    phases = Phase.objects.order_by("year")
    if not include_demo:
        phases = phases.filter(is_demo=False)
    counts = {
        row["phase"]: row
        for row in Participation.objects.filter(phase__in=phases)
        .values("phase")
        .annotate(
            total=Count("id"),
            **{stage: Count("id", filter=Q(status__in=statuses)) for stage, statuses in _REACHED.items()},
        )
    }
    runs = {
        run.phase_id: run
        for run in ScreeningRun.objects.filter(phase__in=phases, status=RunStatus.CONFIRMED).only(
            "phase_id", "eligible_count", "excluded_count"
        )
    }
    published = {"invited": "invited_target", "assessed": "assessed_target"}
    result = []
    for phase in phases:
        row = counts.get(phase.pk, {})
        run = runs.get(phase.pk)
        stages = {}
        # A phase whose only records are its selected regions (the real phases: only the list of
        # selected regions was published) has no counted figure before selection.
        only_selected = row.get("total", 0) == row.get("selected", 0)
        screened = run.eligible_count + run.excluded_count if run else None
        stages["screened"] = (screened, "counted") if screened else (None, "unknown")
        eligible = run.eligible_count if run else (None if only_selected else row.get("eligible"))
        stages["eligible"] = (eligible, "counted") if eligible else (None, "unknown")
        for stage in ("invited", "assessed", "selected"):
            value = row.get(stage) or 0
            if value and (stage == "selected" or not only_selected):
                stages[stage] = (value, "counted")
            elif stage in published and getattr(phase, published[stage]) is not None:
                stages[stage] = (getattr(phase, published[stage]), "published")
            else:
                stages[stage] = (None, "unknown") if stage != "selected" else (0, "counted")
        result.append({"phase": phase, "stages": stages, "chart": _funnel_chart(phase, stages)})
    return result


def _funnel_chart(phase, stages):
    labels = stage_labels()
    items = []
    for stage in FUNNEL_STAGES:
        value, how = stages[stage]
        label = labels[stage] + (" *" if how == "published" else "")
        items.append((label, value))
    described = "; ".join(
        f"{labels[stage]}: {number_format(stages[stage][0]) if stages[stage][0] is not None else _('not known')}"
        for stage in FUNNEL_STAGES
    )
    return svg.bar_chart(
        items,
        title=_("Funnel of %(phase)s") % {"phase": phase.name},
        desc=described,
        value_label=number_format,
    )


def cohorts_chart(include_demo=False):
    """Regions selected per phase, in year order."""
    phases = Phase.objects.order_by("year").annotate(
        selected=Count("participations", filter=Q(participations__status=ParticipationStatus.SELECTED))
    )
    if not include_demo:
        phases = phases.filter(is_demo=False)
    items = [
        (f"{phase.year}" + (f" ({_('demo')})" if phase.is_demo else ""), phase.selected,
         national_map.DEMO_COLOUR if phase.is_demo else None)
        for phase in phases
    ]
    desc = "; ".join(f"{label}: {number_format(value)}" for label, value, _colour in items)
    return svg.bar_chart(items, title=_("Regions selected per phase"), desc=desc, value_label=number_format)


def indicator_choices():
    """Indicators with values for kabupaten/kota, and the years they have, for the map's menu."""
    years = {}
    for code, year in (
        IndicatorValue.objects.filter(region__kind__in=("kabupaten", "kota"))
        .values_list("indicator__code", "year")
        .distinct()
    ):
        years.setdefault(code, set()).add(year)
    indicators = Indicator.objects.filter(code__in=years).order_by("code")
    return [(indicator, sorted(years[indicator.code], reverse=True)) for indicator in indicators]


def indicator_map(indicator, year):
    """The national map classed by quantile of one indicator's values in one year."""
    rows = IndicatorValue.objects.filter(
        indicator=indicator, year=year, region__kind__in=("kabupaten", "kota")
    ).values_list("region_id", "value", "synthetic")
    values = {region_id: value for region_id, value, _synthetic in rows}
    synthetic = any(flag for _r, _v, flag in rows)
    name = indicator.name_id if (get_language() or "id").startswith("id") else indicator.name_en
    title = _("%(indicator)s in %(year)s by kabupaten and kota, in five classes of equal counts") % {
        "indicator": name, "year": year,
    }

    def describe(legend, no_data):
        return "; ".join(
            [
                _("%(lower)s to %(upper)s: %(count)s regions") % {
                    "lower": number_format(item["lower"], 2), "upper": number_format(item["upper"], 2),
                    "count": item["count"],
                }
                for item in legend
            ]
            + [_("no data: %(count)s regions") % {"count": no_data}]
        )

    result = national_map.choropleth(values, title=title, desc=describe)
    result.update(indicator=indicator, year=year, synthetic=synthetic, unit=indicator.unit, name=name)
    return result


CACHE_PREFIX = "kotacerdas:dashboard:v1"


def cached_figures(include_demo, digest):
    """The dashboard's figures for the data as of ``digest`` (reports.map.fingerprint), in
    Django's cache (a shared backend in deployment), so repeated reads cost no aggregation."""
    key = f"{CACHE_PREFIX}:{get_language()}:{int(bool(include_demo))}:{digest}"
    figures = cache.get(key)
    if figures is None:
        figures = {
            "funnels": funnels(include_demo),
            "cohorts_chart": cohorts_chart(include_demo),
            "indicator_choices": indicator_choices(),
            "demo_phases": national_map.demo_phases_with_selections(),
        }
        cache.set(key, figures, national_map.CACHE_SECONDS)
    return figures
