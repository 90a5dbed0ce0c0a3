"""Evaluation pages: the rounds, each round's national ranking (public once published, with its
XLSX/CSV export), each region's result with how it was computed, its letter, findings, follow-up
items and objections, and the ministry's import, weights, publication and corrections."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.lib.files import stored_attachment
from kotacerdas.accounts.permissions import has_permission, permission, scope
from kotacerdas.lib.export import CONTENT_TYPES, table_response
from kotacerdas.lib.tabular import TableError

from . import services
from .charts import score_chart
from .forms import (
    CorrectionForm, FindingForm, FollowUpForm, ImportForm, InterviewForm, ObjectionForm, PublishForm, VerificationForm, WeightsForm,
)
from .models import DIMENSIONS, EvaluationRound, Finding, FollowUp, Result, dimension_labels

PAGE_SIZE = 100


def demo_notice():
    return _("Demo evaluation: its scores and findings are invented for demonstration; they are not results of the program.")


def _round(request, pk, action="view_evaluation_results"):
    evaluation = scope(EvaluationRound.objects.filter(pk=pk), request.user, action).select_related("round", "weight_set").first()
    if evaluation is None:
        raise Http404(_("There is no such evaluation round."))
    return evaluation


def _result(request, evaluation, code, action="view_evaluation_results"):
    result = scope(Result.objects.filter(round=evaluation, region__code=code), request.user, action).select_related(
        "region", "region__province", "round__round", "round__weight_set").first()
    if result is None:
        raise Http404(_("This region has no result in this round."))
    return result


def _errors(exc):
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


@permission("view_evaluation_results")
def round_list(request):
    rounds = scope(services.rounds_in_order().reverse(), request.user, "view_evaluation_results")
    return render(request, "evaluation/round_list.html", {
        "rounds": rounds, "can_manage": has_permission(request.user, "manage_evaluation"), "import_form": ImportForm(),
    })


@permission("view_evaluation_results")
def round_detail(request, pk):
    evaluation = _round(request, pk)
    query = request.GET.get("q", "").strip()
    results = services.ranking(evaluation)
    if query:
        results = results.filter(region__name__icontains=query) | results.filter(region__code__startswith=query)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    can_manage = has_permission(request.user, "manage_evaluation")
    return render(request, "evaluation/round_detail.html", {
        "evaluation": evaluation, "page": page, "query": query, "can_manage": can_manage,
        "weights": evaluation.weight_set.weights(), "labels": dimension_labels(),
        "weights_form": WeightsForm(initial={"weights": evaluation.weight_set}) if can_manage else None,
        "publish_form": PublishForm() if can_manage else None,
        "demo_notice": demo_notice() if evaluation.is_demo else None,
        "flagged": evaluation.results.filter(differs_from_published=True).count() if can_manage else None,
        # Who scored how is the ministry's: the assessors are named.
        "agreement": services.verification_agreement(evaluation) if can_manage else None,
        "verification": services.verification_status(evaluation) if can_manage else None,
        "verification_form": VerificationForm() if can_manage else None,
        "interview_form": InterviewForm() if can_manage else None,
        "can_view_progress": has_permission(request.user, "view_progress"),
    })


@permission("view_evaluation_results")
def round_export(request, pk, file_format):
    evaluation = _round(request, pk)
    if file_format not in CONTENT_TYPES:
        return HttpResponseBadRequest(_("“%(value)s” is not an export format; use csv or xlsx.") % {"value": file_format},
                                      content_type="text/plain; charset=utf-8")
    return table_response(f"evaluation-{evaluation.year}-{evaluation.stage}", services.RANKING_HEADER, services.ranking_rows(evaluation),
                          file_format, notice=demo_notice() if evaluation.is_demo else None)


@permission("view_evaluation_results")
def result_detail(request, pk, code):
    evaluation = _round(request, pk)
    result = _result(request, evaluation, code)
    labels = dimension_labels()
    own = has_permission(request.user, "view_own_evaluation", result)
    findings = scope(Finding.objects.filter(round=evaluation, region=result.region), request.user, "view_own_evaluation") if own else []
    follow_ups = scope(FollowUp.objects.filter(answered_in=evaluation, recommendation__region=result.region),
                       request.user, "view_own_evaluation").select_related("recommendation") if own else []
    can_manage = has_permission(request.user, "manage_evaluation")
    return render(request, "evaluation/result_detail.html", {
        "evaluation": evaluation, "result": result, "explanation": services.explain(result), "own": own,
        "findings": findings, "follow_ups": follow_ups, "can_manage": can_manage,
        "chart": score_chart([labels[d] for d in DIMENSIONS], [getattr(result, d) for d in DIMENSIONS], title=_("Scores")),
        "correction_form": CorrectionForm(result=result) if can_manage else None,
        "finding_form": FindingForm() if can_manage and not evaluation.is_published else None,
        "objection_form": ObjectionForm() if evaluation.objections_open() and has_permission(request.user, "file_objection", result) else None,
        "corrections": result.corrections.select_related("by") if can_manage or own else [],
        "demo_notice": demo_notice() if evaluation.is_demo else None,
    })


@permission("view_own_evaluation")
def result_letter(request, pk, code):
    from .letters import letter_pdf

    evaluation = _round(request, pk, "view_own_evaluation")
    result = _result(request, evaluation, code, "view_own_evaluation")
    response = HttpResponse(letter_pdf(result), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="evaluation-{evaluation.year}-{evaluation.stage}-{code}.pdf"'
    return response


@permission("manage_evaluation")
def import_results(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        weights = form.cleaned_data["weights"]
        try:
            report = services.import_results(form.cleaned_data["file"], year=form.cleaned_data["year"], stage=form.cleaned_data["stage"],
                                             weights=weights.version if weights else None, user=request.user)
        except TableError as exc:
            errors = [str(error) for error in exc.errors]
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Imported %(count)s results; %(flagged)s published indices differ from the recomputed ones by more than 0.01.")
                             % {"count": len(report.rows), "flagged": len(report.flagged)})
            return redirect("evaluation:round", pk=report.round.pk)
    return render(request, "evaluation/import.html", {"form": form, "errors": errors}, status=400 if errors else 200)


def _post_and_return(request, evaluation, work, success):
    try:
        work()
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, success)


@require_POST
@permission("manage_evaluation")
def round_weights(request, pk):
    evaluation = _round(request, pk, "manage_evaluation")
    form = WeightsForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a weight set."), content_type="text/plain; charset=utf-8")
    _post_and_return(request, evaluation, lambda: services.set_weights(evaluation, form.cleaned_data["weights"], user=request.user),
                     _("The weight set is changed."))
    return redirect("evaluation:round", pk=pk)


@require_POST
@permission("manage_evaluation")
def round_publish(request, pk):
    evaluation = _round(request, pk, "manage_evaluation")
    form = PublishForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Check the dates."), content_type="text/plain; charset=utf-8")
    _post_and_return(request, evaluation, lambda: services.publish_round(evaluation, user=request.user, **form.cleaned_data),
                     _("The results are published."))
    return redirect("evaluation:round", pk=pk)


@require_POST
@permission("manage_evaluation")
def round_verification(request, pk):
    """Start the verification: the panel, its assignments from the assessor pool, scoring open."""
    evaluation = _round(request, pk, "manage_evaluation")
    form = VerificationForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("evaluation:round", pk=pk)
    _post_and_return(request, evaluation, lambda: services.start_verification(evaluation, user=request.user, **form.cleaned_data),
                     _("The verification panel is assigned; the assessors can score."))
    return redirect("evaluation:round", pk=pk)


def _form_errors(request, form):
    for field, errors in form.errors.items():
        for error in errors:
            messages.error(request, f"{form.fields[field].label}: {error}" if field in form.fields else error)


@require_POST
@permission("manage_evaluation")
def round_interview(request, pk):
    """Schedule a region's verification interview, entered in the region's local time."""
    from django.utils import timezone as django_timezone

    evaluation = _round(request, pk, "manage_evaluation")
    form = InterviewForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("evaluation:round", pk=pk)
    region = evaluation.regions.filter(code=form.cleaned_data["region"].strip()).first()
    if region is None:
        messages.error(request, _("Region code: %(code)s is not in this round.") % {"code": form.cleaned_data["region"]})
        return redirect("evaluation:round", pk=pk)
    # The form reads the time in the site's zone; the ministry typed the region's wall-clock time.
    local = django_timezone.make_naive(form.cleaned_data["starts_at"]) if django_timezone.is_aware(form.cleaned_data["starts_at"]) else form.cleaned_data["starts_at"]
    _post_and_return(request, evaluation, lambda: services.schedule_interview(
        evaluation, region, starts_at=local, room=form.cleaned_data["room"], video_link=form.cleaned_data["video_link"]),
        _("The interview is scheduled."))
    return redirect("evaluation:round", pk=pk)


@require_POST
@permission("manage_evaluation")
def round_verification_results(request, pk):
    """Compute the round's results from the verification panel's submitted scores."""
    evaluation = _round(request, pk, "manage_evaluation")
    _post_and_return(request, evaluation, lambda: services.store_verification_results(evaluation, user=request.user),
                     _("The results are computed from the submitted verification scores."))
    return redirect("evaluation:round", pk=pk)


@require_POST
@permission("manage_evaluation")
def result_correct(request, pk, code):
    evaluation = _round(request, pk, "manage_evaluation")
    result = _result(request, evaluation, code, "manage_evaluation")
    form = CorrectionForm(request.POST, result=result)
    if form.is_valid():
        scores = {d: form.cleaned_data[d] for d in DIMENSIONS}
        _post_and_return(request, evaluation, lambda: services.correct_result(result, scores, reason=form.cleaned_data["reason"], user=request.user),
                         _("The result is corrected; the ranks follow."))
    else:
        messages.error(request, _("Give valid scores and the reason for the correction."))
    return redirect("evaluation:result", pk=pk, code=code)


@require_POST
@permission("manage_evaluation")
def result_finding(request, pk, code):
    evaluation = _round(request, pk, "manage_evaluation")
    result = _result(request, evaluation, code, "manage_evaluation")
    form = FindingForm(request.POST)
    if form.is_valid():
        _post_and_return(request, evaluation, lambda: services.add_finding(evaluation, result.region, form.cleaned_data["kind"],
                                                                           form.cleaned_data["text"], user=request.user),
                         _("The finding is recorded."))
    return redirect("evaluation:result", pk=pk, code=code)


@require_POST
@permission("file_objection")
def result_objection(request, pk, code):
    evaluation = _round(request, pk)
    result = _result(request, evaluation, code, "file_objection")
    form = ObjectionForm(request.POST)
    if form.is_valid():
        _post_and_return(request, evaluation, lambda: services.file_objection(result, form.cleaned_data["text"], user=request.user),
                         _("Your objection is recorded."))
    return redirect("evaluation:result", pk=pk, code=code)


@permission("answer_follow_up")
def follow_up(request, pk):
    item = scope(FollowUp.objects.filter(pk=pk), request.user, "answer_follow_up").select_related(
        "recommendation__region", "recommendation__round__round", "answered_in__round").first()
    if item is None:
        raise Http404(_("There is no such follow-up item."))
    form = FollowUpForm(request.POST or None, request.FILES or None, initial={"status": item.status, "note": item.note})
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_follow_up(item, status=form.cleaned_data["status"], note=form.cleaned_data["note"],
                                      evidence=form.cleaned_data["evidence"], user=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Your answer is recorded."))
            return redirect("evaluation:follow-up", pk=pk)
    return render(request, "evaluation/follow_up.html", {"item": item, "form": form, "errors": errors}, status=400 if errors else 200)


@permission("view_own_evaluation")
def follow_up_evidence(request, pk):
    """The evidence of a follow-up answer: the ministry and the region's operators."""
    item = get_object_or_404(scope(FollowUp.objects.all(), request.user, "view_own_evaluation"), pk=pk)
    return stored_attachment(item.evidence)


@permission("score_candidates")
def my_verifications(request):
    """An assessor's verifications of evaluation rounds, by interview: the session's time in the
    region's time zone, where, and whether the scores are submitted."""
    from kotacerdas.assessment.models import PanelAssignment, Session

    assignments = list(scope(PanelAssignment.objects.filter(panel__phase__isnull=True), request.user, "score_candidates")
                       .select_related("panel__round", "region"))
    sessions = {(s.panel_id, s.region_id): s for s in Session.objects.filter(
        panel__in={a.panel_id for a in assignments}, region__in={a.region_id for a in assignments}).select_related("region")}
    rows = sorted(((a, sessions.get((a.panel_id, a.region_id))) for a in assignments),
                  key=lambda row: (row[1] is None, row[1].starts_at if row[1] else None, -row[0].panel.round.year, row[0].region.code))
    return render(request, "evaluation/my_verifications.html", {"rows": rows})


@permission("score_candidates")
def verification(request, pk):
    """An assessor scores a region of an evaluation round on the assessment engine, reading its
    previous result and how it followed up the previous recommendations (for the Baseline)."""
    from kotacerdas.assessment.models import PanelAssignment
    from kotacerdas.assessment.services import AssessmentRefused
    from kotacerdas.assessment.services.score_sheets import save_scores

    assignment = scope(PanelAssignment.objects.filter(pk=pk, panel__phase__isnull=True), request.user, "score_candidates").select_related(
        "panel__round__evaluation", "region").first()
    if assignment is None:
        raise Http404(_("There is no such verification."))
    evaluation = assignment.panel.round.evaluation
    aspects = list(assignment.panel.aspects.all())
    errors = []
    if request.method == "POST":
        values = {a.pk: (request.POST.get(f"aspect-{a.pk}", ""), request.POST.get(f"comment-{a.pk}", "")) for a in aspects}
        try:
            save_scores(assignment, values, user=request.user, submit=bool(request.POST.get("submit")))
        except (AssessmentRefused, ValidationError) as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("Your scores are saved."))
            return redirect("evaluation:verification", pk=pk)
    own = {score.aspect_id: score for score in assignment.scores.all()}
    return render(request, "evaluation/verification.html", {
        "assignment": assignment, "evaluation": evaluation, "errors": errors,
        "rows": [(aspect, own.get(aspect.pk)) for aspect in aspects], "levels": range(0, 6),
        "baseline": services.baseline_context(evaluation, assignment.region),
        "demo_notice": demo_notice() if evaluation.is_demo else None,
    }, status=400 if errors else 200)


@permission("view_progress")
def round_progress(request, pk):
    """Agency progress of the round's regions: the implementation ratio per smart city dimension
    of each adopted plan, and the regions without an adopted plan flagged (ministry: every region
    in scope; operators and mentors: their regions)."""
    from .progress import round_progress as progress_of, visible_region_ids

    evaluation = get_object_or_404(EvaluationRound.objects.select_related("round", "weight_set"), pk=pk)
    region_ids = visible_region_ids(request.user, evaluation)
    if not region_ids and not has_permission(request.user, "manage_evaluation"):
        raise Http404(_("None of your regions is in this evaluation round."))
    rows = progress_of(evaluation, region_ids)
    return render(request, "evaluation/progress.html", {
        "evaluation": evaluation, "rows": rows, "without_plan": [row for row in rows if not row.has_plan],
        "dimension_names": [d.name for d in next((row.dimensions for row in rows if row.has_plan), [])],
        "demo_notice": demo_notice() if evaluation.is_demo else None,
    })

