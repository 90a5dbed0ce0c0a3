"""A region's story in the program, read from every stage, for its profile page.

:func:`timeline` lists what happened to the region, in date order, from screening to evaluation;
each entry says which stage it belongs to. What a visitor sees depends on the role
(``accounts.permissions``): the public reads the participation statuses, the published MoU events,
the adopted master plans and the published evaluation results; the ministry and the region's own
operators also read the questionnaire, the mentoring sessions, the plans under work and the
unpublished results; only the ministry reads the assessment scores.
"""

import datetime

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
