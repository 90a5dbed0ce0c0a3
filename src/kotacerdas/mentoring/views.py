"""Pages of the mentoring stage: the ministry's cohort (mentors, assignment, swaps, training,
Bimtek schedule), the board, each region's mentoring (outputs, attendance, notes), the region's
institutions, and the calendar feeds. Each view checks its action, calls a service, renders."""

import zoneinfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.lib.files import stored_attachment
from kotacerdas.accounts.permissions import has_permission, permission, roles_of, scope
from kotacerdas.lib.export import CONTENT_TYPES, table_response
from kotacerdas.lib.tabular import TableError
from kotacerdas.program.models import ParticipationStatus, Phase
from kotacerdas.regions.models import Agency, Region

from . import services
from .forms import AttendanceForm, ScheduleForm, TrainingForm, errors_of
from .calendar import mentor_calendar, region_calendar
from .models import (
    Attendance,
    Bimtek,
    Cohort,
    CouncilMember,
    CouncilPosition,
    ImplementationTeam,
    Council,
    ForumMeeting,
    Mentor,
    MentorAssignment,
    MentorNote,
    OutputUpload,
    RequiredOutput,
    Sector,
    TeamMember,
    TeamRole,
)
from .scoping import region_ids_for


def _refused(request, exc):
    messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))


def _demo_notice(phase):
    return _("Demo phase: everything here is invented for demonstration.") if phase.is_demo else None


def _cohort(year):
    return get_object_or_404(Cohort.objects.select_related("phase"), phase__year=year)


def _reachable_region(request, cohort, code, action="view_mentoring"):
    """The region ``code`` of the cohort if the user reaches it (404 otherwise, as if it did not
    exist); a region the phase did not select is refused with a clear message (404 page)."""
    region = get_object_or_404(Region.objects.select_related("province"), code=code)
    ids = region_ids_for(request.user, roles_of(request.user))
    if ids is not None and region.pk not in ids:
        raise Http404(_("No such region in your mentoring."))
    try:
        services.check_in_cohort(cohort, region)
    except ValidationError as exc:
        raise Http404(" ".join(exc.messages)) from exc
    return region


# --- everyone's start: cohorts, or my regions ----------------------------------------------------


@permission("view_mentoring")
def mentoring_home(request):
    roles = roles_of(request.user)
    if request.method == "POST":
        if not has_permission(request.user, "manage_mentoring"):
            raise Http404
        phase = get_object_or_404(Phase, year=request.POST.get("year") or 0)
        try:
            services.ensure_cohort(phase, user=request.user)
        except ValidationError as exc:
            _refused(request, exc)
            return redirect("mentoring:home")
        return redirect("mentoring:cohort", year=phase.year)
    cohorts = Cohort.objects.select_related("phase")
    ids = region_ids_for(request.user, roles)
    mine = []
    if ids is not None:
        mine = list(
            MentorAssignment.objects.filter(region_id__in=ids, ended_at__isnull=True)
            .select_related("cohort__phase", "region", "mentor__user")
            .order_by("-cohort__phase__year", "region__code")
        )
        # An operator's region in a cohort, whether or not it has a mentor yet.
        mine_regions = {(a.cohort.phase.year, a.region.code): a for a in mine}
        for cohort in cohorts:
            for region in services.cohort_regions(cohort.phase).filter(pk__in=ids):
                mine_regions.setdefault((cohort.phase.year, region.code), None)
        mine = sorted(mine_regions)
    open_phases = (
        Phase.objects.filter(cohort__isnull=True, participations__status=ParticipationStatus.SELECTED).distinct().order_by("year")
        if has_permission(request.user, "manage_mentoring") else []
    )
    return render(
        request, "mentoring/home.html",
        {"cohorts": cohorts if ids is None else [], "mine": mine, "open_phases": open_phases,
         "mentor": Mentor.objects.filter(user=request.user).first()},
    )


# --- the ministry's cohort -----------------------------------------------------------------------


def _mentor(request, key="mentor"):
    return get_object_or_404(Mentor.objects.select_related("user", "institution"), pk=request.POST.get(key) or 0)


@permission("manage_mentoring")
def cohort_detail(request, year):
    cohort = _cohort(year)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "assign":
                created = services.assign_mentors(cohort, user=request.user)
                messages.success(request, _("%(count)s mentor assignments made.") % {"count": len(created)})
            elif action == "swap":
                assignment = get_object_or_404(MentorAssignment, cohort=cohort, pk=request.POST.get("assignment") or 0)
                services.swap_mentor(assignment, _mentor(request), reason=request.POST.get("reason", ""), user=request.user)
                messages.success(request, _("The mentor is replaced."))
            elif action == "training":
                form = TrainingForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(errors_of(form))
                mentors = Mentor.objects.filter(pk__in=request.POST.getlist("attendees"))
                services.record_training(cohort, mentors=mentors, user=request.user, **form.cleaned_data)
                messages.success(request, _("The training of trainers is recorded."))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as exc:
            _refused(request, exc)
        else:
            return redirect("mentoring:cohort", year=year)
    assignments = (
        MentorAssignment.objects.filter(cohort=cohort).select_related("region", "mentor__user", "mentor__institution")
        .order_by("region__code", "ended_at")
    )
    return render(
        request, "mentoring/cohort.html",
        {
            "cohort": cohort, "phase": cohort.phase, "regions": services.cohort_regions(cohort.phase),
            "assignments": assignments, "mentors": Mentor.objects.select_related("user", "institution"),
            "bimteks": cohort.bimteks.all(), "trainings": cohort.trainings.prefetch_related("attendees__user"),
            "demo_notice": _demo_notice(cohort.phase),
        },
    )


@permission("manage_mentoring")
def bimtek_schedule(request, year, number):
    cohort = _cohort(year)
    bimtek = get_object_or_404(Bimtek.objects.select_related("cohort"), cohort=cohort, number=number)
    if request.method == "POST":
        form = ScheduleForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(errors_of(form))
            values = dict(form.cleaned_data)
            values["title"] = values["title"] or None
            values["regions"] = list(Region.objects.filter(code__in=request.POST.getlist("regions")))
            values["mentors"] = list(Mentor.objects.filter(pk__in=request.POST.getlist("mentors")))
            services.schedule_bimtek(bimtek, user=request.user, **values)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("%(bimtek)s is scheduled.") % {"bimtek": bimtek})
            return redirect("mentoring:cohort", year=year)
    return render(
        request, "mentoring/bimtek.html",
        {
            "cohort": cohort, "bimtek": bimtek, "demo_notice": _demo_notice(cohort.phase),
            "cohort_regions": services.cohort_regions(cohort.phase),
            "cohort_mentors": Mentor.objects.filter(assignments__cohort=cohort, assignments__ended_at__isnull=True).select_related("user").distinct(),
            "chosen_regions": set(bimtek.regions.values_list("pk", flat=True)),
            "chosen_mentors": set(bimtek.mentors.values_list("pk", flat=True)),
        },
    )


# --- the board -----------------------------------------------------------------------------------


@permission("view_mentoring")
def board(request, year):
    cohort = _cohort(year)
    ids = region_ids_for(request.user, roles_of(request.user))
    mentor = Mentor.objects.filter(pk=request.GET.get("mentor") or 0).first() if request.GET.get("mentor") else None
    province = Region.objects.provinces().filter(code=request.GET.get("province", "")).first() if request.GET.get("province") else None
    bimteks, rows = services.board(cohort, mentor=mentor, province=province, region_ids=ids)
    file_format = request.GET.get("format", "")
    if file_format in CONTENT_TYPES:
        header, table = services.board_table(cohort, rows, bimteks)
        notice = _demo_notice(cohort.phase)
        return table_response(f"mentoring-{year}", header, table, file_format, notice=notice)
    return render(
        request, "mentoring/board.html",
        {
            "cohort": cohort, "phase": cohort.phase, "bimteks": bimteks, "rows": rows,
            "mentors": Mentor.objects.filter(assignments__cohort=cohort).select_related("user").distinct(),
            "provinces": Region.objects.provinces().filter(pk__in=services.cohort_regions(cohort.phase).values("province")),
            "mentor": mentor, "province": province, "demo_notice": _demo_notice(cohort.phase),
        },
    )


# --- a region's mentoring ------------------------------------------------------------------------


@permission("view_mentoring")
def region_mentoring(request, year, code):
    cohort = _cohort(year)
    region = _reachable_region(request, cohort, code)
    if request.method == "POST":
        action = request.POST.get("action")
        bimtek = get_object_or_404(Bimtek, cohort=cohort, pk=request.POST.get("bimtek") or 0)
        needed = {"upload": "upload_outputs", "attend": "record_attendance", "import": "record_attendance", "note": "write_mentor_notes"}
        if action not in needed or not has_permission(request.user, needed[action]):
            raise Http404(_("You cannot do this here."))
        try:
            if action == "upload":
                output = get_object_or_404(RequiredOutput, bimtek=bimtek, pk=request.POST.get("output") or 0)
                upload = services.upload_output(output, region, request.FILES.get("file"), user=request.user)
                messages.success(request, _("Version %(version)s of “%(output)s” is uploaded.") % {"version": upload.version, "output": output})
            elif action == "attend":
                form = AttendanceForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(errors_of(form))
                services.record_attendance(bimtek, region, user=request.user, **form.cleaned_data)
                messages.success(request, _("The attendance is recorded."))
            elif action == "import":
                upload = request.FILES.get("file")
                if upload is None:
                    raise ValidationError(_("Choose a file to import."))
                count = services.import_attendance(bimtek, upload, region=region, name=upload.name, user=request.user)
                messages.success(request, _("%(count)s attendees imported.") % {"count": count})
            else:
                services.write_note(
                    bimtek, region, request.user, done=request.POST.get("done", ""),
                    due=request.POST.get("due", ""), risks=request.POST.get("risks", ""),
                )
                messages.success(request, _("The note is saved."))
        except TableError as exc:
            for error in exc.errors:
                messages.error(request, str(error))
        except ValidationError as exc:
            _refused(request, exc)
        else:
            return redirect("mentoring:region", year=year, code=code)
    bimteks, rows = services.board(cohort, region_ids={region.pk})
    cells = {cell.bimtek.pk: cell for cell in rows[0].cells} if rows else {}
    uploads = {}
    for upload in OutputUpload.objects.filter(output__bimtek__cohort=cohort, region=region).select_related("uploaded_by"):
        uploads.setdefault(upload.output_id, []).append(upload)
    notes = scope(MentorNote.objects.filter(bimtek__cohort=cohort, region=region), request.user, "view_mentoring").select_related("author")
    notes_by_bimtek = {}
    for note in notes:
        notes_by_bimtek.setdefault(note.bimtek_id, []).append(note)
    attendance = {}
    for row in Attendance.objects.filter(bimtek__cohort=cohort, region=region):
        attendance.setdefault(row.bimtek_id, []).append(row)
    sections = [
        {
            "bimtek": bimtek, "cell": cells.get(bimtek.pk),
            "outputs": [(output, uploads.get(output.pk, [])) for output in bimtek.outputs.all()],
            "notes": notes_by_bimtek.get(bimtek.pk, []), "attendance": attendance.get(bimtek.pk, []),
        }
        for bimtek in bimteks
    ]
    return render(
        request, "mentoring/region.html",
        {
            "cohort": cohort, "phase": cohort.phase, "region": region, "sections": sections,
            "mentors": services.active_mentors(cohort, region),
            "can_upload": has_permission(request.user, "upload_outputs"),
            "can_attend": has_permission(request.user, "record_attendance"),
            "can_note": MentorAssignment.objects.filter(cohort=cohort, region=region, mentor__user=request.user, ended_at__isnull=True).exists(),
            "demo_notice": _demo_notice(cohort.phase),
        },
    )


@permission("view_mentoring")
def output_download(request, pk):
    upload = get_object_or_404(scope(OutputUpload.objects.all(), request.user, "view_mentoring"), pk=pk)
    return stored_attachment(upload.file)


@permission("view_mentoring")
def my_notes(request):
    """Every note the user may read: a replaced mentor still finds their own past notes here."""
    notes = scope(MentorNote.objects.all(), request.user, "view_mentoring").select_related("bimtek__cohort__phase", "region", "author")
    return render(request, "mentoring/notes.html", {"notes": notes[:500]})


# --- calendars ----------------------------------------------------------------------------------

ICS = "text/calendar; charset=utf-8"


@permission("view_mentor_calendar")
def mentor_feed(request, pk):
    mentor = get_object_or_404(Mentor.objects.select_related("user"), pk=pk)
    if "ministry" not in roles_of(request.user) and mentor.user_id != request.user.pk:
        raise Http404
    return HttpResponse(mentor_calendar(mentor).to_ical(), content_type=ICS)


@permission("view_public")
def region_feed(request, code):
    region = get_object_or_404(Region, code=code)
    return HttpResponse(region_calendar(region).to_ical(), content_type=ICS)


# --- the region's institutions --------------------------------------------------------------------


@permission("view_public")
def institutions_public(request, code):
    """Names and positions (from public decrees) of the region's council and team; no contact."""
    region = get_object_or_404(Region.objects.kabkota(), code=code)
    return render(request, "mentoring/institutions_public.html", {"region": region, **services.institutions_of(region)})


def _member(model, region, pk):
    if model is CouncilMember:
        return get_object_or_404(CouncilMember, council__region=region, pk=pk)
    return get_object_or_404(TeamMember, team__region=region, pk=pk)


@permission("manage_institutions")
def institutions_manage(request, code):
    region = get_object_or_404(scope(Region.objects.kabkota(), request.user, "manage_institutions"), code=code)
    if request.method == "POST":
        action = request.POST.get("action")
        post = request.POST
        agency = Agency.objects.filter(region=region, pk=post.get("agency") or 0).first()
        try:
            if action in ("council", "team"):
                services.save_decree(
                    Council if action == "council" else ImplementationTeam, region,
                    decree_number=post.get("decree_number", ""), decree_date=parse_date(post.get("decree_date", "") or ""),
                    decree_file=request.FILES.get("decree_file"), user=request.user,
                )
            elif action == "council_member":
                services.add_council_member(
                    region, name=post.get("name", ""), position=post.get("position", ""), agency=agency,
                    office=post.get("office", ""), email=post.get("email", ""), phone=post.get("phone", ""), user=request.user,
                )
            elif action == "team_member":
                services.add_team_member(
                    region, name=post.get("name", ""), role=post.get("role", ""), sector=post.get("sector", ""),
                    agency=agency, office=post.get("office", ""), email=post.get("email", ""), phone=post.get("phone", ""),
                    user=request.user,
                )
            elif action in ("remove_council_member", "remove_team_member"):
                model = CouncilMember if action == "remove_council_member" else TeamMember
                services.remove_member(_member(model, region, post.get("member") or 0), user=request.user)
            elif action == "secretariat":
                services.save_secretariat(
                    region, agency=agency, head=post.get("head", ""), address=post.get("address", ""),
                    email=post.get("email", ""), phone=post.get("phone", ""), user=request.user,
                )
            elif action == "forum":
                starts_at = parse_datetime(post.get("starts_at", "") or "")
                if starts_at is not None and starts_at.tzinfo is None:
                    # Typed on the page in the region's own time (WIB, WITA or WIT).
                    starts_at = starts_at.replace(tzinfo=zoneinfo.ZoneInfo(region.iana_time_zone))
                services.record_forum(
                    region, title=post.get("title", ""), starts_at=starts_at,
                    place=post.get("place", ""), attendees=post.get("attendees", ""), decisions=post.get("decisions", ""),
                    minutes=request.FILES.get("minutes"), user=request.user,
                )
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as exc:
            _refused(request, exc)
        except ValueError:
            messages.error(request, _("A date or time is not valid."))
        else:
            messages.success(request, _("Saved."))
            return redirect("mentoring:institutions", code=code)
    return render(
        request, "mentoring/institutions.html",
        {
            "region": region, **services.institutions_of(region), "agencies": region.agencies.all(),
            "positions": CouncilPosition.choices, "roles": TeamRole.choices, "sectors": Sector.choices,
        },
    )


@permission("manage_institutions")
def institution_file(request, code, kind):
    """The decree or minutes files are kept out of the public media URL: served by this page."""
    region = get_object_or_404(scope(Region.objects.kabkota(), request.user, "manage_institutions"), code=code)
    model = {"council": Council, "team": ImplementationTeam}.get(kind)
    if model is None:
        raise Http404
    return stored_attachment(get_object_or_404(model, region=region).decree_file)


@permission("manage_institutions")
def forum_minutes(request, code, pk):
    """A forum meeting's minutes: for the region's operator and the ministry only, like decrees."""
    region = get_object_or_404(scope(Region.objects.kabkota(), request.user, "manage_institutions"), code=code)
    return stored_attachment(get_object_or_404(ForumMeeting, region=region, pk=pk).minutes)
