"""Pages of the assessment stage: an assessor's schedule and scoring, the ministry's panel
(rubric, assignments, sessions), results, selection and MoUs, and the public decision."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kotacerdas.accounts.permissions import permission, scope
from kotacerdas.lib.export import refuse_format, table_response
from kotacerdas.lib.files import attachment, stored_attachment
from kotacerdas.lib.jobs.services import enqueue
from kotacerdas.program.models import Participation, ParticipationStatus, Phase
from kotacerdas.program.services import demo_notice, phase_or_404
from kotacerdas.regions.models import Region

from kotacerdas.questionnaires.models import Evidence
from kotacerdas.questionnaires.services import READINESS_VISIBLE

from . import selection as selecting
from .services import allocation, assessor_pool, outcomes, panel_setup, score_sheets
from .services import AssessmentRefused
from .candidates import candidate_sections
from .models import Aspect, Assessor, Mou, Panel, PanelAssignment, PanelState, Score, Session
from .tasks import decision_pdf_name, render_decision_pdf, store_decision_pdf


def _panel(year):
    return get_object_or_404(Panel.objects.select_related("phase"), phase__year=year)


def _refused(request, exc):
    messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))


# --- assessor -----------------------------------------------------------------------------------


@permission("score_candidates")
def my_assessments(request):
    assignments = list(
        # A selection's candidates; the verifications of evaluation rounds (panels without a phase)
        # have their own schedule in the evaluation.
        scope(PanelAssignment.objects.filter(panel__phase__isnull=False), request.user, "score_candidates")
        .select_related("panel__phase", "region__province")
        .order_by("-panel__phase__year", "region__code")
    )
    sessions = {
        (s.panel_id, s.region_id): s
        for s in Session.objects.filter(panel__in={a.panel_id for a in assignments}, region__in={a.region_id for a in assignments})
    }
    rows = [(a, sessions.get((a.panel_id, a.region_id))) for a in assignments]
    rows.sort(key=lambda row: (row[1] is None, row[1].starts_at if row[1] else None, row[0].region.code))
    return render(request, "assessment/my_assessments.html", {"rows": rows})


@permission("score_candidates")
@require_http_methods(["GET", "POST"])
def score_candidate(request, pk):
    assignment = get_object_or_404(
        scope(PanelAssignment.objects.all(), request.user, "score_candidates").select_related("panel__phase", "region__province"),
        pk=pk,
    )
    panel = assignment.panel
    aspects = list(panel.aspects.all())
    if request.method == "POST":
        values = {
            a.pk: (request.POST.get(f"score-{a.pk}", "").strip(), request.POST.get(f"comment-{a.pk}", ""))
            for a in aspects
        }
        try:
            score_sheets.save_scores(assignment, values, user=request.user, submit="submit" in request.POST)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Your scores are submitted.") if "submit" in request.POST else _("Your scores are saved."))
            return redirect("assessment:score", pk=assignment.pk)
    own = {s.aspect_id: s for s in assignment.scores.all()}
    panel_scores = None
    if assignment.submitted_at:
        visible = scope(Score.objects.all(), request.user, "score_candidates").filter(
            assignment__panel=panel, assignment__region=assignment.region
        ).select_related("assignment__assessor__user", "aspect")
        panel_scores = {}
        for score in visible:
            panel_scores.setdefault(score.assignment.assessor, {})[score.aspect_id] = score
        panel_scores = [(assessor, [by_aspect.get(a.pk) for a in aspects]) for assessor, by_aspect in panel_scores.items()]
    session = Session.objects.filter(panel=panel, region=assignment.region).first()
    return render(
        request,
        "assessment/score.html",
        {
            "assignment": assignment,
            "panel": panel,
            "rows": [(a, own.get(a.pk)) for a in aspects],
            "levels": range(1, 6),
            "editable": panel.state == PanelState.SCORING and not assignment.submitted_at,
            "panel_scores": panel_scores,
            "aspects": aspects,
            "session": session,
            "sections": candidate_sections(assignment),
            "demo_notice": demo_notice(panel.phase),
        },
    )


@permission("score_candidates")
def candidate_evidence(request, pk, evidence_pk):
    """An evidence file of the candidate of one of the assessor's own assignments, once the region
    has submitted its questionnaire of that phase (a draft stays the region's own): 404 otherwise."""
    assignment = get_object_or_404(
        scope(PanelAssignment.objects.all(), request.user, "score_candidates").select_related("panel"), pk=pk,
    )
    evidence = get_object_or_404(
        Evidence.objects.filter(
            submission__region_id=assignment.region_id, submission__assignment__phase_id=assignment.panel.phase_id,
            submission__status__in=READINESS_VISIBLE,
        ),
        pk=evidence_pk,
    )
    return attachment(evidence.file.open("rb"), evidence.original_name, evidence.content_type)


# --- ministry: panel ----------------------------------------------------------------------------


@permission("manage_panel")
@require_http_methods(["GET", "POST"])
def panel_list(request):
    if request.method == "POST":
        phase = phase_or_404(request.POST.get("year"))
        try:
            panel_setup.ensure_panel(phase)
        except ValidationError as exc:
            _refused(request, exc)
            return redirect("assessment:panels")
        return redirect("assessment:panel", year=phase.year)
    # Selection panels; an evaluation round's verification panel is run from the evaluation pages.
    panels = Panel.objects.filter(phase__isnull=False).select_related("phase").order_by("-phase__year")
    open_phases = Phase.objects.filter(panel__isnull=True).exclude(participations__status=ParticipationStatus.SELECTED).order_by("year")
    return render(request, "assessment/panel_list.html", {"panels": panels, "open_phases": open_phases})


def _panel_post(request, panel):
    action = request.POST.get("action")
    if action == "state":
        if request.POST.get("confirm") != "yes":
            raise ValidationError(_("Nothing was changed: tick the box to confirm that you understand what cannot be undone."))
        panel_setup.set_state(panel, request.POST.get("state"), user=request.user, reason=request.POST.get("reason", ""))
    elif action == "settings":
        panel_setup.update_panel_settings(
            panel, per_candidate=request.POST.get("per_candidate") or panel.per_candidate,
            weights={field: request.POST.get(field) for field in panel_setup.PANEL_WEIGHTS},
            conflicts={field: field in request.POST for field in panel_setup.PANEL_CONFLICT_RULES}, user=request.user)
    elif action == "aspect":
        aspect = get_object_or_404(Aspect, panel=panel, pk=request.POST.get("aspect"))
        descriptors = [request.POST.get(f"level-{level}", "") for level in range(1, 6)]
        panel_setup.update_aspect(aspect, name=request.POST.get("name") or aspect.name, weight=request.POST.get("weight") or "0",
                               descriptors=descriptors, user=request.user)
    elif action == "assign":
        count = allocation.assign_panel(panel, user=request.user)
        messages.success(request, _("%(count)s assignments made.") % {"count": count})
    elif action == "swap":
        assignment = get_object_or_404(PanelAssignment, panel=panel, pk=request.POST.get("assignment"))
        assessor = get_object_or_404(Assessor, pk=request.POST.get("assessor"))
        allocation.swap_assessor(assignment, assessor, user=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("The assessor is changed."))
    elif action == "session":
        region = get_object_or_404(Region, code=request.POST.get("region"))
        starts_at = parse_datetime(request.POST.get("starts_at", ""))
        if starts_at is None:
            raise AssessmentRefused(_("Give the start as YYYY-MM-DD HH:MM."))
        if starts_at.tzinfo is None:
            # Entered in the region's own zone (WIB, WITA, WIT).
            import zoneinfo

            starts_at = starts_at.replace(tzinfo=zoneinfo.ZoneInfo(region.iana_time_zone))
        allocation.schedule_session(
            panel, region, starts_at=starts_at, room=request.POST.get("room", ""), video_link=request.POST.get("video_link", "")
        )
    else:
        return HttpResponseBadRequest(_("Unknown action."), content_type="text/plain; charset=utf-8")
    return None


@permission("manage_panel")
@require_http_methods(["GET", "POST"])
def panel_detail(request, year):
    panel = _panel(year)
    if request.method == "POST":
        try:
            response = _panel_post(request, panel)
        except (ValidationError, ValueError) as exc:
            _refused(request, exc)
        else:
            if response is not None:
                return response
        return redirect("assessment:panel", year=year)
    assignments = panel.assignments.select_related("region", "assessor__user").order_by("region__code", "assessor__user__username")
    by_candidate = {}
    for assignment in assignments:
        by_candidate.setdefault(assignment.region, []).append(assignment)
    sessions = {s.region_id: s for s in panel.sessions.select_related("region")}
    return render(
        request,
        "assessment/panel_detail.html",
        {
            "panel": panel,
            "aspects": panel.aspects.all(),
            "candidates": [(region, items, sessions.get(region.pk)) for region, items in by_candidate.items()],
            "assessors": Assessor.objects.select_related("user", "home_province"),
            "invited_count": Participation.objects.filter(phase=panel.phase, status=ParticipationStatus.INVITED).count(),
            "states": PanelState,
            "missing_scores": panel_setup.missing_scores(panel),
            "reopen_refused": panel.state == PanelState.CLOSED and hasattr(panel, "selection") and panel.selection.confirmed_at is not None,
            "demo_notice": demo_notice(panel.phase),
        },
    )


RESULTS_HEADER = ("rank", "code", "name", "assessors", "raw_weighted_mean", "calibrated", "assessment_0_100", "questionnaire", "screening", "final")


@permission("manage_panel")
def results(request, year):
    panel = _panel(year)
    computed = outcomes.compute_results(panel)
    file_format = request.GET.get("format", "").strip()
    if file_format:
        if (refused := refuse_format(file_format)):
            return refused
        rows = [
            (c.rank, c.region.code, c.region.name, c.assessors, c.raw, c.calibrated, c.assessment, c.questionnaire, c.screening, c.final)
            for c in computed.candidates
        ]
        return table_response(f"panel-{year}-results", RESULTS_HEADER, rows, file_format, notice=demo_notice(panel.phase))
    return render(
        request,
        "assessment/results.html",
        {"panel": panel, "results": computed, "demo_notice": demo_notice(panel.phase)},
    )


@permission("manage_panel")
@require_http_methods(["GET", "POST"])
def selection(request, year):
    panel = _panel(year)
    current = getattr(panel, "selection", None) if hasattr(panel, "selection") else None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm" and current is not None:
                if request.POST.get("confirm") != "yes":
                    raise ValidationError(_("Nothing was published: tick the box to confirm that you understand what cannot be undone."))
                selecting.confirm_selection(
                    current, letter_number=request.POST.get("letter_number", ""),
                    letter_date=parse_date(request.POST.get("letter_date", "") or ""), user=request.user,
                )
                # The letter is rendered on a worker in each language; the public page serves it from the storage.
                for language, _name in settings.LANGUAGES:
                    progress = enqueue(render_decision_pdf, current.pk, language, user=request.user,
                                       label=_("Decision letter (PDF), %(language)s") % {"language": language})
                messages.success(request, format_html(
                    '{} <a href="{}">{}</a>', _("The selection is confirmed and published."),
                    reverse("task-progress", kwargs={"task_id": progress.task_id}), _("The decision letter is being prepared."),
                ))
            else:
                rules = {key: request.POST.get(key) or 0 for key in ("min_per_island_group", "min_kota", "min_kabupaten")}
                selecting.propose_selection(panel, rules, user=request.user)
        except (ValidationError, ValueError) as exc:
            _refused(request, exc)
        return redirect("assessment:selection", year=year)
    return render(
        request,
        "assessment/selection.html",
        {"panel": panel, "selection": current, "demo_notice": demo_notice(panel.phase)},
    )


@permission("manage_panel")
@require_http_methods(["GET", "POST"])
def mou_list(request, year):
    panel = _panel(year)
    phase = panel.phase
    if request.method == "POST":
        region = get_object_or_404(Region, code=request.POST.get("region"))
        try:
            selecting.record_mou(
                phase, region, signed_on=parse_date(request.POST.get("signed_on", "") or ""),
                place=request.POST.get("place", "").strip(), number=request.POST.get("number", "").strip(),
                signatories=request.POST.get("signatories", "").strip(), document=request.FILES.get("document"),
                user=request.user,
            )
            messages.success(request, _("The MoU is recorded."))
        except (ValidationError, ValueError) as exc:
            _refused(request, exc)
        return redirect("assessment:mou", year=year)
    selected = Participation.objects.filter(phase=phase, status=ParticipationStatus.SELECTED).select_related("region").order_by("region__code")
    mous = {m.region_id: m for m in Mou.objects.filter(phase=phase)}
    return render(
        request,
        "assessment/mou.html",
        {"panel": panel, "rows": [(p.region, mous.get(p.region_id)) for p in selected], "demo_notice": demo_notice(phase)},
    )


@permission("view_mou_document")
def mou_document(request, pk):
    """The signed MoU: the ministry and the signing region's operators; 404 for anyone else."""
    mou = get_object_or_404(scope(Mou.objects.select_related("phase", "region"), request.user, "view_mou_document"), pk=pk)
    return stored_attachment(mou.document, f"MoU {mou.phase.year} {mou.region.code}.pdf")


@permission("manage_panel")
@require_http_methods(["GET", "POST"])
def assessor_list(request):
    if request.method == "POST":
        try:
            assessor = get_object_or_404(Assessor, pk=request.POST.get("assessor"))
            region = get_object_or_404(Region, code=request.POST.get("region", "").strip())
            assessor_pool.declare_conflict(assessor, region, request.POST.get("reason", ""))
            messages.success(request, _("The conflict of interest is recorded."))
        except ValidationError as exc:
            _refused(request, exc)
        return redirect("assessment:assessors")
    assessors = Assessor.objects.select_related("user", "home_province", "home_region").prefetch_related("conflicts__region")
    return render(request, "assessment/assessors.html", {"assessors": assessors})


# --- public -------------------------------------------------------------------------------------

DECISION_HEADER = ("code", "name", "province", "final_score", "letter_number", "letter_date")


def _published(year):
    phase = phase_or_404(year)
    published = selecting.published_selection(phase)
    if published is None:
        raise Http404(_("No decision is published for this phase."))
    return phase, published


@permission("view_published_selection")
def decision_page(request, year):
    phase, published = _published(year)
    rows = sorted((r for r in published.snapshot["rows"] if r["selected"]), key=lambda r: r["code"])
    provinces = {r.pk: r.province for r in Region.objects.filter(pk__in=[r["region_id"] for r in rows]).select_related("province")}
    file_format = request.GET.get("format", "").strip()
    if file_format:
        if (refused := refuse_format(file_format)):
            return refused
        table = [
            (r["code"], r["name"], provinces[r["region_id"]].name if provinces.get(r["region_id"]) else "", round(r["final"], 4),
             published.letter_number, published.letter_date.isoformat())
            for r in rows
        ]
        return table_response(f"decision-{year}", DECISION_HEADER, table, file_format, notice=demo_notice(phase))
    mous = {m.region_id: m for m in Mou.objects.filter(phase=phase)}
    return render(
        request,
        "assessment/decision.html",
        {
            "phase": phase, "selection": published, "demo_notice": demo_notice(phase),
            "rows": [(r, provinces.get(r["region_id"]), mous.get(r["region_id"])) for r in rows],
        },
    )


@permission("view_published_selection")
def decision_pdf(request, year):
    """The letter rendered by the worker when the decision was published (rendered here and
    stored when no worker has done it yet)."""
    _phase, published = _published(year)
    name = decision_pdf_name(published, translation.get_language())
    if not default_storage.exists(name):
        name = store_decision_pdf(published, translation.get_language())
    with default_storage.open(name, "rb") as handle:
        response = HttpResponse(handle.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="decision-{year}.pdf"'
    return response
