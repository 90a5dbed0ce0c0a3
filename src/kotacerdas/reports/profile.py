"""A region's story in the program, read from every stage, for its profile page.

:func:`timeline` lists what happened to the region, in date order, from screening to evaluation;
each entry says which stage it belongs to. What a visitor sees depends on the role
(``accounts.permissions``): the public reads the participation statuses, the published MoU events,
the adopted master plans and the published evaluation results; the ministry and the region's own
operators also read the questionnaire, the mentoring sessions, the plans under work and the
unpublished results; only the ministry reads the assessment scores.
"""

import datetime
import hashlib

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kotacerdas.accounts.permissions import has_permission
from kotacerdas.evaluation.models import SMART_CITY_DIMENSIONS, Result
from kotacerdas.lib import svg
from kotacerdas.masterplans.models import MasterPlan, PlanStatus, Program, ProgressRecord, ProgressStatus
from kotacerdas.mentoring.models import Bimtek, MentorAssignment
from kotacerdas.program.models import Participation

STAGES = ("screening", "questionnaire", "assessment", "selection", "mou", "mentoring", "masterplan", "evaluation")


def stage_labels():
    return {
        "screening": _("Screening"),
        "questionnaire": _("Questionnaire"),
        "assessment": _("Assessment"),
        "selection": _("Selection"),
        "mou": _("MoU"),
        "mentoring": _("Mentoring"),
        "masterplan": _("Master plan"),
        "evaluation": _("Evaluation"),
    }


def _when(value):
    """A sortable datetime for a date or datetime (dates at the start of the day)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))


def _status_stage(status):
    return {"selected": "selection", "not_selected": "selection", "assessed": "assessment"}.get(status, "screening")


def access(user, region):
    """What ``user`` may read of ``region``'s story."""
    own = has_permission(user, "view_region_profile", region)
    return {"own": own, "scores": has_permission(user, "view_all_scores")}


def timeline(region, user, mou_events=None):
    """Entries ``{"when", "stage", "label", "text", "private", "is_demo"}`` in date order."""
    allowed = access(user, region)
    labels = stage_labels()
    entries = []

    def add(when, stage, text, *, private=False, is_demo=False):
        entries.append({"when": _when(when), "stage": stage, "label": labels[stage], "text": text,
                        "private": private, "is_demo": is_demo})

    participations = list(Participation.objects.filter(region=region).select_related("phase").order_by("phase__year"))
    for participation in participations:
        phase = participation.phase
        seen = None
        for change in participation.history.order_by("history_date", "history_id"):
            if change.status == seen:
                continue
            seen = change.status
            add(change.history_date, _status_stage(change.status),
                _("%(phase)s: %(status)s") % {"phase": phase.name, "status": change.get_status_display()},
                is_demo=phase.is_demo)
        event = (mou_events or {}).get(phase.year) if participation.status == "selected" and not phase.is_demo else None
        if event:
            add(event["starts_on"], "mou", _("MoU signed at the national event in %(city)s (%(source)s)") % {
                "city": event["city"], "source": event["source"]})

    # The screening result of each confirmed run (public once confirmed): the shortlist's and the
    # excluded regions' are stored per region.
    from kotacerdas.screening.models import RunResult, RunStatus
    for item in RunResult.objects.filter(region=region, run__status=RunStatus.CONFIRMED).select_related("run__phase"):
        phase = item.run.phase
        if item.excluded_by:
            text = _("Screening of %(phase)s: excluded by %(rule)s") % {"phase": phase.name, "rule": item.excluded_by}
        else:
            text = _("Screening of %(phase)s: rank %(rank)s, score %(score)s%(shortlist)s") % {
                "phase": phase.name, "rank": item.rank or "–", "score": f"{item.score:.3f}" if item.score is not None else "–",
                "shortlist": ", " + _("in the shortlist") if item.in_shortlist else ""}
        add(item.run.confirmed_at, "screening", text, is_demo=phase.is_demo)

    from kotacerdas.assessment.models import Mou, Panel
    for mou in Mou.objects.filter(region=region).select_related("phase"):
        add(mou.signed_on, "mou", _("MoU number %(number)s signed in %(place)s") % {"number": mou.number, "place": mou.place},
            is_demo=mou.phase.is_demo)

    if allowed["own"]:
        from kotacerdas.questionnaires.models import Submission
        for submission in Submission.objects.filter(region=region).select_related("version"):
            add(submission.submitted_at or submission.updated_at, "questionnaire",
                _("Questionnaire %(form)s: %(status)s") % {"form": submission.version, "status": submission.get_status_display()},
                private=True)

    if allowed["scores"]:
        from kotacerdas.assessment.services.outcomes import compute_results
        phases = [p.phase for p in participations]
        for panel in Panel.objects.filter(phase__in=phases).select_related("phase"):
            selection = getattr(panel, "selection", None)
            for candidate in compute_results(panel).candidates:
                if candidate.region.pk == region.pk and candidate.final is not None:
                    add(selection.confirmed_at if selection else None, "assessment",
                        _("Assessment of %(phase)s: final score %(score).2f, rank %(rank)s, %(assessors)s assessors") % {
                            "phase": panel.phase.name, "score": candidate.final, "rank": candidate.rank or "–",
                            "assessors": candidate.assessors},
                        private=True, is_demo=panel.phase.is_demo)

    for assignment in MentorAssignment.objects.filter(region=region).select_related("mentor__user", "mentor__institution", "cohort__phase"):
        add(assignment.assigned_at, "mentoring", _("Mentor assigned: %(name)s (%(institution)s)") % {
            "name": assignment.mentor.user.get_full_name() or assignment.mentor.user.get_username(),
            "institution": assignment.mentor.institution}, is_demo=assignment.cohort.phase.is_demo)
    if allowed["own"]:
        for bimtek in Bimtek.objects.filter(regions=region).select_related("cohort__phase"):
            if bimtek.starts_on:
                add(bimtek.starts_on, "mentoring", _("Bimtek %(number)s: %(title)s") % {"number": bimtek.number, "title": bimtek.title},
                    private=True, is_demo=bimtek.cohort.phase.is_demo)

    for plan in MasterPlan.objects.filter(region=region).order_by("version"):
        public = plan.status == PlanStatus.ADOPTED
        if not public and not allowed["own"]:
            continue
        add(plan.created_at, "masterplan", _("Master plan version %(version)s started") % {"version": plan.version},
            private=not public, is_demo=plan.is_demo)
        if plan.approved_at:
            add(plan.approved_at, "masterplan", _("Master plan version %(version)s approved") % {"version": plan.version},
                private=not public, is_demo=plan.is_demo)
        if plan.adopted_at:
            add(plan.adopted_at, "masterplan", _("Master plan version %(version)s adopted (%(regulation)s)") % {
                "version": plan.version, "regulation": f"{plan.get_regulation_kind_display()} {plan.regulation_number}".strip()},
                is_demo=plan.is_demo)

    for result in evaluation_results(region, user):
        evaluation_round = result.round
        add(evaluation_round.published_at or result.updated_at, "evaluation",
            _("Evaluation %(round)s: index %(index)s, national rank %(rank)s") % {
                "round": evaluation_round.round.name, "index": result.index, "rank": result.national_rank or "–"},
            private=not evaluation_round.is_published, is_demo=evaluation_round.round.is_demo)

    far = timezone.make_aware(datetime.datetime.max - datetime.timedelta(days=2))
    entries.sort(key=lambda entry: (entry["when"] or far, STAGES.index(entry["stage"])))
    return entries


def evaluation_results(region, user):
    """The region's evaluation results the viewer may read: published ones for everyone, the
    unpublished ones for the ministry and the region's operators."""
    results = Result.objects.filter(region=region).select_related("round__round").order_by("round__round__year", "round__round__stage")
    if not has_permission(user, "view_own_evaluation", region):
        results = results.filter(round__published_at__isnull=False)
    return list(results)


def radar(region, user):
    """The radar chart of the six smart city dimensions, one outline per evaluation year (the
    last round of the year that scored the dimensions), or None when none did."""
    from kotacerdas.masterplans.models import Dimension

    by_year = {}
    for result in evaluation_results(region, user):
        scores = result.smart_city_scores or {}
        if any(scores.get(name) not in (None, "") for name in SMART_CITY_DIMENSIONS):
            by_year[result.round.round.year] = (result, scores)
    if not by_year:
        return None
    names = {}
    english = not (get_language() or "id").startswith("id")
    for dimension in Dimension.objects.order_by("order"):
        names.setdefault(dimension.code, dimension.name_en if english else dimension.name)
    axes = [names.get(name, name.title()) for name in SMART_CITY_DIMENSIONS]
    series, described = [], []
    for year, (result, scores) in sorted(by_year.items()):
        values = [float(scores[name]) if scores.get(name) not in (None, "") else None for name in SMART_CITY_DIMENSIONS]
        label = str(year) + (f" ({_('demo')})" if result.round.round.is_demo else "")
        series.append((label, values))
        described.append(f"{label}: " + ", ".join(
            f"{axis} {value:.2f}" if value is not None else f"{axis} –" for axis, value in zip(axes, values)))
    return svg.radar_chart(
        axes, series, title=_("Smart city dimensions of %(region)s per evaluation year") % {"region": region.name},
        desc="; ".join(described),
    )


def programs_by_status(region, user):
    """The region's programs (and how many are quick wins) by their latest reported status, for
    its adopted plans (everyone) or every plan (the ministry and the region's operators)."""
    programs = Program.objects.filter(plan__region=region)
    if not has_permission(user, "view_region_profile", region):
        programs = programs.filter(plan__status=PlanStatus.ADOPTED)
    latest = {}
    for program_id, status in ProgressRecord.objects.filter(program__in=programs).order_by("year", "id").values_list("program_id", "status"):
        latest[program_id] = status
    counts = {}
    for program_id, quick_win in programs.values_list("id", "quick_win"):
        status = latest.get(program_id, "not_reported")
        total, quick = counts.get(status, (0, 0))
        counts[status] = (total + 1, quick + bool(quick_win))
    labels = dict(ProgressStatus.choices)
    labels["not_reported"] = _("Not reported yet")
    order = [*ProgressStatus.values, "not_reported"]
    return [{"status": status, "label": labels[status], "programs": counts[status][0], "quick_wins": counts[status][1]}
            for status in order if status in counts]


def indicators_over_years(region):
    """The region's indicator values as ``(years, rows)``: one row per indicator with its value
    for each year (None where missing) and whether any value is invented (demo)."""
    from kotacerdas.indicators.models import IndicatorValue

    values = list(IndicatorValue.objects.filter(region=region).select_related("indicator").order_by("indicator__code", "year"))
    years = sorted({value.year for value in values})
    rows = {}
    for value in values:
        row = rows.setdefault(value.indicator.code, {"indicator": value.indicator, "values": {}, "synthetic": False})
        row["values"][value.year] = value.value
        row["synthetic"] = row["synthetic"] or value.synthetic
    return years, [{**row, "cells": [row["values"].get(year) for year in years]} for row in rows.values()]


# --- the cached story ------------------------------------------------------------------------------

CACHE_PREFIX = "kotacerdas:profile:v1"
CACHE_SECONDS = 24 * 60 * 60
# Columns that record when a row last changed, where a model has one.
_STAMPS = ("updated_at", "reported_at", "confirmed_at", "published_at", "submitted_at", "assigned_at", "adopted_at", "version")


def _story_models():
    """Every table the story reads (the timeline, the radar, programs, indicators)."""
    from kotacerdas.assessment.models import Mou, Panel, PanelAssignment, Score, Selection
    from kotacerdas.evaluation.models import EvaluationRound
    from kotacerdas.indicators.models import Indicator, IndicatorValue, ValueColumn
    from kotacerdas.masterplans.models import Dimension
    from kotacerdas.mentoring.models import Mentor
    from kotacerdas.program.models import Phase
    from kotacerdas.questionnaires.models import Submission
    from kotacerdas.screening.models import RunResult, ScreeningRun

    return [ScreeningRun, RunResult, Participation, Phase, Mou, Panel, PanelAssignment, Score, Selection, Submission, MentorAssignment, Mentor,
            Bimtek, MasterPlan, Program, ProgressRecord, Result, EvaluationRound, Dimension, Indicator, IndicatorValue,
            ValueColumn]


def data_version():
    """A short digest of the tables behind every profile, from one query: per table its row count
    and highest id, the highest id of its change history (a save or a delete through the models)
    and its latest change stamp where it has one (bulk writes). Every server computes the same
    digest, so the cached stories are shared through Django's cache, never kept per process."""
    from django.db import connection

    quote = connection.ops.quote_name
    parts = []
    for model in _story_models():
        table = quote(model._meta.db_table)
        pk = quote(model._meta.pk.column)
        parts += [f"(SELECT COUNT(*) FROM {table})", f"(SELECT MAX({pk}) FROM {table})"]
        history = getattr(model, "history", None)
        if history is not None:
            parts.append(f"(SELECT MAX(history_id) FROM {quote(history.model._meta.db_table)})")
        names = {field.name: field.column for field in model._meta.concrete_fields}
        parts += [f"(SELECT MAX({quote(names[stamp])}) FROM {table})" for stamp in _STAMPS if stamp in names]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        state = cursor.fetchone()
    return hashlib.sha1(repr(state).encode()).hexdigest()[:16]


def _build_story(region, user, events):
    years, indicator_rows = indicators_over_years(region)
    entries = timeline(region, user, events)
    return {
        "timeline": entries,
        "timeline_has_demo": any(entry["is_demo"] for entry in entries),
        "radar": radar(region, user),
        "evaluation_rounds": [
            {"year": result.round.round.year, "stage": result.round.round.stage, "name": result.round.round.name,
             "is_demo": result.round.round.is_demo, "published": result.round.is_published}
            for result in evaluation_results(region, user)
            # The dossier of an unpublished round is the ministry's.
            if result.round.is_published or has_permission(user, "view_personal_data")
        ],
        "program_status": programs_by_status(region, user),
        "indicator_years": years,
        "indicator_rows": indicator_rows,
    }


def story(region, user, events=None, digest=None):
    """The profile's blocks for ``user``, from Django's cache while the data is unchanged: the key
    holds the language, the region, what the viewer's role may read (so viewers of the same rights
    share one entry) and :func:`data_version`; a change in any table behind the story gives a new
    key, so no stale story is ever served."""
    allowed = access(user, region)
    rights = (allowed["own"], allowed["scores"], has_permission(user, "view_own_evaluation", region),
              has_permission(user, "view_personal_data"))
    events_key = hashlib.sha1(repr(sorted((events or {}).items())).encode()).hexdigest()[:8]
    key = (f"{CACHE_PREFIX}:{get_language()}:{region.pk}:{''.join(str(int(flag)) for flag in rights)}:"
           f"{events_key}:{digest or data_version()}")
    cached = cache.get(key)
    if cached is None:
        cached = _build_story(region, user, events)
        cache.set(key, cached, CACHE_SECONDS)
    return cached
