"""Two demo evaluation rounds for the demo phase's cohort: invented scores from a fixed seed,
flagged as demo (``Round.is_demo``), the first published with its findings, the second still
open with the follow-up items of the first's recommendations, so that improvement, ranks with a
tie and follow-up all show. Real regions get real published results only through the import.
"""

from decimal import Decimal

import numpy as np
from django.db import transaction

from kotacerdas.program.models import Participation, ParticipationStatus, Phase

from . import services
from .models import DIMENSIONS, EvaluationRound, FindingKind

DEMO_SEED = 2028

STRENGTHS = ["Dewan Smart City rutin bersidang", "Anggaran quick win terealisasi penuh", "Layanan publik daring terpadu"]
WEAKNESSES = ["Data dasar belum diperbarui", "Program masterplan belum masuk RPJMD", "Integrasi aplikasi OPD terbatas"]
RECOMMENDATIONS = ["Tetapkan Perbup masterplan smart city", "Bentuk satu data daerah", "Ukur manfaat quick win bagi warga"]


def demo_cohort(phase=None):
    """The regions selected in the demo phase (its invited regions if none is selected yet)."""
    phase = phase or Phase.objects.filter(is_demo=True).order_by("-year").first()
    if phase is None:
        return []
    selected = Participation.objects.filter(phase=phase, status=ParticipationStatus.SELECTED)
    if not selected.exists():
        selected = Participation.objects.filter(phase=phase, status__in=[ParticipationStatus.INVITED, ParticipationStatus.ASSESSED])
    return list(selected.order_by("region__code").values_list("region_id", flat=True)[:100])


def _scores(rng, count, base):
    values = np.clip(rng.normal(base, 0.6, size=(count, len(DIMENSIONS))), 0.5, 5.0)
    return [[Decimal(f"{value:.2f}") for value in row] for row in values.tolist()]


@transaction.atomic
def build_demo_evaluation(phase=None, year=None):
    """Create the two demo rounds the first time only; returns them (existing ones untouched)."""
    phase = phase or Phase.objects.filter(is_demo=True).order_by("-year").first()
    year = year or ((phase.year + 1) if phase else 2028)
    existing = list(EvaluationRound.objects.filter(round__year=year, round__is_demo=True).order_by("round__stage"))
    if existing:
        return existing
    cohort = demo_cohort(phase)
    if len(cohort) < 2:
        return []
    rng = np.random.default_rng(DEMO_SEED)
    first = services.create_round(year, 1, region_ids=cohort, is_demo=True, source="Demo: invented from a fixed seed.")
    first_scores = _scores(rng, len(cohort), 3.0)
    # A tie: the second region gets exactly the first one's scores.
    first_scores[1] = list(first_scores[0])
    rows = [{"region_id": region_id, **dict(zip(DIMENSIONS, values))} for region_id, values in zip(cohort, first_scores)]
    services.store_results(first, rows, origin="demo")
    from kotacerdas.regions.models import Region

    regions = Region.objects.in_bulk(cohort)
    for position, region_id in enumerate(cohort):
        pick = position % 3
        services.add_finding(first, regions[region_id], FindingKind.STRENGTH, STRENGTHS[pick])
        services.add_finding(first, regions[region_id], FindingKind.WEAKNESS, WEAKNESSES[pick])
        services.add_finding(first, regions[region_id], FindingKind.RECOMMENDATION, RECOMMENDATIONS[pick])
    services.publish_round(first)
    second = services.create_round(year, 2, region_ids=cohort, is_demo=True, source="Demo: invented from a fixed seed.")
    second_scores = [[min(Decimal(5), value + Decimal(f"{bump:.2f}")) for value, bump in zip(row, rng.uniform(0, 0.5, len(DIMENSIONS)))]
                     for row in first_scores]
    services.store_results(second, [{"region_id": region_id, **dict(zip(DIMENSIONS, values))}
                                    for region_id, values in zip(cohort, second_scores)], origin="demo")
    return [first, second]
