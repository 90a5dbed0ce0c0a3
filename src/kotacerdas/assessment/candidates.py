"""What an assessor sees of a candidate besides the rubric, and the parts of its final score that
come from the earlier stages: the readiness questionnaire and the screening.

- The candidate's sections: the readiness questionnaire's answers and evidence once the region
  has submitted it (a draft stays the region's own; a returned submission shows its last
  submitted answers only after the region resubmits), and its result in the phase's confirmed
  screening run (score, rank, shortlist, SMAA probability), linked to its explanation.
- The components of the final score, each on 0-100: the readiness score of each submitted or
  accepted readiness questionnaire of the phase (the mean when a phase has several forms), and
  the confirmed run's scores rescaled from its lowest-ranked region (0) to its best (100). A
  component without data is left out of the final score whatever its weight.
"""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from kotacerdas.questionnaires import services as questionnaires
from kotacerdas.questionnaires.models import Submission
from kotacerdas.questionnaires.rendering import language_of, layout
from kotacerdas.screening.rules import confirmed_run
from kotacerdas.screening.services.invitation import synthetic_notice
from kotacerdas.screening.services.runs import run_results, scores_out_of_100

QUESTIONNAIRE, SCREENING = "questionnaire", "screening"


def questionnaire_section(panel_assignment):
    """The readiness questionnaire of the assignment's candidate, or None when the phase has none;
    its evidence links lead to :func:`kotacerdas.assessment.views.candidate_evidence`."""
    phase, region = panel_assignment.panel.phase, panel_assignment.region
    forms_of_phase = list(questionnaires.readiness_forms(phase))
    if not forms_of_phase:
        return None
    submissions = {
        s.assignment_id: s
        for s in Submission.objects.filter(assignment__in=forms_of_phase, region=region).select_related("version", "region")
    }
    language = translation.get_language() or "id"
    forms = []
    for form_assignment in forms_of_phase:
        submission = submissions.get(form_assignment.pk)
        visible = submission is not None and submission.status in questionnaires.READINESS_VISIBLE
        entry = {"assignment": form_assignment, "submission": submission, "visible": visible}
        if visible:
            # One evaluation of the form's logic serves the page and the score.
            evaluation = questionnaires.evaluate(submission, language=language_of(submission.version.definition, language))
            entry["items"] = layout(submission, language, evaluation=evaluation, shown_issues=False, comments={})
            entry["score"] = questionnaires.readiness_score(submission, evaluation)
        forms.append(entry)
    html = render_to_string(
        "assessment/_questionnaire_section.html",
        {"forms": forms, "region": region, "panel_assignment": panel_assignment},
    )
    return {"title": _("Readiness questionnaire"), "html": html}


def screening_section(phase, region):
    """The candidate's result in the phase's confirmed screening run, or None without one."""
    run = confirmed_run(phase)
    if run is None:
        return None
    found = run_results(run, region_ids=[region.pk])
    result = found[0] if found else None
    html = render_to_string("assessment/_screening_section.html", {
        "run": run, "result": result, "region": region, "phase": phase, "notice": synthetic_notice(run),
    })
    return {"title": _("Screening result"), "html": html}


def candidate_sections(panel_assignment):
    """[(name, section or None)] of the assignment's candidate: the questionnaire, the screening."""
    return [
        (QUESTIONNAIRE, questionnaire_section(panel_assignment)),
        (SCREENING, screening_section(panel_assignment.panel.phase, panel_assignment.region)),
    ]


def component_scores(phase, regions):
    """{component: {region id: 0-100}, or None when the component has no data in ``phase``}."""
    run = confirmed_run(phase)
    return {
        QUESTIONNAIRE: questionnaires.readiness_scores(phase, regions),
        SCREENING: None if run is None else scores_out_of_100(run, regions),
    }
