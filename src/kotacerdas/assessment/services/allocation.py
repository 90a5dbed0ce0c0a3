"""Which assessors score which candidate (the assignment), and the presentation sessions."""

import math

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from kotacerdas import decision
from kotacerdas.program.models import Participation, ParticipationStatus

from ..models import Assessor, PanelAssignment, Panel, PanelState, Score, Session
from . import AssessmentRefused
from .assessor_pool import conflict_matrix, conflict_reasons



def panel_candidates(panel):
    """The candidates the panel assesses: regions with an assignment, else the invited ones."""
    from kotacerdas.regions.models import Region

    assigned = panel.assignments.values("region")
    if panel.assignments.exists():
        return list(Region.objects.filter(pk__in=assigned).select_related("province").order_by("code"))
    return list(_unassigned_candidates(panel))


def _unassigned_candidates(panel):
    """A selection panel's invited candidates, or the regions in an evaluation round's scope."""
    from kotacerdas.regions.models import Region

    if panel.phase_id is None:
        return Region.objects.filter(rounds=panel.round_id).select_related("province").order_by("code")
    invited = Participation.objects.filter(phase=panel.phase, status=ParticipationStatus.INVITED).values("region")
    return Region.objects.filter(pk__in=invited).select_related("province").order_by("code")


@transaction.atomic
def assign_panel(panel, *, regions=None, assessors=None, user=None):
    """Assign ``panel.per_candidate`` assessors to every candidate with :func:`decision.assign`:
    never a conflict, expertise matched, loads even. Replaces earlier assignments while nobody
    has scored; refused after."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if panel.state == PanelState.CLOSED or Score.objects.filter(assignment__panel=panel).exists():
        raise AssessmentRefused(_("Scores have been entered: change assignments one by one instead."))
    if regions is None:
        regions = list(_unassigned_candidates(panel))
    regions = list(regions)
    assessors = list(assessors if assessors is not None else Assessor.objects.select_related("user").order_by("user__username"))
    if not regions:
        raise AssessmentRefused(_("There is no invited candidate to assign."))
    if not assessors:
        raise AssessmentRefused(_("There is no assessor to assign."))
    k = panel.per_candidate
    even_share = math.ceil(k * len(regions) / len(assessors))
    max_load = np.array([a.max_load if a.max_load is not None else even_share for a in assessors])
    aspect_tags = set(panel.aspects.values_list("code", flat=True))
    affinity = np.array([[len(set(a.expertise) & aspect_tags) for a in assessors] for _region in regions], dtype=float)
    conflicts = conflict_matrix(panel, regions, assessors)
    try:
        chosen = decision.assign(affinity, conflicts, k, max_load)
    except decision.InfeasibleAssignment as exc:
        names = ", ".join(regions[i].name for i in (exc.candidates or []))
        raise AssessmentRefused(
            _("No assignment satisfies the conflicts of interest and loads. %(names)s")
            % {"names": (_("Candidates at fault: %s.") % names) if names else ""}
        ) from exc
    panel.assignments.all().delete()
    PanelAssignment.objects.bulk_create(
        [PanelAssignment(panel=panel, region=regions[i], assessor=assessors[j]) for i, j in zip(*np.nonzero(chosen))]
    )
    return panel.assignments.count()


@transaction.atomic
def swap_assessor(assignment, new_assessor, *, user=None, reason):
    """Replace the assessor of one assignment by hand; the change is kept with its reason, and
    refused if it creates a conflict of interest or the old assessor has already scored."""
    assignment = PanelAssignment.objects.select_for_update(of=("self",)).select_related("panel", "region__province").get(pk=assignment.pk)
    panel = assignment.panel
    if not reason or not reason.strip():
        raise AssessmentRefused(_("Say why the assessor changes."))
    if panel.scores_locked:
        raise AssessmentRefused(_("The panel is closed."))
    if assignment.scores.exists() or assignment.submitted_at:
        raise AssessmentRefused(_("This assessor has already scored the candidate."))
    if PanelAssignment.objects.filter(panel=panel, region=assignment.region, assessor=new_assessor).exists():
        raise AssessmentRefused(_("%(assessor)s already assesses this candidate.") % {"assessor": new_assessor})
    reasons = conflict_reasons(panel, new_assessor, assignment.region)
    if reasons:
        raise AssessmentRefused(
            _("%(assessor)s has a conflict of interest with %(region)s: %(reasons)s.")
            % {"assessor": new_assessor, "region": assignment.region, "reasons": ", ".join(reasons)}
        )
    assignment.assessor = new_assessor
    assignment._change_reason = reason.strip()[:100]
    assignment._history_user = user
    assignment.save()
    return assignment


@transaction.atomic
def schedule_session(panel, region, *, starts_at, duration_minutes=30, room="", video_link=""):
    """Set (or move) a candidate's presentation to its panel, in a room or by video link."""
    if not panel.assignments.filter(region=region).exists():
        raise AssessmentRefused(_("%(region)s is not a candidate of this panel.") % {"region": region})
    if not room and not video_link:
        raise AssessmentRefused(_("Give a room or a video link."))
    session, _created = Session.objects.update_or_create(
        panel=panel, region=region,
        defaults={"starts_at": starts_at, "duration_minutes": duration_minutes, "room": room, "video_link": video_link},
    )
    return session


