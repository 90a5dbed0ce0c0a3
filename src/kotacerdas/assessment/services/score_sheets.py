"""An assessor's scores of a candidate, saved as a draft or submitted."""


from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _


from ..models import PanelAssignment, PanelState, Score
from . import AssessmentRefused



@transaction.atomic
def save_scores(assignment, values, *, user, submit=False):
    """Record an assessor's scores for their own assignment: ``values`` maps an aspect id to
    ``(score 1-5, comment)``. ``submit`` finalises them (every aspect needs a score); after that
    they are locked and the assessor sees the panel's scores for the candidate."""
    assignment = PanelAssignment.objects.select_for_update(of=("self",)).select_related("panel", "assessor").get(pk=assignment.pk)
    if assignment.assessor.user_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Only the assigned assessor scores this candidate."))
    panel = assignment.panel
    if panel.state != PanelState.SCORING:
        raise AssessmentRefused(
            _("Scores are locked: the panel is closed.") if panel.scores_locked else _("Scoring has not started yet.")
        )
    if assignment.submitted_at:
        raise AssessmentRefused(_("You have submitted your scores for this candidate; they are locked."))
    aspects = {a.pk: a for a in panel.aspects.all()}
    for aspect_id, (value, comment) in values.items():
        aspect = aspects.get(int(aspect_id))
        if aspect is None:
            raise AssessmentRefused(_("Unknown aspect %s.") % aspect_id)
        if value in (None, ""):
            Score.objects.filter(assignment=assignment, aspect=aspect).delete()
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise AssessmentRefused(_("%(aspect)s: a score is a whole number from 1 to 5.") % {"aspect": aspect}) from None
        if not panel.lowest_score <= value <= 5:
            raise AssessmentRefused(_("%(aspect)s: a score is a whole number from %(lowest)s to 5.") % {"aspect": aspect, "lowest": panel.lowest_score})
        score = Score.objects.filter(assignment=assignment, aspect=aspect).first() or Score(assignment=assignment, aspect=aspect)
        score.value, score.comment = value, (comment or "").strip()
        score._history_user = user
        score.save()
    if submit:
        missing = [str(a) for a in aspects.values() if not assignment.scores.filter(aspect=a).exists()]
        if missing:
            raise AssessmentRefused(_("Score every aspect before submitting: %s.") % ", ".join(missing))
        assignment.submitted_at = timezone.now()
        assignment._history_user = user
        assignment.save()
    return assignment


