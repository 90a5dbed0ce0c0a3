"""The national dashboard's figures: each phase's funnel, the cohorts over the years and the map
coloured by any public indicator.

Figures come from the stages' own tables; where a real phase's list is unknown, the counts the
ministry published (``Phase.invited_target``, ``assessed_target``: 80 invited in 2017) stand in
and are marked as published figures, never as counted ones.
"""

from django.core.cache import cache
from django.db.models import Avg, Count, Q
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


CACHE_PREFIX = "kotacerdas:dashboard:v2"


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
            "evaluation": evaluation_figures(include_demo),
            "implementation": implementation_by_dimension(include_demo),
        }
        cache.set(key, figures, national_map.CACHE_SECONDS)
    return figures


# --- evaluation and implementation ----------------------------------------------------------------


def _published_results(include_demo):
    """Results of published evaluation rounds; the demo rounds (and invented rows) only when the
    visitor asked for the demo, and then marked as such by the page."""
    from kotacerdas.evaluation.models import Result

    from .opendata import published_results

    if include_demo:
        return Result.objects.filter(round__published_at__isnull=False)
    return published_results()


def _round_label(evaluation_round):
    label = _("%(year)s stage %(stage)s") % {"year": evaluation_round.year, "stage": evaluation_round.stage}
    return label + (f" ({_('demo')})" if evaluation_round.is_demo else "")


def _index_text(value):
    return number_format(value, 2)


def evaluation_figures(include_demo=False):
    """The index figures of the dashboard: the map of the latest published round, the index per
    cohort (box plot), the mean index per round (trend), the biggest improvements. ``None`` when
    no round is published."""
    from kotacerdas.evaluation.models import EvaluationRound
    from kotacerdas.program.services import selected_phase_by_region

    results = _published_results(include_demo)
    round_ids = results.values_list("round_id", flat=True).distinct()
    rounds = list(
        EvaluationRound.objects.filter(pk__in=round_ids).select_related("round").order_by("round__year", "round__stage")
    )
    if not rounds:
        return None
    latest = rounds[-1]
    values = {region_id: float(index) for region_id, index in results.filter(round=latest).values_list("region_id", "index")}
    latest_label = _round_label(latest.round)

    def describe(legend, no_data):
        return "; ".join(
            [_("%(lower)s to %(upper)s: %(count)s regions") % {
                "lower": _index_text(item["lower"]), "upper": _index_text(item["upper"]), "count": item["count"]}
             for item in legend]
            + [_("no data: %(count)s regions") % {"count": no_data}]
        )

    index_map = national_map.choropleth(
        values, title=_("Evaluation index of %(round)s by kabupaten and kota, in five classes of equal counts") % {"round": latest_label},
        desc=describe,
    )

    # The index per cohort: the phase that selected each region.
    # Every selection (a few hundred rows) rather than an IN list of every evaluated unit.
    cohorts = selected_phase_by_region(include_demo=include_demo)
    by_cohort = {}
    for region_id, value in values.items():
        phase = cohorts.get(region_id)
        by_cohort.setdefault((phase.year, phase.is_demo) if phase else (None, False), []).append(value)
    groups = [
        ((str(year) + (f" ({_('demo')})" if is_demo else "")) if year else _("not in a cohort"), group)
        for (year, is_demo), group in sorted(by_cohort.items(), key=lambda item: (item[0][0] is None, item[0][0] or 0))
    ]
    cohort_desc = "; ".join(
        _("%(cohort)s: %(count)s regions, median %(median)s, from %(low)s to %(high)s") % {
            "cohort": label, "count": len(group), "median": _index_text(sorted(group)[len(group) // 2] if len(group) % 2 else sum(sorted(group)[len(group) // 2 - 1: len(group) // 2 + 1]) / 2),
            "low": _index_text(min(group)), "high": _index_text(max(group)),
        }
        for label, group in groups
    )
    cohort_chart = svg.box_plot(
        groups, title=_("Evaluation index per cohort, %(round)s") % {"round": latest_label}, desc=cohort_desc,
        value_label=_index_text,
    )

    # The trend: the mean index of each published round.
    means = dict(results.order_by().values("round_id").annotate(mean=Avg("index")).values_list("round_id", "mean"))
    trend_items = [
        (_round_label(item.round), float(means[item.pk]), national_map.DEMO_COLOUR if item.round.is_demo else None)
        for item in rounds
    ]
    trend_chart = svg.bar_chart(
        trend_items, title=_("Mean evaluation index per round"),
        desc="; ".join(f"{label}: {_index_text(value)}" for label, value, _colour in trend_items),
        value_label=_index_text, maximum=5,
    )

    improved = list(
        results.filter(round=latest, improvement__gt=0).order_by("-improvement", "region__code")
        .values_list("region_id", "region__code", "region__name", "index", "improvement")[:10]
    )
    improvement_items = [(name, float(improvement)) for _id, _code, name, _index, improvement in improved]
    improvement_chart = svg.bar_chart(
        improvement_items, title=_("Biggest improvements of the index, %(round)s") % {"round": latest_label},
        desc="; ".join(f"{name}: +{_index_text(value)}" for name, value in improvement_items) or _("No region improved."),
        value_label=lambda value: "+" + _index_text(value),
    ) if improvement_items else None
    return {
        "round": latest, "round_label": latest_label, "is_demo": latest.round.is_demo,
        "map": index_map, "cohort_chart": cohort_chart, "trend_chart": trend_chart,
        "improvements": [{"code": code, "name": name, "index": index, "improvement": improvement}
                         for _id, code, name, index, improvement in improved],
        "improvement_chart": improvement_chart,
    }


def implementation_by_dimension(include_demo=False):
    """Per smart city dimension: programs of adopted master plans that are running or done (their
    latest progress report) over the programs planned to have started by this year, with
    evaluation's implementation ratio (9 of 10 -> 90.00). ``None`` without adopted plans."""
    from django.utils import timezone

    from kotacerdas.evaluation.scoring import implementation_ratio
    from kotacerdas.masterplans.models import Dimension, PlanStatus, Program, ProgressRecord, ProgressStatus

    programs = Program.objects.filter(plan__status=PlanStatus.ADOPTED, start_year__lte=timezone.now().year)
    if not include_demo:
        programs = programs.filter(plan__is_demo=False)
    rows = list(programs.values_list("id", "element__dimension__code"))
    if not rows:
        return None
    latest = {}
    for program_id, status in ProgressRecord.objects.filter(program__in=programs).order_by("year", "id").values_list("program_id", "status"):
        latest[program_id] = status
    dimensions = {}
    for dimension in Dimension.objects.order_by("taxonomy_id", "order"):
        dimensions.setdefault(dimension.code, dimension)
    totals = {}
    for program_id, code in rows:
        planned, going = totals.get(code, (0, 0))
        going += latest.get(program_id) in (ProgressStatus.RUNNING, ProgressStatus.DONE)
        totals[code] = (planned + 1, going)
    english = not (get_language() or "id").startswith("id")
    items, table = [], []
    for code, dimension in dimensions.items():
        if code not in totals:
            continue
        planned, going = totals[code]
        ratio = implementation_ratio(going, planned)
        name = dimension.name_en if english else dimension.name
        items.append((name, float(ratio)))
        table.append({"name": name, "planned": planned, "going": going, "ratio": ratio})
    chart = svg.bar_chart(
        items, title=_("Implementation ratio per smart city dimension"),
        desc="; ".join(
            _("%(dimension)s: %(going)s of %(planned)s programs running or done (%(ratio)s%%)") % {
                "dimension": row["name"], "going": row["going"], "planned": row["planned"], "ratio": number_format(row["ratio"], 2)}
            for row in table
        ),
        value_label=lambda value: number_format(value, 2) + " %", maximum=100,
    )
    return {"chart": chart, "rows": table}
