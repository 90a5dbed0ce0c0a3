"""What the assessment shows and counts of a candidate's screening.

Registered into :mod:`kotacerdas.assessment.hooks` (the assessment app imports no other stage):

- the candidate section of an assessor's scoring page: the candidate's result in the phase's
  confirmed screening run (score, rank, shortlist, SMAA probability), linked to its explanation;
- the screening component of the final score, on 0-100: the run's scores rescaled so that the
  best-ranked region of the run is 100 and the lowest-ranked 0 (TOPSIS and weighted-sum scores
  have no common scale of their own; the rescaling keeps their order and relative distances).
"""

from django.db.models import Max, Min
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .models import RunResult, RunStatus, ScreeningRun


def confirmed_run(phase):
    return ScreeningRun.objects.filter(phase=phase, status=RunStatus.CONFIRMED).first()


def candidate_panel(phase, region, user):
    from .services import synthetic_notice

    run = confirmed_run(phase)
    if run is None:
        return None
    result = RunResult.objects.filter(run=run, region=region).first()
    html = render_to_string("screening/candidate_panel.html", {
        "run": run, "result": result, "region": region, "phase": phase, "notice": synthetic_notice(run),
    })
    return {"title": _("Screening result"), "html": html}


def component_scores(phase, regions):
    """{region_id: 0-100} from the phase's confirmed run; None (component unavailable) without one."""
    run = confirmed_run(phase)
    if run is None:
        return None
    ranked = RunResult.objects.filter(run=run, score__isnull=False)
    bounds = ranked.aggregate(low=Min("score"), high=Max("score"))
    low, high = bounds["low"], bounds["high"]
    if low is None:
        return None
    wanted = [r.pk for r in regions]
    scores = dict(ranked.filter(region_id__in=wanted).values_list("region_id", "score"))
    if high == low:
        return dict.fromkeys(scores, 100.0)
    return {pk: 100.0 * (score - low) / (high - low) for pk, score in scores.items()}


def register():
    from kotacerdas.assessment import hooks

    hooks.register_candidate_panel(hooks.SCREENING, candidate_panel)
    hooks.register_component_score(hooks.SCREENING, component_scores)
