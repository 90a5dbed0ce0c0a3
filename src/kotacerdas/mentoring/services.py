"""The work of the mentoring stage. Every function that writes several rows runs in one
transaction: it all lands or none of it does. Views and the API only call these."""

import csv
import datetime
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas import decision
from kotacerdas.accounts.models import Role, RoleGrant
from kotacerdas.accounts.services import grant_role, notify
from kotacerdas.lib.files import checked_upload
from kotacerdas.lib.tabular import CellError, TableError, read_table
from kotacerdas.program.models import Participation, ParticipationStatus
from kotacerdas.regions.models import KABKOTA_KINDS, Region

from .models import (
    BIMTEK_PER_COHORT,
    Attendance,
    BehindScheduleAlert,
    Bimtek,
    Cohort,
    Council,
    CouncilMember,
    CouncilPosition,
    DeclaredMentorConflict,
    ForumMeeting,
    ImplementationTeam,
    Mentor,
    MentorAssignment,
    MentorInstitution,
    MentorNote,
    OutputUpload,
    RequiredOutput,
    Secretariat,
    Sector,
    TeamMember,
    TeamRole,
    TrainingOfTrainers,
)

AGENDAS_CSV = Path(__file__).resolve().parent / "data" / "bimtek_agendas.csv"


# What a region hands in (outputs, forum minutes) and the scanned decrees: checked by content and
# size, stored under generated names (lib.files, the platform's one way to take uploads).
DOCUMENT_SUFFIXES = (".pdf", ".docx", ".xlsx", ".png", ".jpg", ".jpeg")
DECREE_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg")


def upload_max_bytes():
    """The largest mentoring upload accepted, in bytes (setting ``MENTORING_UPLOAD_MAX_BYTES``)."""
    return getattr(settings, "MENTORING_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)


class MentoringRefused(ValidationError):
    """An action the rules of the mentoring stage do not allow (the message says why)."""


# --- cohorts ---------------------------------------------------------------------------------


def cohort_regions(phase):
    """The regions selected in ``phase``: its cohort."""
    selected = Participation.objects.filter(phase=phase, status=ParticipationStatus.SELECTED).values("region")
    return Region.objects.filter(pk__in=selected).select_related("province").order_by("code")


def check_in_cohort(cohort, region):
    """Refuse, with a clear message, any mentoring of a region the phase did not select."""
    if not Participation.objects.filter(phase_id=cohort.phase_id, region=region, status=ParticipationStatus.SELECTED).exists():
        raise MentoringRefused(
            _("%(region)s is not selected in %(phase)s, so it has no mentoring in that phase.")
            % {"region": region, "phase": cohort.phase}
        )


def default_agendas():
    """The default Bimtek agendas and outputs, shipped as data (mentoring/data/bimtek_agendas.csv)."""
    with open(AGENDAS_CSV, encoding="utf-8") as handle:
        return [
            {
                "number": int(row["number"]),
                "title": row["title"],
                "agenda": row["agenda"],
                "outputs": [name.strip() for name in row["outputs"].split(";") if name.strip()],
            }
            for row in csv.DictReader(handle)
        ]


@transaction.atomic
def ensure_cohort(phase, *, user=None):
    """The cohort of ``phase`` with its four Bimtek and their default agendas, created the first
    time; refused for a phase that has selected no region yet."""
    cohort = Cohort.objects.filter(phase=phase).first()
    if cohort is not None:
        return cohort
    if not cohort_regions(phase).exists():
        raise MentoringRefused(_("%(phase)s has no selected region yet: there is no cohort to mentor.") % {"phase": phase})
    cohort = Cohort(phase=phase)
    cohort._history_user = user
    cohort.save()
    for spec in default_agendas()[:BIMTEK_PER_COHORT]:
        bimtek = Bimtek.objects.create(cohort=cohort, number=spec["number"], title=spec["title"], agenda=spec["agenda"])
        for order, name in enumerate(spec["outputs"], start=1):
            RequiredOutput.objects.create(bimtek=bimtek, order=order, name=name)
    return cohort


# --- mentors and assignment ------------------------------------------------------------------


def ensure_institution(name, *, short_name="", is_demo=False):
    institution, _created = MentorInstitution.objects.get_or_create(
        name=name, defaults={"short_name": short_name, "is_demo": is_demo}
    )
    return institution


@transaction.atomic
def register_mentor(user, *, institution, expertise=(), home_region=None, home_province=None, max_load=None):
    """Make ``user`` a mentor (the mentor role without a region until they are assigned)."""
    if home_region is not None and home_province is None:
        home_province = home_region.province
    mentor, _created = Mentor.objects.update_or_create(
        user=user,
        defaults={
            "institution": institution,
            "expertise": sorted({tag.strip().lower() for tag in expertise if tag.strip()}),
            "home_region": home_region,
            "home_province": home_province,
            "max_load": max_load,
        },
    )
    if not RoleGrant.objects.filter(user=user, role=Role.MENTOR).exists():
        grant_role(user, Role.MENTOR, institution=institution.name)
    return mentor


def declare_conflict(mentor, region, reason):
    if not reason or not reason.strip():
        raise MentoringRefused(_("Say what the conflict of interest is."))
    conflict, _created = DeclaredMentorConflict.objects.get_or_create(
        mentor=mentor, region=region, defaults={"reason": reason.strip()}
    )
    return conflict


def conflict_reasons(mentor, region, *, declared=None):
    """Why ``mentor`` may not mentor ``region`` (empty: no conflict): their home region, or a
    declared conflict of interest."""
    reasons = []
    if declared is None:
        declared = DeclaredMentorConflict.objects.filter(mentor=mentor, region=region).exists()
    if declared:
        reasons.append(_("declared conflict of interest"))
    if mentor.home_region_id == region.pk:
        reasons.append(_("the mentor's home region"))
    return reasons


def _grant_mentor_role(mentor, region, user):
    # What the assessment panel's "mentored this region" conflict reads (accounts.RoleGrant).
    grant = grant_role(mentor.user, Role.MENTOR, region=region, institution=mentor.institution.name)
    grant._history_user = user
    return grant


@transaction.atomic
def assign_mentors(cohort, *, mentors=None, user=None):
    """Give every region of the cohort ``cohort.mentors_per_region`` mentors with
    :func:`decision.assign`: never a conflict, loads even, a mentor from the region's own island
    group preferred (less travel). Refused once the cohort has assignments: swap by hand then."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.assignments.exists():
        raise MentoringRefused(_("This cohort already has its mentors: swap or replace a mentor by hand instead."))
    regions = list(cohort_regions(cohort.phase))
    mentors = list(mentors if mentors is not None else Mentor.objects.select_related("user", "institution", "home_province"))
    if not mentors:
        raise MentoringRefused(_("There is no mentor to assign."))
    k = cohort.mentors_per_region
    if k > len(mentors):
        raise MentoringRefused(
            _("Each region needs %(k)s mentors but there are only %(n)s.") % {"k": k, "n": len(mentors)}
        )
    even_share = math.ceil(k * len(regions) / len(mentors))
    max_load = np.array([m.max_load if m.max_load is not None else even_share for m in mentors])
    affinity = np.array(
        [[float(bool(m.home_province and m.home_province.island_group == r.island_group)) for m in mentors] for r in regions]
    ).reshape(len(regions), len(mentors))
    declared = set(
        DeclaredMentorConflict.objects.filter(mentor__in=mentors, region__in=regions).values_list("mentor_id", "region_id")
    )
    conflicts = np.array(
        [[bool(conflict_reasons(m, r, declared=(m.pk, r.pk) in declared)) for m in mentors] for r in regions], dtype=bool
    ).reshape(len(regions), len(mentors))
    try:
        chosen = decision.assign(affinity, conflicts, k, max_load)
    except decision.InfeasibleAssignment as exc:
        names = ", ".join(regions[i].name for i in (exc.candidates or []))
        raise MentoringRefused(
            _("No assignment satisfies the conflicts of interest and loads. %(names)s")
            % {"names": (_("Regions at fault: %s.") % names) if names else ""}
        ) from exc
    created = []
    for i, j in zip(*np.nonzero(chosen)):
        assignment = MentorAssignment(cohort=cohort, region=regions[i], mentor=mentors[j])
        assignment._history_user = user
        assignment.save()
        _grant_mentor_role(mentors[j], regions[i], user)
        created.append(assignment)
    return created


@transaction.atomic
def assign_mentor(cohort, region, mentor, *, user=None):
    """Add one mentor to one region by hand (refused on a conflict or outside the cohort)."""
    check_in_cohort(cohort, region)
    reasons = conflict_reasons(mentor, region)
    if reasons:
        raise MentoringRefused(
            _("%(mentor)s may not mentor %(region)s: %(reasons)s.")
            % {"mentor": mentor, "region": region, "reasons": ", ".join(reasons)}
        )
    if MentorAssignment.objects.filter(cohort=cohort, region=region, mentor=mentor, ended_at__isnull=True).exists():
        raise MentoringRefused(_("%(mentor)s already mentors %(region)s.") % {"mentor": mentor, "region": region})
    assignment = MentorAssignment(cohort=cohort, region=region, mentor=mentor)
    assignment._history_user = user
    assignment.save()
    _grant_mentor_role(mentor, region, user)
    return assignment


@transaction.atomic
def swap_mentor(assignment, new_mentor, *, reason, user=None):
    """Replace the mentor of one region by hand. The old assignment ends with ``reason`` (kept);
    refused without a reason or if the new mentor has a conflict with the region. The replaced
    mentor keeps reading their own past notes (mentoring.scoping)."""
    assignment = MentorAssignment.objects.select_for_update().select_related("region", "cohort").get(pk=assignment.pk)
    if not reason or not reason.strip():
        raise MentoringRefused(_("Say why the mentor changes."))
    if assignment.ended_at is not None:
        raise MentoringRefused(_("This assignment has already ended."))
    replacement = assign_mentor(assignment.cohort, assignment.region, new_mentor, user=user)
    assignment.ended_at = timezone.now()
    assignment.end_reason = reason.strip()
    assignment.replaced_by = replacement
    assignment._history_user = user
    assignment._change_reason = reason.strip()
    assignment.save()
    return replacement


def active_mentors(cohort, region):
    return [
        a.mentor
        for a in MentorAssignment.objects.filter(cohort=cohort, region=region, ended_at__isnull=True).select_related(
            "mentor__user", "mentor__institution"
        )
    ]


@transaction.atomic
def record_training(cohort, *, held_on, place, mentors=(), user=None):
    if not held_on or not (place or "").strip():
        raise MentoringRefused(_("Give the date and place of the training of trainers."))
    training = TrainingOfTrainers(cohort=cohort, held_on=held_on, place=place.strip())
    training._history_user = user
    training.save()
    training.attendees.set(mentors)
    return training


# --- Bimtek ----------------------------------------------------------------------------------


@transaction.atomic
def schedule_bimtek(
    bimtek, *, starts_on, ends_on, due_on=None, place="", video_link="", agenda=None, title=None, regions=None, mentors=None,
    user=None,
):
    """Set a Bimtek's dates, place or video link and agenda, and (when given) the regions and
    mentors in it (none named: the whole cohort)."""
    if not starts_on or not ends_on:
        raise MentoringRefused(_("Give the first and the last day of the Bimtek."))
    if ends_on < starts_on:
        raise MentoringRefused(_("A Bimtek cannot end before it starts."))
    if due_on and due_on < ends_on:
        raise MentoringRefused(_("The outputs cannot be due before the Bimtek ends."))
    if not (place or "").strip() and not (video_link or "").strip():
        raise MentoringRefused(_("Give a place or a video link."))
    bimtek.starts_on, bimtek.ends_on, bimtek.due_on = starts_on, ends_on, due_on
    bimtek.place, bimtek.video_link = (place or "").strip(), (video_link or "").strip()
    if agenda is not None:
        bimtek.agenda = agenda
    if title:
        bimtek.title = title
    bimtek._history_user = user
    bimtek.full_clean(exclude=["cohort", "regions", "mentors"])
    bimtek.save()
    if regions is not None:
        for region in regions:
            check_in_cohort(bimtek.cohort, region)
        bimtek.regions.set(regions)
    if mentors is not None:
        bimtek.mentors.set(mentors)
    return bimtek


def bimtek_regions(bimtek):
    """The regions taking part in a Bimtek: those it names, else the whole cohort."""
    named = list(bimtek.regions.select_related("province").order_by("code"))
    return named or list(cohort_regions(bimtek.cohort.phase))


def _check_takes_part(bimtek, region):
    check_in_cohort(bimtek.cohort, region)
    if bimtek.regions.exists() and not bimtek.regions.filter(pk=region.pk).exists():
        raise MentoringRefused(_("%(region)s does not take part in %(bimtek)s.") % {"region": region, "bimtek": bimtek})


@transaction.atomic
def upload_output(output, region, file, *, user=None):
    """A new version of ``region``'s ``output``: earlier versions stay as they are."""
    _check_takes_part(output.bimtek, region)
    if file is None:
        raise MentoringRefused(_("Choose a file to upload."))
    last = OutputUpload.objects.select_for_update().filter(output=output, region=region).aggregate(v=Max("version"))["v"]
    upload = OutputUpload(output=output, region=region, version=(last or 0) + 1, uploaded_by=user)
    upload.file = checked_upload(file, DOCUMENT_SUFFIXES, upload_max_bytes(), field="file")
    upload._history_user = user
    upload.save()
    return upload


def _attendance_row(name, body, position):
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("the name is empty")
    if not (body or "").strip():
        errors["body"] = _("say which agency or body the person comes from")
    return errors


@transaction.atomic
def record_attendance(bimtek, region, *, name, body, position="", user=None):
    _check_takes_part(bimtek, region)
    errors = _attendance_row(name, body, position)
    if errors:
        raise MentoringRefused(errors)
    row = Attendance(bimtek=bimtek, region=region, name=name.strip(), body=body.strip(), position=(position or "").strip(), recorded_by=user)
    row._history_user = user
    row.save()
    return row


ATTENDANCE_COLUMNS = ("name", "body", "position")
# Optional column: region_code (required when the sheet is not for one region).


def import_attendance(bimtek, path_or_file, *, region=None, name=None, user=None):
    """The sign-in sheet of a Bimtek (XLSX or CSV: ``name, body, position[, region_code]``).

    Every row is checked first; any bad row (named by row and column) and nothing is written.
    With ``region`` (an operator's own), every row is that region's and a region_code that
    differs is refused.
    """
    table = read_table(path_or_file, required_columns=ATTENDANCE_COLUMNS, name=name)
    taking_part = {r.code: r for r in bimtek_regions(bimtek)}
    errors, rows = [], []
    for line, row in table.rows:
        code = row.get("region_code", "")
        target = region
        if region is not None:
            if code and code != region.code:
                errors.append(CellError(line, "region_code", _("this sheet is for %s only") % region.code))
        elif not code:
            errors.append(CellError(line, "region_code", _("the region code is empty")))
        else:
            target = taking_part.get(code)
            if target is None:
                errors.append(CellError(line, "region_code", _("%s does not take part in this Bimtek") % code))
        for column, message in _attendance_row(row["name"], row["body"], row["position"]).items():
            errors.append(CellError(line, column, message))
        rows.append((target, row))
    if region is not None and region.code not in taking_part:
        errors.insert(0, CellError(1, "", _("%s does not take part in this Bimtek") % region.code))
    if errors:
        raise TableError(table.source, errors)
    with transaction.atomic():
        for target, row in rows:
            record_attendance(bimtek, target, name=row["name"], body=row["body"], position=row["position"], user=user)
    return len(rows)


@transaction.atomic
def write_note(bimtek, region, author, *, done, due="", risks=""):
    """A mentor's note on a region and Bimtek; only a mentor assigned to the region now writes."""
    check_in_cohort(bimtek.cohort, region)
    if not MentorAssignment.objects.filter(
        cohort=bimtek.cohort, region=region, mentor__user=author, ended_at__isnull=True
    ).exists():
        raise MentoringRefused(_("Only a mentor assigned to %(region)s writes its notes.") % {"region": region})
    if not (done or "").strip():
        raise MentoringRefused({"done": _("Say what was done.")})
    note = MentorNote(bimtek=bimtek, region=region, author=author, done=done.strip(), due=(due or "").strip(), risks=(risks or "").strip())
    note._history_user = author
    note.save()
    return note


# --- the board -------------------------------------------------------------------------------


class CellStatus:
    DONE = "done"
    MISSING = "outputs_missing"
    OVERDUE = "overdue"
    UPCOMING = "upcoming"
    NOT_SCHEDULED = "not_scheduled"
    NOT_TAKING_PART = "not_taking_part"

    LABELS = {
        DONE: gettext_lazy("done"),
        MISSING: gettext_lazy("outputs missing"),
        OVERDUE: gettext_lazy("overdue"),
        UPCOMING: gettext_lazy("upcoming"),
        NOT_SCHEDULED: gettext_lazy("not scheduled"),
        NOT_TAKING_PART: gettext_lazy("not taking part"),
    }


@dataclass
class Cell:
    bimtek: Bimtek
    status: str
    missing: list = field(default_factory=list)

    @property
    def label(self):
        return CellStatus.LABELS[self.status]


@dataclass
class BoardRow:
    region: Region
    mentors: list
    cells: list

    @property
    def behind_schedule(self):
        return any(cell.status == CellStatus.OVERDUE for cell in self.cells)


def cell_status(bimtek, outputs, uploaded, today, taking_part=True):
    """The status of one region in one Bimtek: done when every output is uploaded; overdue once
    the due date (by default 14 days after the end) has passed with an output missing."""
    if not taking_part:
        return CellStatus.NOT_TAKING_PART, []
    missing = [output for output in outputs if output.pk not in uploaded]
    if not missing and bimtek.is_scheduled:
        return CellStatus.DONE, []
    if not bimtek.is_scheduled:
        return CellStatus.NOT_SCHEDULED, missing
    if today < bimtek.starts_on:
        return CellStatus.UPCOMING, missing
    if today > bimtek.due_date:
        return CellStatus.OVERDUE, missing
    return CellStatus.MISSING, missing


def board(cohort, *, today=None, mentor=None, province=None, region_ids=None):
    """Regions x Bimtek of a cohort with each cell's status, filtered by mentor and province
    (and narrowed to ``region_ids`` when given: what the asking user reaches)."""
    today = today or timezone.localdate()
    regions = cohort_regions(cohort.phase)
    if province is not None:
        regions = regions.filter(province=province)
    if region_ids is not None:
        regions = regions.filter(pk__in=region_ids)
    assignments = MentorAssignment.objects.filter(cohort=cohort, ended_at__isnull=True).select_related("mentor__user")
    if mentor is not None:
        regions = regions.filter(pk__in=assignments.filter(mentor=mentor).values("region"))
    regions = list(regions)
    mentors_of = {}
    for assignment in assignments.filter(region__in=regions):
        mentors_of.setdefault(assignment.region_id, []).append(assignment.mentor)
    bimteks = list(cohort.bimteks.select_related("cohort").prefetch_related("outputs", "regions"))
    uploaded = {}
    for output_id, region_id in (
        OutputUpload.objects.filter(output__bimtek__cohort=cohort, region__in=regions).values_list("output_id", "region_id").distinct()
    ):
        uploaded.setdefault(region_id, set()).add(output_id)
    rows = []
    for region in regions:
        cells = []
        for bimtek in bimteks:
            named = {r.pk for r in bimtek.regions.all()}
            status, missing = cell_status(
                bimtek, list(bimtek.outputs.all()), uploaded.get(region.pk, set()), today,
                taking_part=not named or region.pk in named,
            )
            cells.append(Cell(bimtek, status, missing))
        rows.append(BoardRow(region, mentors_of.get(region.pk, []), cells))
    return bimteks, rows


def board_table(cohort, rows, bimteks):
    """Header and rows of the board for lib.export.table_response."""
    header = ["region_code", "region", "province", "mentors"] + [f"bimtek_{b.number}" for b in bimteks] + ["behind_schedule"]
    table = [
        [
            row.region.code, row.region.name, row.region.province.name if row.region.province else "",
            "; ".join(str(m) for m in row.mentors),
            *[cell.status for cell in row.cells],
            "yes" if row.behind_schedule else "no",
        ]
        for row in rows
    ]
    return header, table


def ministry_users():
    User = get_user_model()
    granted = RoleGrant.objects.filter(role=Role.MINISTRY).values("user")
    return User.objects.filter(Q(pk__in=granted) | Q(is_superuser=True), is_active=True)


@transaction.atomic
def notify_behind_schedule(cohort, *, today=None):
    """Tell a region's mentors and the ministry, once per region and Bimtek, that its outputs
    are overdue. Returns the (region, bimtek) pairs notified this time."""
    bimteks, rows = board(cohort, today=today)
    already = set(BehindScheduleAlert.objects.filter(bimtek__cohort=cohort).values_list("bimtek_id", "region_id"))
    ministry = list(ministry_users())
    notified = []
    for row in rows:
        for cell in row.cells:
            if cell.status != CellStatus.OVERDUE or (cell.bimtek.pk, row.region.pk) in already:
                continue
            BehindScheduleAlert.objects.create(bimtek=cell.bimtek, region=row.region)
            context = {
                "region": row.region, "bimtek": cell.bimtek, "due": cell.bimtek.due_date,
                "missing": [str(output) for output in cell.missing], "phase": cohort.phase,
            }
            for recipient in {m.user for m in row.mentors} | set(ministry):
                notify(recipient, "mentoring/email/behind_schedule", context)
            notified.append((row.region, cell.bimtek))
    return notified


# --- the region's institutions ---------------------------------------------------------------


def _check_kabkota(region):
    if region.kind not in KABKOTA_KINDS:
        raise MentoringRefused(_("Only a kabupaten or kota has smart city institutions."))


@transaction.atomic
def save_decree(model, region, *, decree_number="", decree_date=None, decree_file=None, user=None):
    """The decree (number, date, file) of the region's council or team, created the first time."""
    _check_kabkota(region)
    body, _created = model.objects.get_or_create(region=region)
    body.decree_number = (decree_number or "").strip()
    body.decree_date = decree_date
    if decree_file is not None:
        body.decree_file = checked_upload(decree_file, DECREE_SUFFIXES, upload_max_bytes(), field="decree_file")
    body._history_user = user
    body.save()
    return body


@transaction.atomic
def add_council_member(region, *, name, position, agency=None, office="", email="", phone="", user=None):
    _check_kabkota(region)
    if not (name or "").strip():
        raise MentoringRefused({"name": _("Give the member's name.")})
    if position not in CouncilPosition.values:
        raise MentoringRefused({"position": _("The position is Pembina, Pengarah or Anggota.")})
    if agency is not None and agency.region_id != region.pk:
        raise MentoringRefused({"agency": _("This agency belongs to another region.")})
    council, _created = Council.objects.get_or_create(region=region)
    member = CouncilMember(council=council, name=name.strip(), position=position, agency=agency, office=office.strip(), email=email, phone=phone)
    member._history_user = user
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def add_team_member(region, *, name, role=TeamRole.MEMBER, sector=Sector.AGENCY, agency=None, office="", email="", phone="", user=None):
    _check_kabkota(region)
    if not (name or "").strip():
        raise MentoringRefused({"name": _("Give the member's name.")})
    if role not in TeamRole.values:
        raise MentoringRefused({"role": _("The role is chair, secretary or member.")})
    if sector not in Sector.values:
        raise MentoringRefused({"sector": _("Say whether the member comes from an agency, academia, business or the community.")})
    if agency is not None and agency.region_id != region.pk:
        raise MentoringRefused({"agency": _("This agency belongs to another region.")})
    team, _created = ImplementationTeam.objects.get_or_create(region=region)
    if role in (TeamRole.CHAIR, TeamRole.SECRETARY) and team.members.filter(role=role).exists():
        raise MentoringRefused({"role": _("The team already has a %(role)s.") % {"role": TeamRole(role).label}})
    member = TeamMember(team=team, name=name.strip(), role=role, sector=sector, agency=agency, office=office.strip(), email=email, phone=phone)
    member._history_user = user
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def remove_member(member, *, user=None):
    member._history_user = user
    member.delete()


@transaction.atomic
def save_secretariat(region, *, agency=None, head="", address="", email="", phone="", user=None):
    _check_kabkota(region)
    secretariat, _created = Secretariat.objects.get_or_create(region=region)
    secretariat.agency, secretariat.head, secretariat.address = agency, head.strip(), address.strip()
    secretariat.email, secretariat.phone = email, phone
    secretariat._history_user = user
    secretariat.full_clean()
    secretariat.save()
    return secretariat


@transaction.atomic
def record_forum(region, *, title, starts_at, place="", attendees="", decisions="", minutes=None, user=None):
    _check_kabkota(region)
    if not (title or "").strip() or starts_at is None:
        raise MentoringRefused(_("Give the forum's title, date and time."))
    meeting = ForumMeeting(region=region, title=title.strip(), starts_at=starts_at, place=place.strip(), attendees=attendees.strip(), decisions=decisions.strip())
    if minutes is not None:
        meeting.minutes = checked_upload(minutes, DOCUMENT_SUFFIXES, upload_max_bytes(), field="minutes")
    meeting._history_user = user
    meeting.save()
    return meeting


def institutions_of(region):
    """The public view of a region's institutions: names, positions and decrees, no contact."""
    council = Council.objects.filter(region=region).first()
    team = ImplementationTeam.objects.filter(region=region).first()
    secretariat = Secretariat.objects.filter(region=region).select_related("agency").first()
    return {
        "council": council,
        "council_members": list(council.members.select_related("agency")) if council else [],
        "team": team,
        "team_members": list(team.members.select_related("agency")) if team else [],
        "secretariat": secretariat,
        "forums": list(ForumMeeting.objects.filter(region=region)),
    }


def today_in(region):
    """Today's date in the region's own time zone."""
    import zoneinfo

    return datetime.datetime.now(zoneinfo.ZoneInfo(region.iana_time_zone)).date()
