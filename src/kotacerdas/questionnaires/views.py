"""Questionnaire pages: the ministry's forms, attachment to phases, progress and review; a
region operator's questionnaires and the filling page (htmx saves while typing; a plain form
post without JavaScript)."""

import io
import re
import zipfile
import zoneinfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts.permissions import permission, scope
from kotacerdas.lib.export import CONTENT_TYPES, refuse_format
from kotacerdas.lib.files import attachment
from kotacerdas.regions.models import Region

from . import exports, services
from .models import FormAssignment, Evidence, Form, Submission, SubmissionStatus
from .forms import AttachForm, ExtensionForm, ImportForm
from .logic import split_key, to_geojson
from .rendering import language_of, layout, location_map, machine_decimal
from .xlsform import ANSWERED_TYPES, FormError


def _language():
    return translation.get_language() or "id"


# --- the ministry ----------------------------------------------------------------------------


@permission("manage_forms")
def form_list(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    faults = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        files = {attachment.name.rsplit("/", 1)[-1]: attachment.read() for attachment in form.cleaned_data["attachments"]}
        try:
            version = services.import_form(upload.read(), upload.name, user=request.user, files=files)
        except FormError as exc:
            faults = exc.faults
        else:
            messages.success(request, _("“%(title)s” imported as version %(number)s with %(count)s questions.") % {
                "title": version.title, "number": version.number, "count": version.question_count})
            for warning in version.definition.get("warnings", []):
                messages.warning(request, warning)
            return redirect("questionnaires:form", pk=version.form_id)
    forms_ = Form.objects.prefetch_related("versions", "assignments__phase")
    return render(request, "questionnaires/form_list.html", {"forms": forms_, "import_form": form, "faults": faults})


@permission("manage_forms")
def form_detail(request, pk):
    questionnaire = get_object_or_404(Form, pk=pk)
    attach = AttachForm(request.POST or None)
    if request.method == "POST" and attach.is_valid():
        data = attach.cleaned_data
        try:
            services.attach_form(questionnaire, data["phase"], data["stage"], data["opens_at"], data["closes_at"])
        except ValidationError as exc:
            for message in exc.messages:
                attach.add_error(None, message)
        else:
            messages.success(request, _("The form is attached to %(phase)s.") % {"phase": data["phase"]})
            return redirect("questionnaires:form", pk=pk)
    versions = questionnaire.versions.all()
    return render(request, "questionnaires/form_detail.html", {
        "questionnaire": questionnaire, "versions": versions, "attach": attach,
        "assignments": questionnaire.assignments.select_related("phase"),
    })


@permission("manage_forms")
def form_xlsform(request, pk):
    """The form as XLSForm, regenerated from the stored definition of its newest version (or of
    ``?version=N``): an .xlsx, or a ZIP with its CSV files when it has some."""
    questionnaire = get_object_or_404(Form, pk=pk)
    versions = questionnaire.versions.all()
    number = request.GET.get("version")
    version = get_object_or_404(versions, number=number) if number and number.isdigit() else versions.order_by("-number").first()
    if version is None:
        raise Http404(_("This form has no version."))
    content, files = services.xlsform_of(version)
    name = f"{questionnaire.form_id}-v{version.number}"
    if files:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{name}.xlsx", content)
            for file_name, data in files.items():
                archive.writestr(file_name, data)
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
        return response
    response = HttpResponse(content, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _local(region, moment):
    """``moment`` as the region reads it: its own zone (WIB, WITA or WIT)."""
    return timezone.localtime(moment, zoneinfo.ZoneInfo(region.iana_time_zone)).strftime("%Y-%m-%d %H:%M ") + region.time_zone


@permission("review_submissions")
def progress(request, pk):
    assignment = get_object_or_404(FormAssignment.objects.select_related("form", "phase"), pk=pk)
    extension = ExtensionForm(request.POST or None)
    if request.method == "POST" and extension.is_valid():
        region = Region.objects.filter(code=extension.cleaned_data["region"]).first()
        if region is None:
            extension.add_error("region", _("No region has this code."))
        else:
            # The time typed is the region's own local time (WIB, WITA or WIT).
            local = timezone.make_aware(extension.cleaned_data["closes_at"].replace(tzinfo=None), zoneinfo.ZoneInfo(region.iana_time_zone))
            try:
                services.extend_deadline(assignment, region, local, user=request.user, reason=extension.cleaned_data["reason"])
            except ValidationError as exc:
                extension.add_error("closes_at", exc.messages[0])
            else:
                messages.success(request, _("%(region)s may now submit until %(time)s.") % {"region": region.name, "time": local.strftime("%Y-%m-%d %H:%M") + " " + region.time_zone})
                return redirect("questionnaires:progress", pk=pk)
    rows = [
        {"region": region, "status": status, "status_label": SubmissionStatus(status).label, "submission": submission,
         "closes_at": _local(region, assignment.closes_at_for(region))}
        for region, status, submission in services.progress(assignment)
    ]
    counts = {}
    for row in rows:
        counts[row["status_label"]] = counts.get(row["status_label"], 0) + 1
    return render(request, "questionnaires/progress.html", {"assignment": assignment, "rows": rows, "counts": counts, "extension": extension})


@permission("review_submissions")
def export(request, pk, file_format):
    assignment = get_object_or_404(FormAssignment.objects.select_related("form", "phase"), pk=pk)
    if (refused := refuse_format(file_format, ("xlsx", "csv", "json"))):
        return refused
    return exports.export_response(assignment, file_format, _language(), base_url=request.build_absolute_uri("/").rstrip("/"))


@permission("review_submissions")
def evidence_zip(request, pk):
    submission = get_object_or_404(scope(Submission.objects.select_related("region", "assignment__form"), request.user, "review_submissions"), pk=pk)
    return exports.evidence_zip_response(submission)


@permission("review_submissions")
def review(request, pk):
    submission = get_object_or_404(
        scope(Submission.objects.select_related("region", "assignment__form", "assignment__phase", "version"), request.user, "review_submissions"), pk=pk
    )
    language = _language()
    if request.method == "POST":
        decision = request.POST.get("decision")
        try:
            if decision == "return":
                comments = {key[len("comment:"):]: value for key, value in request.POST.items() if key.startswith("comment:")}
                services.return_submission(submission, user=request.user, comments=comments, comment=request.POST.get("comment", ""))
                messages.success(request, _("The submission was returned to %(region)s.") % {"region": submission.region.name})
            elif decision == "accept":
                services.accept_submission(submission, user=request.user, comment=request.POST.get("comment", ""))
                messages.success(request, _("The submission of %(region)s was accepted.") % {"region": submission.region.name})
            else:
                return HttpResponseBadRequest(_("Choose to return or to accept."), content_type="text/plain; charset=utf-8")
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("questionnaires:review", pk=pk)
    evaluation = services.evaluate(submission, language=language_of(submission.version.definition, language))
    items = layout(submission, language, evaluation=evaluation, shown_issues=False)
    score = services.logic_of(submission.version).score({}, evaluation)
    return render(request, "questionnaires/review.html", {
        "submission": submission, "items": items, "score": score,
        "changes": submission.status_changes.select_related("by").prefetch_related("comments"),
    })


# --- region operators ------------------------------------------------------------------------


@permission("fill_questionnaire")
def my_questionnaires(request):
    assignments = scope(FormAssignment.objects.select_related("form", "phase"), request.user, "fill_questionnaire")
    regions = scope(Region.objects.all(), request.user, "fill_questionnaire").order_by("code")
    submissions = {(s.assignment_id, s.region_id): s for s in scope(Submission.objects.all(), request.user, "fill_questionnaire")}
    region_ids = {r.pk for r in regions}
    rows = []
    for assignment in assignments:
        for region in services.regions_for(assignment).filter(pk__in=region_ids):
            submission = submissions.get((assignment.pk, region.pk))
            status = submission.status if submission else SubmissionStatus.NOT_STARTED
            rows.append({"assignment": assignment, "region": region, "status_label": SubmissionStatus(status).label,
                         "closes_at": _local(region, assignment.closes_at_for(region)), "is_open": assignment.is_open_for(region)})
    return render(request, "questionnaires/my_questionnaires.html", {"rows": rows})


def _fill_target(request, pk, code):
    """The questionnaire and region an operator fills: 404 for anything outside their scope."""
    assignment = get_object_or_404(scope(FormAssignment.objects.select_related("form", "phase"), request.user, "fill_questionnaire"), pk=pk)
    region = get_object_or_404(scope(Region.objects.all(), request.user, "fill_questionnaire"), code=code)
    if not services.regions_for(assignment).filter(pk=region.pk).exists():
        raise Http404(_("This questionnaire is not open to this region."))
    return assignment, region


def posted_value(element, post, key):
    """The answer the page posted for ``key``, in the form it is stored: choice names joined
    by spaces, a decimal with the decimal point ("70,5" typed in Indonesian is "70.5"), a location as GeoJSON (from latitude, longitude and accuracy fields, or from
    "lat lon" lines for a line or a shape). What cannot be read is kept as typed, so that the
    check names it."""
    kind = element["type"]
    if kind in ("select_multiple", "rank"):
        return " ".join(v for v in post.getlist("a:" + key) if v)
    if kind == "geopoint":
        lat, lon, accuracy = (post.get(f"a:{key}:{part}", "").strip().replace(",", ".") for part in ("lat", "lon", "acc"))
        if not lat and not lon:
            return ""
        try:
            return to_geojson(kind, [(float(lat), float(lon))], float(accuracy) if accuracy else None)
        except ValueError:
            return f"{lat} {lon}".strip()
    if kind in ("geotrace", "geoshape"):
        text = post.get("a:" + key, "").strip()
        if not text:
            return ""
        try:
            points = [tuple(float(v) for v in line.replace(",", " ").split()[:2]) for line in re.split(r"[;\n]", text) if line.strip()]
            return to_geojson(kind, points) if all(len(p) == 2 for p in points) else text
        except ValueError:
            return text
    if kind == "decimal":
        return machine_decimal(post.get("a:" + key, ""))
    return post.get("a:" + key, "").strip()


def changes_from_post(post, submission):
    """{key: (value, base revision)} of the answers the page changed (its value differs from
    the one it was shown with); repeat buttons add or remove an instance."""
    logic = services.logic_of(submission.version)
    changes = {}
    for field_name in post:
        if not field_name.startswith("orig:"):
            continue
        key = field_name[len("orig:"):]
        element = logic.elements.get(split_key(key)[0])
        if element is None or element["type"] in services.NOT_TYPED | {"note", "group", "repeat"}:
            continue
        value = posted_value(element, post, key)
        if value != post.get(field_name, ""):
            changes[key] = (value, _int(post.get("rev:" + key)))
    for button, step in (("repeat_add", 1), ("repeat_remove", -1)):
        key = post.get(button)
        if key and logic.elements.get(split_key(key)[0], {}).get("type") == "repeat":
            count = _int(post.get("count:" + key)) or 0
            changes[key] = (str(max(0, count + step)), _int(post.get("rev:" + key)))
    return changes


def _device(request):
    return request.META.get("HTTP_USER_AGENT", "")


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@permission("fill_questionnaire")
def fill(request, pk, code):
    assignment, region = _fill_target(request, pk, code)
    language = _language()
    submission = Submission.objects.filter(assignment=assignment, region=region).select_related("version", "region", "assignment").first()
    if submission is None:
        if request.method != "POST":
            return render(request, "questionnaires/start.html", {"assignment": assignment, "region": region,
                          "closes_at": _local(region, assignment.closes_at_for(region)), "is_open": assignment.is_open_for(region)})
        if not assignment.is_open_for(region):
            messages.error(request, _("This questionnaire is closed for your region."))
            return redirect("questionnaires:fill", pk=pk, code=code)
        submission = services.start_submission(assignment, region, user=request.user, device=_device(request))
        return redirect("questionnaires:fill", pk=pk, code=code)
    if request.method == "POST" and request.htmx:
        return _save_while_filling(request, assignment, region, submission, language)
    conflicts, errors_shown, saved = [], False, None
    if request.method == "POST":
        try:
            result = services.save_answers(submission, changes_from_post(request.POST, submission), user=request.user, device=_device(request))
            conflicts, saved = result.conflicts, dict(result.saved)
            # Files chosen beside media questions travel with a whole-page save.
            for field_name, upload in request.FILES.items():
                if field_name.startswith("file:"):
                    services.add_evidence(submission, field_name[len("file:"):], upload, user=request.user)
                    saved[field_name[len("file:"):]] = True
            if request.POST.get("action") == "submit" and not conflicts:
                services.submit(submission, user=request.user, language=language_of(submission.version.definition, language))
                messages.success(request, _("The questionnaire was submitted. Thank you."))
                return redirect("questionnaires:fill", pk=pk, code=code)
        except services.SubmissionInvalid as exc:
            messages.error(request, exc.messages[0])
            errors_shown = True
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        if not conflicts and not errors_shown:
            if saved:
                messages.success(request, _("Your answers were saved."))
            return redirect("questionnaires:fill", pk=pk, code=code)
        submission.refresh_from_db()
    items = layout(submission, language)
    if not errors_shown:
        _hide_unanswered_problems(items)
    context = {
        "assignment": assignment, "region": region, "submission": submission, "items": items,
        "conflicts": _conflicts(conflicts, items),
        "closes_at": _local(region, assignment.closes_at_for(region)), "editable": _editable(submission, assignment, region),
        "saved": saved, "max_mb": round(services.evidence_max_bytes() / 1024 / 1024, 1), "location_map": location_map(region, items),
        "comment_change": services.latest_comments(submission)[1] if submission.status == SubmissionStatus.RETURNED else None,
    }
    return render(request, "questionnaires/fill.html", context)


def _hide_unanswered_problems(items):
    """Problems show while typing only for answers given; the required ones on submitting."""
    for item in items:
        if not item.get("value"):
            item["errors"] = []


def _editable(submission, assignment, region):
    return submission.is_editable and assignment.is_open_for(region)


def _conflicts(conflicts, items):
    return [{"key": c.key, "mine": c.mine, "theirs": c.theirs, "label": _label(items, c.key)} for c in conflicts]


def _save_while_filling(request, assignment, region, submission, language):
    """An htmx save (typing or a change): save what differs from what the page was shown with
    and answer with fragments swapped out of band: the save state; the saved answers' new
    revisions; problems, labels and hints that changed; whole questions whose relevance changed
    and those in conflict (theirs is shown, with both values in the notice). The field being
    typed in stays as it is."""
    before = layout(submission, language)
    result, problem = services.SaveResult(), ""
    try:
        result = services.save_answers(submission, changes_from_post(request.POST, submission), user=request.user, device=_device(request))
    except ValidationError as exc:
        problem = " ".join(exc.messages)
    submission.refresh_from_db()
    after = layout(submission, language)
    _hide_unanswered_problems(before)
    _hide_unanswered_problems(after)
    previous = {item["key"]: item for item in before}
    conflicted = {c.key for c in result.conflicts}
    blocks, states, labels, errors = [], [], [], []
    for item in after:
        old = previous.get(item["key"])
        if old is None or old["type"] != item["type"] or item["type"] == "calculate":
            continue  # new elements (repeat instances) come with a whole page
        if item["key"] in conflicted or old["relevant"] != item["relevant"] or _choice_names(old) != _choice_names(item):
            # A cascading select (choice_filter) whose choices changed comes back whole.
            blocks.append(item)
        elif item["type"] not in ANSWERED_TYPES:
            if (old["label"], old.get("hint"), old.get("count")) != (item["label"], item.get("hint"), item.get("count")):
                blocks.append(item)
        else:
            if item["key"] in result.saved:
                states.append(item)
            if (old["label"], old["hint"]) != (item["label"], item["hint"]):
                labels.append(item)
            if item["key"] in result.saved or old["errors"] != item["errors"]:
                errors.append(item)
    changed = bool(result.saved or result.conflicts)
    return render(request, "questionnaires/fill_saved.html", {"location_map": location_map(region, blocks),
        "assignment": assignment, "region": region, "submission": submission,
        "editable": _editable(submission, assignment, region),
        "show_state": changed or bool(problem), "saved": result.saved, "save_problem": problem,
        "show_conflicts": changed, "conflicts": _conflicts(result.conflicts, after),
        "blocks": blocks, "states": states, "labels": labels, "errors": errors,
    })


def _choice_names(item):
    return [choice["name"] for choice in item.get("choices", [])]


def _label(items, key):
    return next((item["label"] for item in items if item.get("key") == key), key)


@require_POST
@permission("fill_questionnaire")
def evidence_upload(request, pk, code):
    assignment, region = _fill_target(request, pk, code)
    submission = get_object_or_404(Submission, assignment=assignment, region=region)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            services.add_evidence(submission, request.POST.get("key", ""), upload, user=request.user)
            messages.success(request, _("“%(name)s” was attached.") % {"name": upload.name})
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    return redirect("questionnaires:fill", pk=pk, code=code)


@permission("view_evidence")
def evidence_download(request, pk):
    evidence = get_object_or_404(scope(Evidence.objects.all(), request.user, "view_evidence"), pk=pk)
    return attachment(evidence.file.open("rb"), evidence.original_name, evidence.content_type)
