"""Pages that combine the stages: each role's start page and the phase page with the links to
each of its stages."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kotacerdas.accounts.permissions import has_permission, permission
from kotacerdas.assessment.models import Selection
from kotacerdas.assessment.selection import published_selection
from kotacerdas.program import views as program_views
from kotacerdas.program.services import phase_or_404

from . import workspace as work


@permission("view_workspace")
def start(request):
    data = work.workspace(request.user)
    return render(request, "site/start.html", {"work": data})


@permission("view_public")
def phase_list(request):
    """The program's list of phases, each with a link to its published decision: the decision
    page of a selection published here, the published list of a phase run before the platform."""
    phases = list(program_views.phases_with_counts())
    published = set(Selection.objects.filter(confirmed_at__isnull=False).values_list("panel__phase__year", flat=True))
    for phase in phases:
        if phase.year in published:
            phase.decision_url, phase.decision_label = reverse("assessment:decision", args=[phase.year]), _("Read the decision")
        elif work.recorded_outside(phase):
            phase.decision_url = reverse("program:phase-detail", args=[phase.year]) + "#selected"
            phase.decision_label = _("Published list")
    return render(request, "site/phase_list.html", {"phases": phases})


@permission("view_public")
def phase_page(request, year):
    """The program's phase page, with each stage's state and a link to its page (public visitors
    see the screening and, once published, the decision)."""
    phase = phase_or_404(year)
    if request.GET.get("format"):
        return program_views.phase_detail(request, year)
    stages = work.phase_stages(phase, request.user)
    return program_views.phase_detail(
        request, year, template="site/phase_detail.html",
        extra_context={"stage_rows": stages, "published": published_selection(phase) is not None,
                       "historical": any(stage.get("historical") for stage in stages),
                       "may_manage": has_permission(request.user, "manage_program")},
    )
