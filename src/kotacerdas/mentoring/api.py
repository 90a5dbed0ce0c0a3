"""Mentoring through the API: a phase's cohort (regions, their mentors and each Bimtek's status),
a region's institutions (names and positions only: no contact details), and the writes the
pages make (assigning and swapping mentors, the training of trainers, scheduling a Bimtek,
attendance, notes, outputs; council and team members, decrees, the secretariat, forum meetings),
each through the same service function and permission action as its page.

Routers: ``cohort_router`` under /phases, ``institutions_router`` under /regions, ``router``
under /mentoring."""

import datetime
from typing import List, Optional

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from kotacerdas.accounts.permissions import ApiPermission, roles_of, scope
from kotacerdas.regions.models import Agency, Region

from . import services
from .models import Bimtek, Cohort, Council, CouncilMember, ImplementationTeam, Mentor, MentorAssignment, RequiredOutput, TeamMember
from .scoping import region_ids_for

cohort_router = Router(tags=["mentoring"])
institutions_router = Router(tags=["mentoring"])
router = Router(tags=["mentoring"])


class MentorOut(Schema):
    name: str
    institution: str


class CellOut(Schema):
    bimtek: int
    status: str = Field(..., description="done, outputs_missing, overdue, upcoming, not_scheduled or not_taking_part")
    missing_outputs: List[str]


class CohortRegionOut(Schema):
    code: str
    name: str
    province: Optional[str]
    mentors: List[MentorOut]
    bimtek: List[CellOut]
    behind_schedule: bool


class BimtekOut(Schema):
    id: int
    number: int
    title: str
    starts_on: Optional[datetime.date]
    ends_on: Optional[datetime.date]
    due_on: Optional[datetime.date]
    place: str
    video_link: str
    outputs: List[str]


class CohortOut(Schema):
    year: int
    is_demo: bool
    bimtek: List[BimtekOut]
    regions: List[CohortRegionOut]
    notice: Optional[str] = None


def _cohort(year):
    return get_object_or_404(Cohort.objects.select_related("phase"), phase__year=year)


def _bimtek_out(b):
    return {
        "id": b.pk, "number": b.number, "title": b.title, "starts_on": b.starts_on, "ends_on": b.ends_on,
        "due_on": b.due_date, "place": b.place, "video_link": b.video_link, "outputs": [str(o) for o in b.outputs.all()],
    }


def _cohort_out(cohort, user):
    bimteks, rows = services.board(cohort, region_ids=region_ids_for(user, roles_of(user)))
    result = {
        "year": cohort.phase.year, "is_demo": cohort.phase.is_demo,
        "bimtek": [_bimtek_out(b) for b in bimteks],
        "regions": [
            {
                "code": row.region.code, "name": row.region.name,
                "province": row.region.province.name if row.region.province else None,
                "mentors": [{"name": str(m), "institution": str(m.institution)} for m in row.mentors],
                "bimtek": [
                    {"bimtek": c.bimtek.number, "status": c.status, "missing_outputs": [str(o) for o in c.missing]}
                    for c in row.cells
                ],
                "behind_schedule": row.behind_schedule,
            }
            for row in rows
        ],
    }
    if cohort.phase.is_demo:
        result["notice"] = _("Demo data: this phase and everything in it are invented for demonstration, not real.")
    return result


@cohort_router.get(
    "/{year}/cohort", response=CohortOut, exclude_unset=True, auth=ApiPermission("view_mentoring"),
    summary="A phase's cohort: regions, mentors and each Bimtek's status (a mentor's or operator's own regions)",
)
def get_cohort(request, year: int):
    return _cohort_out(_cohort(year), request.auth)


@cohort_router.post(
    "/{year}/cohort", response=CohortOut, exclude_unset=True, auth=ApiPermission("manage_mentoring"),
    summary="Open the cohort of a phase (its selected regions, four Bimtek with the default agendas)",
)
def post_cohort(request, year: int):
    from kotacerdas.program.models import Phase

    cohort = services.ensure_cohort(get_object_or_404(Phase, year=year), user=request.auth)
    return _cohort_out(cohort, request.auth)


@cohort_router.post(
    "/{year}/cohort/assignments", response=CohortOut, exclude_unset=True, auth=ApiPermission("manage_mentoring"),
    summary="Assign mentors to every region of the cohort (decision.assign; conflicts refused)",
)
def post_assignments(request, year: int):
    cohort = _cohort(year)
    services.assign_mentors(cohort, user=request.auth)
    return _cohort_out(cohort, request.auth)


class ScheduleIn(Schema):
    starts_on: datetime.date
    ends_on: datetime.date
    due_on: Optional[datetime.date] = Field(None, description="Empty: the cohort's due days (14) after the end.")
    place: str = ""
    video_link: str = ""
    agenda: Optional[str] = None


@cohort_router.put(
    "/{year}/cohort/bimtek/{number}", response=BimtekOut, auth=ApiPermission("manage_mentoring"),
    summary="Schedule a Bimtek of the cohort",
)
def put_bimtek(request, year: int, number: int, payload: ScheduleIn):
    bimtek = get_object_or_404(Bimtek, cohort=_cohort(year), number=number)
    services.schedule_bimtek(bimtek, user=request.auth, **payload.dict())
    return _bimtek_out(bimtek)


def _reachable(user, bimtek, code):
    region = get_object_or_404(Region, code=code)
    ids = region_ids_for(user, roles_of(user))
    if ids is not None and region.pk not in ids:
        raise Http404(_("No such region in your mentoring."))
    services.check_in_cohort(bimtek.cohort, region)
    return region


class AttendanceIn(Schema):
    name: str
    body: str = Field(..., description="The person's agency or body.")
    position: str = ""


class AttendanceOut(AttendanceIn):
    id: int


@router.post(
    "/bimtek/{bimtek_id}/regions/{code}/attendance", response=AttendanceOut, auth=ApiPermission("record_attendance"),
    summary="Record one person's attendance of a Bimtek",
)
def post_attendance(request, bimtek_id: int, code: str, payload: AttendanceIn):
    bimtek = get_object_or_404(Bimtek.objects.select_related("cohort"), pk=bimtek_id)
    row = services.record_attendance(bimtek, _reachable(request.auth, bimtek, code), user=request.auth, **payload.dict())
    return {"id": row.pk, "name": row.name, "body": row.body, "position": row.position}


class ImportedOut(Schema):
    imported: int


@router.post(
    "/bimtek/{bimtek_id}/regions/{code}/attendance/import", response=ImportedOut, auth=ApiPermission("record_attendance"),
    summary="Import a Bimtek's sign-in sheet (XLSX or CSV, multipart field 'file': name, body, position); "
            "a bad row is named and nothing is written",
)
def post_attendance_import(request, bimtek_id: int, code: str, file: UploadedFile = File(...)):
    from django.core.exceptions import ValidationError

    from kotacerdas.lib.tabular import TableError

    bimtek = get_object_or_404(Bimtek.objects.select_related("cohort"), pk=bimtek_id)
    region = _reachable(request.auth, bimtek, code)
    try:
        count = services.import_attendance(bimtek, file, region=region, name=file.name, user=request.auth)
    except TableError as exc:
        raise ValidationError([str(error) for error in exc.errors] or [str(exc)]) from None
    return {"imported": count}


class NoteIn(Schema):
    done: str
    due: str = ""
    risks: str = ""


class NoteOut(NoteIn):
    id: int
    author: str
    created_at: datetime.datetime


@router.post(
    "/bimtek/{bimtek_id}/regions/{code}/notes", response=NoteOut, auth=ApiPermission("write_mentor_notes"),
    summary="A mentor's note on one of their regions",
)
def post_note(request, bimtek_id: int, code: str, payload: NoteIn):
    bimtek = get_object_or_404(Bimtek.objects.select_related("cohort"), pk=bimtek_id)
    note = services.write_note(bimtek, _reachable(request.auth, bimtek, code), request.auth, **payload.dict())
    return {"id": note.pk, "author": note.author.username, "created_at": note.created_at, "done": note.done, "due": note.due, "risks": note.risks}


class MemberOut(Schema):
    name: str
    position: str
    agency: Optional[str] = None
    office: str = ""


class TeamMemberOut(MemberOut):
    sector: str


class DecreeOut(Schema):
    number: str
    date: Optional[datetime.date]


class InstitutionsOut(Schema):
    region_code: str
    council_decree: Optional[DecreeOut]
    council: List[MemberOut]
    team_decree: Optional[DecreeOut]
    team: List[TeamMemberOut]
    secretariat_host: Optional[str]
    forum_meetings: int


def _institutions_out(region):
    data = services.institutions_of(region)
    council, team = data["council"], data["team"]
    return {
        "region_code": region.code,
        "council_decree": {"number": council.decree_number, "date": council.decree_date} if council else None,
        "council": [
            {"name": m.name, "position": m.position, "agency": str(m.agency) if m.agency else None, "office": m.office}
            for m in data["council_members"]
        ],
        "team_decree": {"number": team.decree_number, "date": team.decree_date} if team else None,
        "team": [
            {"name": m.name, "position": m.role, "sector": m.sector, "agency": str(m.agency) if m.agency else None, "office": m.office}
            for m in data["team_members"]
        ],
        "secretariat_host": str(data["secretariat"].agency) if data["secretariat"] and data["secretariat"].agency else None,
        "forum_meetings": len(data["forums"]),
    }


@institutions_router.get(
    "/{code}/institutions", response=InstitutionsOut,
    summary="A region's Dewan Smart City and Tim Pelaksana: names and positions (no contact details)",
)
def get_institutions(request, code: str):
    return _institutions_out(get_object_or_404(Region.objects.kabkota(), code=code))


class CouncilMemberIn(Schema):
    name: str
    position: str = Field(..., description="pembina, pengarah or anggota")
    agency_id: Optional[int] = None
    office: str = ""
    email: str = ""
    phone: str = ""


def _own_region(user, code):
    """The kabupaten/kota ``code`` if ``user`` keeps its institutions (404 otherwise)."""
    return get_object_or_404(scope(Region.objects.kabkota(), user, "manage_institutions"), code=code)


def _agency(region, agency_id):
    """The region's agency ``agency_id`` (None for none); another region's agency is refused."""
    if not agency_id:
        return None
    agency = get_object_or_404(Agency, pk=agency_id)
    if agency.region_id != region.pk:
        raise services.MentoringRefused({"agency_id": _("This agency belongs to another region.")})
    return agency


@institutions_router.post(
    "/{code}/institutions/council/members", response=InstitutionsOut, auth=ApiPermission("manage_institutions"),
    summary="Add a member to the region's Dewan Smart City (the region's operator)",
)
def post_council_member(request, code: str, payload: CouncilMemberIn):
    region = _own_region(request.auth, code)
    values = payload.dict()
    agency = _agency(region, values.pop("agency_id"))
    services.add_council_member(region, agency=agency, user=request.auth, **values)
    return _institutions_out(region)


class TeamMemberIn(Schema):
    name: str
    role: str = Field("member", description="chair, secretary or member")
    sector: str = Field("agency", description="agency, academia, business or community")
    agency_id: Optional[int] = None
    office: str = ""
    email: str = ""
    phone: str = ""


@institutions_router.post(
    "/{code}/institutions/team/members", response=InstitutionsOut, auth=ApiPermission("manage_institutions"),
    summary="Add a member to the region's Tim Pelaksana (the region's operator)",
)
def post_team_member(request, code: str, payload: TeamMemberIn):
    region = _own_region(request.auth, code)
    values = payload.dict()
    agency = _agency(region, values.pop("agency_id"))
    services.add_team_member(region, agency=agency, user=request.auth, **values)
    return _institutions_out(region)


@institutions_router.delete(
    "/{code}/institutions/{kind}/members/{member_id}", response=InstitutionsOut, auth=ApiPermission("manage_institutions"),
    summary="Remove a member of the region's council (kind 'council') or team (kind 'team')",
)
def delete_member(request, code: str, kind: str, member_id: int):
    region = _own_region(request.auth, code)
    if kind == "council":
        member = get_object_or_404(CouncilMember, council__region=region, pk=member_id)
    elif kind == "team":
        member = get_object_or_404(TeamMember, team__region=region, pk=member_id)
    else:
        raise Http404(_("No such institution: council or team."))
    services.remove_member(member, user=request.auth)
    return _institutions_out(region)


class DecreeIn(Schema):
    decree_number: str = ""
    decree_date: Optional[datetime.date] = None


@institutions_router.post(
    "/{code}/institutions/{kind}/decree", response=InstitutionsOut, auth=ApiPermission("manage_institutions"),
    summary="The decree (SK) of the region's council or team: number, date and, optionally, the file "
            "(multipart: fields decree_number, decree_date, file)",
)
def post_decree(request, code: str, kind: str, payload: Form[DecreeIn], file: Optional[UploadedFile] = File(None)):
    region = _own_region(request.auth, code)
    model = {"council": Council, "team": ImplementationTeam}.get(kind)
    if model is None:
        raise Http404(_("No such institution: council or team."))
    services.save_decree(model, region, decree_file=file, user=request.auth, **payload.dict())
    return _institutions_out(region)


class SecretariatIn(Schema):
    agency_id: Optional[int] = Field(None, description="The agency that hosts the secretariat.")
    head: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""


@institutions_router.put(
    "/{code}/institutions/secretariat", response=InstitutionsOut, auth=ApiPermission("manage_institutions"),
    summary="The region's smart city secretariat (host agency, head; contact details not public)",
)
def put_secretariat(request, code: str, payload: SecretariatIn):
    region = _own_region(request.auth, code)
    values = payload.dict()
    agency = _agency(region, values.pop("agency_id"))
    services.save_secretariat(region, agency=agency, user=request.auth, **values)
    return _institutions_out(region)


class ForumIn(Schema):
    title: str
    starts_at: datetime.datetime = Field(..., description="Without a time zone: the region's own time (WIB, WITA or WIT).")
    place: str = ""
    attendees: str = ""
    decisions: str = ""


class ForumOut(Schema):
    id: int
    title: str
    starts_at: datetime.datetime
    place: str
    decisions: str
    has_minutes: bool


@institutions_router.post(
    "/{code}/institutions/forums", response=ForumOut, auth=ApiPermission("manage_institutions"),
    summary="Record a forum meeting of the region (multipart: its fields and, optionally, the minutes as 'file')",
)
def post_forum(request, code: str, payload: Form[ForumIn], file: Optional[UploadedFile] = File(None)):
    import zoneinfo

    region = _own_region(request.auth, code)
    values = payload.dict()
    if values["starts_at"].tzinfo is None:
        values["starts_at"] = values["starts_at"].replace(tzinfo=zoneinfo.ZoneInfo(region.iana_time_zone))
    meeting = services.record_forum(region, minutes=file, user=request.auth, **values)
    return {
        "id": meeting.pk, "title": meeting.title, "starts_at": meeting.starts_at, "place": meeting.place,
        "decisions": meeting.decisions, "has_minutes": bool(meeting.minutes),
    }


class TrainingIn(Schema):
    held_on: datetime.date
    place: str
    mentor_ids: List[int] = Field(default_factory=list, description="The mentors who attended.")


class TrainingOut(Schema):
    id: int
    held_on: datetime.date
    place: str
    mentors: List[str]


@cohort_router.post(
    "/{year}/cohort/training", response=TrainingOut, auth=ApiPermission("manage_mentoring"),
    summary="Record a training of trainers of the cohort: date, place and which mentors attended",
)
def post_training(request, year: int, payload: TrainingIn):
    cohort = _cohort(year)
    mentors = list(Mentor.objects.filter(pk__in=payload.mentor_ids))
    unknown = sorted(set(payload.mentor_ids) - {m.pk for m in mentors})
    if unknown:
        raise services.MentoringRefused({"mentor_ids": _("No such mentor: %(ids)s.") % {"ids": ", ".join(map(str, unknown))}})
    training = services.record_training(cohort, held_on=payload.held_on, place=payload.place, mentors=mentors, user=request.auth)
    return {"id": training.pk, "held_on": training.held_on, "place": training.place, "mentors": [str(m) for m in mentors]}


class SwapIn(Schema):
    mentor_id: int = Field(..., description="The mentor who takes over.")
    reason: str = Field(..., description="Why the mentor changes (kept with the change).")


class MentorAssignmentOut(Schema):
    id: int
    region_code: str
    mentor: str
    institution: str


@cohort_router.post(
    "/{year}/cohort/assignments/{assignment_id}/swap", response=MentorAssignmentOut, auth=ApiPermission("manage_mentoring"),
    summary="Replace a region's mentor, with the reason (refused on a conflict of interest)",
)
def post_swap(request, year: int, assignment_id: int, payload: SwapIn):
    assignment = get_object_or_404(MentorAssignment, cohort=_cohort(year), pk=assignment_id)
    new = services.swap_mentor(
        assignment, get_object_or_404(Mentor, pk=payload.mentor_id), reason=payload.reason, user=request.auth
    )
    return {"id": new.pk, "region_code": new.region.code, "mentor": str(new.mentor), "institution": str(new.mentor.institution)}


class UploadOut(Schema):
    id: int
    output: str
    region_code: str
    version: int


@router.post(
    "/outputs/{output_id}/regions/{code}", response=UploadOut, auth=ApiPermission("upload_outputs"),
    summary="Upload a new version of one of your region's Bimtek outputs (multipart, field 'file')",
)
def post_output(request, output_id: int, code: str, file: UploadedFile = File(...)):
    output = get_object_or_404(RequiredOutput.objects.select_related("bimtek__cohort"), pk=output_id)
    upload = services.upload_output(output, _reachable(request.auth, output.bimtek, code), file, user=request.auth)
    return {"id": upload.pk, "output": str(output), "region_code": code, "version": upload.version}
