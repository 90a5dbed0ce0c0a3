"""The demo phase's assessment: a panel of invented assessors (the demo account ``assessor``
among them), the assignment of the invited candidates, sessions, scores drawn from a fixed seed,
results, a confirmed selection filling the quota exactly, and a few MoUs.

Created once: when the demo phase already has a panel, nothing changes.
"""

import datetime
import random
import zoneinfo

from django.contrib.auth import get_user_model
from django.db import transaction

from kotacerdas.accounts.models import Role
from kotacerdas.accounts.services import ensure_account
from kotacerdas.program.models import Participation, ParticipationStatus
from kotacerdas.regions.models import Region

from . import selection as selecting
from .services import allocation, assessor_pool, panel_setup, score_sheets
from .models import Panel, PanelState

DEMO_SEED = 2027
# (username, institution, expertise); "assessor" is the demo login printed by `kotacerdas demo`.
DEMO_ASSESSORS = [
    ("assessor", "Universitas Indonesia (demo)", ["policy", "vision"]),
    ("demo-assessor-02", "Institut Teknologi Bandung (demo)", ["infrastructure", "integration"]),
    ("demo-assessor-03", "BPPT (demo)", ["infrastructure", "security"]),
    ("demo-assessor-04", "Perbanas Institute (demo)", ["budget"]),
    ("demo-assessor-05", "Kementerian Komunikasi dan Digital (demo)", ["policy", "security"]),
    ("demo-assessor-06", "Kementerian PUPR (demo)", ["vision", "infrastructure"]),
    ("demo-assessor-07", "Universitas Gadjah Mada (demo)", ["commitment", "policy"]),
    ("demo-assessor-08", "Institut Teknologi Sepuluh Nopember (demo)", ["integration"]),
    ("demo-assessor-09", "Bappenas (demo)", ["vision", "budget"]),
    ("demo-assessor-10", "Kementerian Dalam Negeri (demo)", ["commitment"]),
    ("demo-assessor-11", "Universitas Indonesia (demo)", ["security"]),
    ("demo-assessor-12", "Institut Teknologi Bandung (demo)", ["budget", "integration"]),
    ("demo-assessor-13", "BPPT (demo)", ["integration", "security"]),
    ("demo-assessor-14", "Universitas Multimedia Nusantara (demo)", ["infrastructure"]),
    ("demo-assessor-15", "Kementerian Komunikasi dan Digital (demo)", ["commitment", "vision"]),
    ("demo-assessor-16", "Universitas Hasanuddin (demo)", ["policy"]),
    ("demo-assessor-17", "Universitas Sumatera Utara (demo)", ["budget"]),
    ("demo-assessor-18", "Kementerian PUPR (demo)", ["infrastructure"]),
    ("demo-assessor-19", "Perbanas Institute (demo)", ["budget", "policy"]),
    ("demo-assessor-20", "Universitas Brawijaya (demo)", ["vision", "security"]),
]
LETTER_NUMBER = "DEMO/KEP/2027/001"
LETTER_DATE = datetime.date(2027, 5, 14)
SPREAD_RULES = {"min_per_island_group": 1, "min_kota": 6, "min_kabupaten": 6}
MOU_COUNT = 5


def _assessors(rng):
    provinces = list(Region.objects.provinces().order_by("code"))
    assessors = []
    for index, (username, institution, expertise) in enumerate(DEMO_ASSESSORS, start=1):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            # Invented panel members without a password: only the demo login "assessor" logs in.
            user = ensure_account(username, None, Role.ASSESSOR, first_name=f"Penilai {index:02d}", last_name="(demo)", institution=institution)
            user.set_unusable_password()
            user.save(update_fields=["password"])
        assessors.append(
            assessor_pool.register_assessor(user, institution=institution, expertise=expertise, home_province=rng.choice(provinces))
        )
    return assessors


def load_demo_panel(phase):
    """Assess and decide the demo phase (the first time only). Returns (panel, created)."""
    if not phase.is_demo:
        raise ValueError("the demo panel belongs to a demo phase only")
    existing = Panel.objects.filter(phase=phase).first()
    if existing is not None:
        return existing, False
    rng = random.Random(DEMO_SEED)
    with transaction.atomic():
        assessors = _assessors(rng)
        panel = panel_setup.ensure_panel(phase)
        invited = list(
            Region.objects.filter(participations__phase=phase, participations__status=ParticipationStatus.INVITED)
            .select_related("province").order_by("code")
        )
        count = min(phase.assessed_target or len(invited), len(invited))
        presenting = sorted(rng.sample(invited, count), key=lambda r: r.code)
        assessor_pool.declare_conflict(assessors[1], presenting[0], "Former consultant of this region (demo)")
        allocation.assign_panel(panel, regions=presenting, assessors=assessors)

        first_day = datetime.date(2027, 4, 5)
        for index, region in enumerate(presenting):
            day = first_day + datetime.timedelta(days=index // 12)
            local = datetime.datetime.combine(day, datetime.time(8, 0)) + datetime.timedelta(minutes=40 * (index % 12))
            starts_at = local.replace(tzinfo=zoneinfo.ZoneInfo(region.iana_time_zone))
            online = index % 3 == 0
            allocation.schedule_session(
                panel, region, starts_at=starts_at,
                room="" if online else f"Ruang Rapat {index % 4 + 1}, Jakarta (demo)",
                video_link=f"https://meet.example.invalid/demo-{region.code}" if online else "",
            )
        panel_setup.set_state(panel, PanelState.SCORING)

        # Each candidate has a latent readiness, each assessor a leniency, each score some noise.
        quality = {region.pk: rng.gauss(3.2, 0.7) for region in presenting}
        leniency = {assessor.pk: rng.gauss(0.0, 0.3) for assessor in assessors}
        aspects = list(panel.aspects.all())
        for assignment in panel.assignments.select_related("assessor__user").order_by("region__code", "assessor__user__username"):
            values = {}
            for aspect in aspects:
                raw = quality[assignment.region_id] + leniency[assignment.assessor_id] + rng.gauss(0.0, 0.5)
                values[aspect.pk] = (min(5, max(1, round(raw))), "")
            score_sheets.save_scores(assignment, values, user=assignment.assessor.user, submit=True)
        panel_setup.set_state(panel, PanelState.CLOSED)

        selection = selecting.propose_selection(panel, SPREAD_RULES)
        selection = selecting.confirm_selection(selection, letter_number=LETTER_NUMBER, letter_date=LETTER_DATE)
        selected = Participation.objects.filter(phase=phase, status=ParticipationStatus.SELECTED).select_related("region").order_by("region__code")
        for index, participation in enumerate(selected[:MOU_COUNT], start=1):
            selecting.record_mou(
                phase, participation.region, signed_on=datetime.date(2027, 6, 10), place="Jakarta (demo)",
                number=f"DEMO/MOU/2027/{index:03d}",
                signatories=f"Kepala daerah {participation.region.name} (demo)\nMenteri Komunikasi dan Digital (demo)",
            )
    return panel, True
