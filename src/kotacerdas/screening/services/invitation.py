"""Confirming a run, which invites its shortlist, and the invitation list of a confirmed run."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kotacerdas.lib.language import program_gettext
from kotacerdas.program.models import Participation, Phase, ParticipationStatus
from kotacerdas.program.services import set_status

from ..models import RunStatus, ScreeningRun
from .runs import ScreeningError


# --- confirmation and invitation ----------------------------------------------------------------


def confirm_run(run, user=None):
    """Confirm ``run`` (its results become public) and invite its shortlist: each region's
    participation becomes "invited" with history. A region already further along (assessed,
    selected) keeps its status. Only one run of a phase can be confirmed."""
    with transaction.atomic():
        # The phase row first, as screening.rules does before changing a rule: a rule cannot be
        # added or removed while its phase's run is being confirmed.
        list(Phase.objects.select_for_update().filter(pk=run.phase_id).values_list("pk", flat=True))
        run = ScreeningRun.objects.select_for_update().get(pk=run.pk)
        if run.is_confirmed:
            return run
        other = ScreeningRun.objects.filter(phase=run.phase, status=RunStatus.CONFIRMED).exclude(pk=run.pk).first()
        if other is not None:
            raise ScreeningError(_("Run #%(run)s of this phase is already confirmed.") % {"run": other.pk})
        reason = program_gettext(gettext_noop("shortlist of screening run #%(run)s")) % {"run": run.pk}
        keep = {ParticipationStatus.INVITED, ParticipationStatus.ASSESSED, ParticipationStatus.SELECTED, ParticipationStatus.NOT_SELECTED, ParticipationStatus.WITHDRAWN}
        current = dict(Participation.objects.filter(phase=run.phase).values_list("region_id", "status"))
        for result in run.results.filter(in_shortlist=True).select_related("region"):
            if current.get(result.region_id) in keep:
                continue
            set_status(result.region, run.phase, ParticipationStatus.INVITED, user=user, reason=reason)
        run.status = RunStatus.CONFIRMED
        run.confirmed_at = timezone.now()
        run.confirmed_by = user if user is not None and user.is_authenticated else None
        run.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    return run


INVITATION_HEADER = ("rank", "code", "name", "kind", "province", "score", "probability", "stability", "why")


def invitation_rows(run):
    """The shortlist of a run as rows of :data:`INVITATION_HEADER`, by rank."""
    rows = []
    for r in run.results.filter(in_shortlist=True).select_related("region", "region__province").order_by("rank", "region__code"):
        rows.append((r.rank, r.region.code, r.region.name, r.region.kind,
                     r.region.province.name if r.region.province_id else "", r.score, r.probability,
                     r.get_stability_display(), r.shortlist_reason))
    return rows


def synthetic_notice(run):
    """The notice a run on synthetic values (or in a demo phase) carries, or None."""
    if run.synthetic or run.phase.is_demo:
        return _("Synthetic data: this run uses indicator values invented for the demo, not published figures.")
    return None
