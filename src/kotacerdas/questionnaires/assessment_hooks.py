"""What the assessment shows and counts of a candidate's readiness questionnaire.

Registered into :mod:`kotacerdas.assessment.hooks` (the assessment app imports no other stage):

- the candidate section of an assessor's scoring page: the readiness questionnaire's answers and
  evidence once the region has submitted it (a draft stays the region's own; a returned
  submission shows its last submitted answers only after the region resubmits);
- the questionnaire component of the final score: the readiness score (0-100) of each submitted
  or accepted readiness questionnaire of the phase, the mean when a phase has several forms.
"""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Assignment, AssignmentStage, Submission, SubmissionStatus

VISIBLE = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


def _readiness(phase):
    return Assignment.objects.filter(phase=phase, stage=AssignmentStage.READINESS).select_related("form")


def readiness_score(submission, assessment=None):
    from .services import assess, logic_of

    return logic_of(submission.version).score({}, assessment or assess(submission))["total"]


def candidate_panel(phase, region, user):
    """The readiness questionnaire for an assessor's candidate page, or None without one."""
    from .rendering import language_of, layout
    from .services import assess

    assignments = list(_readiness(phase))
    if not assignments:
        return None
    submissions = {
        s.assignment_id: s
        for s in Submission.objects.filter(assignment__in=assignments, region=region).select_related("version", "region")
    }
    language = translation.get_language() or "id"
    forms = []
    for assignment in assignments:
        submission = submissions.get(assignment.pk)
        visible = submission is not None and submission.status in VISIBLE
        entry = {"assignment": assignment, "submission": submission, "visible": visible}
        if visible:
            # One evaluation of the form's logic serves the page and the score.
            assessment = assess(submission, language=language_of(submission.version.definition, language))
            entry["items"] = layout(submission, language, assessment=assessment, shown_issues=False, comments={})
            entry["score"] = readiness_score(submission, assessment)
        forms.append(entry)
    html = render_to_string("questionnaires/candidate_panel.html", {"forms": forms, "region": region})
    return {"title": _("Readiness questionnaire"), "html": html}


def component_scores(phase, regions):
    """{region_id: readiness score 0-100} of the regions with a submitted or accepted form; None
    (the component is unavailable and left out of the final score) when none has one."""
    totals = {}
    submissions = Submission.objects.filter(
        assignment__phase=phase, assignment__stage=AssignmentStage.READINESS, status__in=VISIBLE,
        region__in=[r.pk for r in regions],
    ).select_related("version", "region")
    for submission in submissions:
        score = readiness_score(submission)
        if score is not None:
            totals.setdefault(submission.region_id, []).append(score)
    return {region_id: sum(values) / len(values) for region_id, values in totals.items()} or None


def register():
    from kotacerdas.assessment import hooks

    hooks.register_candidate_panel(hooks.QUESTIONNAIRE, candidate_panel)
    hooks.register_component_score(hooks.QUESTIONNAIRE, component_scores)
