"""Reports through /api/v1/reports: the ministry asks for the audit dossiers of a whole phase,
made on a task worker into one ZIP archive (the twin of the phase's dossiers page)."""

from typing import Literal

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from kotacerdas.accounts.permissions import ApiPermission
from kotacerdas.lib.api import ErrorOut

router = Router(tags=["reports"])


class DossiersIn(Schema):
    version: Literal["full", "public"] = Field("full", description="'full' with personal data (names of assessors, authors of "
                                                                    "changes, signatories), or 'public' without.")


class DossiersQueuedOut(Schema):
    task_id: str
    progress_url: str = Field(..., description="The task's progress page; once done its file is the ZIP archive.")


@router.post("/phases/{year}/dossiers", response={202: DossiersQueuedOut, 400: ErrorOut}, auth=ApiPermission("view_personal_data"),
             summary="Make the audit dossiers of every region of a phase on a task worker, into one ZIP archive (202 with the task)")
def phase_dossiers(request, year: int, payload: DossiersIn):
    """The twin of the phase dossiers page: the same task, enqueued the same way."""
    from kotacerdas.lib.jobs.services import enqueue
    from kotacerdas.program.services import phase_or_404

    from .tasks import phase_dossiers as make_dossiers

    phase = phase_or_404(year)
    progress = enqueue(make_dossiers, year, payload.version != "public", user=request.auth,
                       label=_("Audit dossiers of %(phase)s") % {"phase": phase.name})
    return Status(202, {"task_id": str(progress.task_id), "progress_url": reverse("task-progress", kwargs={"task_id": progress.task_id})})
