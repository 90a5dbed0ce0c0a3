"""The demo phase's mentoring: invented mentor institutions (flagged ``is_demo``) and mentors (the
demo login ``mentor`` among them, mentoring the demo operator's region when it is in the cohort),
the assignment, a training of trainers, four Bimtek, attendance, notes, outputs, one region behind
schedule, and each region's council, team, secretariat and a forum meeting.

The Bimtek dates are set relative to the day the demo is built (two past, one just ended, one to
come), so the board shows every status whatever day ``make demo`` runs. Created once: when the
demo phase already has a cohort, nothing changes. Real phases never get any of this.
"""

import datetime
import random
import zoneinfo

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from kotacerdas.accounts.models import Role
from kotacerdas.accounts.services import ensure_account
from kotacerdas.lib.printing import one_page_pdf
from kotacerdas.regions.models import Region
from kotacerdas.regions.agencies import adopt_default_agencies

from . import services
from .models import Cohort, Council, ImplementationTeam, MentorAssignment

DEMO_SEED = 2027
DEMO_PASSWORD = "kotacerdas-demo"
DEMO_INSTITUTIONS = [
    ("Universitas Indonesia (demo)", "UI"),
    ("Institut Teknologi Bandung (demo)", "ITB"),
    ("Perbanas Institute (demo)", "Perbanas"),
    ("BPPT (demo)", "BPPT"),
    ("Universitas Multimedia Nusantara (demo)", "UMN"),
    ("IKTII (demo)", "IKTII"),
    ("Citiasia (demo)", "Citiasia"),
]
# (username, institution index); "mentor" is the demo login printed by `kotacerdas demo`; the
# others log in with the same printed password.
DEMO_MENTORS = [("mentor", 1)] + [(f"demo-mentor-{i:02d}", i % len(DEMO_INSTITUTIONS)) for i in range(2, 11)]
DEMO_OPERATOR_REGION = "63.03"
# The demo's own operator (Banjar) is not always in the demo cohort, so the cohort's first region
# gets an operator login of its own, printed by the demo command with the same password.
MENTORED_OPERATOR = "operator-mentored"
FIRST_NAMES = ["Siti", "Budi", "Agus", "Dewi", "Rina", "Andi", "Yusuf", "Nur", "Wahyu", "Fitri", "Rudi", "Lestari"]
LAST_NAMES = ["Rahmawati", "Santoso", "Hidayat", "Saputra", "Wulandari", "Nasution", "Pratama", "Siregar", "Hasanah"]
BODIES = [("Bappeda", "Kepala Bidang"), ("Diskominfo", "Kepala Dinas"), ("Setda", "Asisten"), ("Dinkes", "Sekretaris"), ("Disdukcapil", "Kepala Seksi")]


def _name(rng):
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} (demo)"


def _mentors(rng):
    institutions = [services.ensure_institution(name, short_name=short, is_demo=True) for name, short in DEMO_INSTITUTIONS]
    provinces = list(Region.objects.provinces().order_by("code"))
    mentors = []
    for index, (username, institution_index) in enumerate(DEMO_MENTORS, start=1):
        institution = institutions[institution_index]
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            user = ensure_account(
                username, DEMO_PASSWORD, Role.MENTOR, first_name=f"Mentor {index:02d}", last_name="(demo)",
                institution=institution.name,
            )
        mentors.append(
            services.register_mentor(user, institution=institution, expertise=["smart city"], home_province=rng.choice(provinces))
        )
    return mentors


def _document(title, name="dokumen-demo.pdf"):
    lines = [f"DEMO: {title}", "Invented by `kotacerdas demo`, not a real document."]
    return ContentFile(one_page_pdf(lines), name=name)


def _institutions(region, rng):
    adopt_default_agencies(region)
    agencies = list(region.agencies.all())
    head = "Walikota" if region.kind == "kota" else "Bupati"
    services.save_decree(
        Council, region, decree_number=f"DEMO/188.45/{rng.randint(100, 999)}/2027",
        decree_date=datetime.date(2027, 6, rng.randint(1, 28)), decree_file=_document("SK Dewan Smart City", "sk-dewan-demo.pdf"),
    )
    services.add_council_member(region, name=_name(rng), position="pembina", office=f"{head} {region.name}")
    services.add_council_member(region, name=_name(rng), position="pengarah", office=f"Sekretaris Daerah {region.name}")
    for agency in rng.sample(agencies, 3):
        services.add_council_member(region, name=_name(rng), position="anggota", agency=agency)
    services.save_decree(ImplementationTeam, region, decree_number=f"DEMO/188.45/{rng.randint(100, 999)}/2027")
    bappeda = next((a for a in agencies if a.kind and a.kind.code == "bappeda"), agencies[0])
    kominfo = next((a for a in agencies if a.kind and a.kind.code == "diskominfo"), agencies[1])
    services.add_team_member(region, name=_name(rng), role="chair", agency=bappeda)
    services.add_team_member(region, name=_name(rng), role="secretary", agency=kominfo)
    services.add_team_member(region, name=_name(rng), sector="academia", office="Universitas setempat (demo)")
    services.add_team_member(region, name=_name(rng), sector="business", office="Kadin daerah (demo)")
    services.add_team_member(region, name=_name(rng), sector="community", office="Komunitas TIK (demo)")
    services.save_secretariat(region, agency=kominfo, head=_name(rng))
    local = zoneinfo.ZoneInfo(region.iana_time_zone)
    services.record_forum(
        region, title="Forum Smart City (demo)", starts_at=datetime.datetime(2027, 7, 20, 9, 0, tzinfo=local),
        place=f"Aula {bappeda}", attendees="Dewan Smart City, Tim Pelaksana", decisions="Rancangan visi disepakati (demo).",
    )


def build_demo_mentoring(phase, *, today=None):
    """Mentor the demo phase's cohort (the first time only). Returns (cohort, created)."""
    if not phase.is_demo:
        raise ValueError("demo mentoring belongs to a demo phase only")
    existing = Cohort.objects.filter(phase=phase).first()
    if existing is not None:
        return existing, False
    rng = random.Random(DEMO_SEED)
    today = today or timezone.localdate()
    with transaction.atomic():
        cohort = services.ensure_cohort(phase)
        regions = list(services.cohort_regions(phase))
        mentors = _mentors(rng)
        services.assign_mentors(cohort, mentors=mentors)
        showcase = _showcase_region(regions)
        _demo_login_mentors(cohort, mentors[0], showcase)
        ensure_account(
            MENTORED_OPERATOR, DEMO_PASSWORD, Role.OPERATOR, first_name=f"Operator {showcase.code}", last_name="(demo)",
            region=showcase, institution=f"Diskominfo {showcase.name} (demo)",
        )
        services.record_training(cohort, held_on=today - datetime.timedelta(days=100), place="Jakarta (demo)", mentors=mentors)
        # Two Bimtek in the past, one just ended (outputs not yet due), one to come.
        spans = [(-90, -88), (-50, -48), (-5, -3), (30, 32)]
        bimteks = list(cohort.bimteks.order_by("number"))
        for bimtek, (start, end) in zip(bimteks, spans):
            services.schedule_bimtek(
                bimtek, starts_on=today + datetime.timedelta(days=start), ends_on=today + datetime.timedelta(days=end),
                place="Jakarta (demo)" if bimtek.number % 2 else "", video_link="" if bimtek.number % 2 else "https://meet.example.org/demo",
            )
        # One region behind schedule: an output of Bimtek 2 missing after its due date.
        behind = next(r for r in reversed(regions) if r != showcase)
        for region in regions:
            first_mentor = MentorAssignment.objects.filter(cohort=cohort, region=region, ended_at__isnull=True).select_related("mentor__user").first()
            for bimtek in bimteks[:3]:
                for _i in range(3):
                    body, position = rng.choice(BODIES)
                    services.record_attendance(bimtek, region, name=_name(rng), body=f"{body} {region.name}", position=position)
                services.write_note(
                    bimtek, region, first_mentor.mentor.user, done=f"Pendampingan {bimtek.title} (demo).",
                    due="Lengkapi keluaran sebelum batas waktu.", risks=rng.choice(["", "Pergantian kepala OPD (demo).", "Anggaran terbatas (demo)."]),
                )
                outputs = list(bimtek.outputs.all())
                if bimtek.number == 3:
                    outputs = outputs[:1]  # just ended: partly handed in
                if bimtek.number == 2 and region == behind:
                    outputs = outputs[:-1]
                for output in outputs:
                    services.upload_output(output, region, _named(output))
            _institutions(region, rng)
        services.notify_behind_schedule(cohort, today=today)
    return cohort, True


def _named(output):
    return _document(output.name, "keluaran-demo.pdf")


def _showcase_region(regions):
    """The demo operator's region when it is in the cohort, else the cohort's first region."""
    return next((r for r in regions if r.code == DEMO_OPERATOR_REGION), regions[0])


def mentored_operator_login():
    """(username, region code) of the operator login of the cohort's showcase region, if built."""
    from kotacerdas.accounts.models import RoleGrant

    grant = RoleGrant.objects.filter(user__username=MENTORED_OPERATOR, role=Role.OPERATOR).select_related("region").first()
    return (MENTORED_OPERATOR, grant.region.code) if grant else None


def _demo_login_mentors(cohort, mentor, region):
    """The demo login ``mentor`` mentors the showcase region, so the demo's mentor and operator
    logins meet on the same region's page."""
    if MentorAssignment.objects.filter(cohort=cohort, region=region, mentor=mentor).exists():
        return
    current = MentorAssignment.objects.filter(cohort=cohort, region=region, ended_at__isnull=True).exclude(mentor=mentor).first()
    services.swap_mentor(current, mentor, reason="demo: the demo mentor login mentors the demo operator's region")
