"""A small cohort for the tests of this app and the role matrix: a demo-flagged phase (2033)
that selected Banjar (63.03, operator dave) and Barito Kuala (63.04, operator erin); carol
mentors Banjar, heidi Barito Kuala, ivan is free. Bimtek 1 is scheduled."""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.program.models import Participation, ParticipationStatus, Phase
from kotacerdas.regions.models import Region

from .. import services

YEAR = 2033
BANJAR, BARITO_KUALA, TANAH_LAUT = "63.03", "63.04", "63.01"


def user(username):
    found = get_user_model().objects.filter(username=username).first()
    return found or get_user_model().objects.create_user(username, f"{username}@example.org", "a-long-password-1", first_name=username.capitalize())


def region(code):
    return Region.objects.get(code=code)


def phase_with_selection(codes=(BANJAR, BARITO_KUALA), year=YEAR):
    phase, _created = Phase.objects.get_or_create(year=year, defaults={"name": f"Tahap Uji {year}", "quota": 5, "is_demo": True})
    for code in codes:
        Participation.objects.update_or_create(phase=phase, region=region(code), defaults={"status": ParticipationStatus.SELECTED})
    return phase


def small_cohort(carol=None):
    phase = phase_with_selection()
    cohort = services.ensure_cohort(phase)
    institution = services.ensure_institution("Institut Uji", short_name="IU", is_demo=True)
    mentors = {
        "carol": services.register_mentor(carol or user("carol"), institution=institution),
        "heidi": services.register_mentor(user("heidi"), institution=institution),
        "ivan": services.register_mentor(user("ivan"), institution=institution),
    }
    assignments = {}
    if not cohort.assignments.exists():
        assignments["carol"] = services.assign_mentor(cohort, region(BANJAR), mentors["carol"])
        assignments["heidi"] = services.assign_mentor(cohort, region(BARITO_KUALA), mentors["heidi"])
    first = cohort.bimteks.get(number=1)
    services.schedule_bimtek(
        first, starts_on=datetime.date(2033, 3, 1), ends_on=datetime.date(2033, 3, 3), place="Banjarmasin",
    )
    return cohort, mentors, assignments


def matrix_ids(carol):
    """Ids the role matrix puts in its paths."""
    cohort, mentors, _assignments = small_cohort(carol)
    first = cohort.bimteks.get(number=1)
    upload = services.upload_output(first.outputs.first(), region(BANJAR), SimpleUploadedFile("analisis.pdf", b"%PDF-1.4\n"))
    from ..models import Council

    services.save_decree(Council, region(BANJAR), decree_number="188/1/2033", decree_file=SimpleUploadedFile("sk.pdf", b"%PDF-1.4\n"))
    from kotacerdas.regions.models import Agency

    agency = Agency.objects.create(region=region(BANJAR), name="Dinas Komunikasi dan Informatika Banjar", short_name="Diskominfo")
    member = services.add_council_member(region(BANJAR), name="H. Saidi Mansyur", position="pembina")
    forum = services.record_forum(
        region(BANJAR), title="Forum OPD", starts_at=datetime.datetime(2033, 4, 2, 1, tzinfo=datetime.timezone.utc),
        minutes=SimpleUploadedFile("notulen.pdf", b"%PDF-1.4\n"),
    )
    assignment = cohort.assignments.get(mentor=mentors["carol"], ended_at__isnull=True)
    return {
        "m_member": member.pk, "m_forum": forum.pk, "m_agency": agency.pk,
        "m_year": cohort.phase.year, "m_mentor": mentors["carol"].pk, "m_upload": upload.pk, "m_bimtek": first.pk,
        "m_assignment": assignment.pk, "m_output": upload.output_id,
    }
