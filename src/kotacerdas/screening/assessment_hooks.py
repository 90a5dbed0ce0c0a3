"""What the assessment shows and counts of a candidate's screening.

Registered into :mod:`kotacerdas.assessment.hooks` (the assessment app imports no other stage):

- the candidate section of an assessor's scoring page: the candidate's result in the phase's
  confirmed screening run (score, rank, shortlist, SMAA probability), linked to its explanation;
- the screening component of the final score, on 0-100: the run's scores rescaled so that the
  best-ranked region of the run is 100 and the lowest-ranked 0 (TOPSIS and weighted-sum scores
  have no common scale of their own; the rescaling keeps their order and relative distances).
"""

import numpy as np
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .models import RunStatus, ScreeningRun


def confirmed_run(phase):
    return ScreeningRun.objects.filter(phase=phase, status=RunStatus.CONFIRMED).first()


def candidate_panel(phase, region, user):
    from .services import run_results, synthetic_notice

    run = confirmed_run(phase)
    if run is None:
        return None
    found = run_results(run, region_ids=[region.pk])
    result = found[0] if found else None
    html = render_to_string("screening/candidate_panel.html", {
        "run": run, "result": result, "region": region, "phase": phase, "notice": synthetic_notice(run),
    })
    return {"title": _("Screening result"), "html": html}


def component_scores(phase, regions):
    """{region_id: 0-100} from the phase's confirmed run; None (component unavailable) without one."""
    run = confirmed_run(phase)
    if run is None:
        return None
    # Every eligible region's score: the run's outputs, aligned with the region ids of its inputs.
    scores, _ranks, _probability = run.output_arrays()
    if not len(scores):
        return None
    low, high = float(scores.min()), float(scores.max())
    region_ids = run.input_region_ids()
    wanted = np.isin(region_ids, np.array([r.pk for r in regions], dtype=np.int64))
    scores = dict(zip(region_ids[wanted].tolist(), scores[wanted].tolist()))
    if high == low:
        return dict.fromkeys(scores, 100.0)
    return {pk: 100.0 * (score - low) / (high - low) for pk, score in scores.items()}


def register():
    from kotacerdas.assessment import hooks

    hooks.register_candidate_panel(hooks.SCREENING, candidate_panel)
    hooks.register_component_score(hooks.SCREENING, component_scores)
