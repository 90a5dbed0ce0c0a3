"""The demo phase's screening: rules, a checklist and one ranking run on the synthetic values.

The demo's invited regions are this run's shortlist (:func:`load_demo_screening` confirms it; the
assessment's demo panel draws the assessed and selected regions from it), so the demo's participations and its confirmed run
tell the same story.
"""

import random

from django.db import transaction
from django.utils.translation import gettext_noop

from kotacerdas.indicators.models import Indicator
from kotacerdas.indicators.services import load_population_and_area, load_synthetic_values
from kotacerdas.lib.language import program_gettext
from kotacerdas.program.models import Participation, ParticipationStatus
from kotacerdas.program.services import set_status
from kotacerdas.regions.models import Region

from .models import AdministrativeCheck, EligibilityRule, RuleKind, RunStatus, ScreeningRun
from .services.invitation import confirm_run
from .services.runs import run_screening

DEMO_DATA_YEAR = 2026
DEMO_RUN_SEED = 2027
DEMO_CRITERIA = {
    "fiscal_capacity_index": 0.25,
    "ekppd_score": 0.20,
    "green_city_index": 0.15,
    "ipm": 0.20,
    "spbe_index": 0.20,
}
DEMO_REQUIREMENT = "Surat minat dan SK tim smart city daerah"


def load_demo_indicators():
    """Real population and area (end of 2024) and the demo's synthetic values; once each."""
    load_population_and_area()
    load_synthetic_values(DEMO_DATA_YEAR)


def create_demo_run(phase):
    """Rules and checklist of the demo phase, and its ranking run (not yet confirmed)."""
    load_demo_indicators()
    if not EligibilityRule.objects.filter(phase=phase).exists():
        EligibilityRule.objects.create(
            phase=phase, kind=RuleKind.THRESHOLD, indicator=Indicator.objects.get(code="fiscal_capacity_category"),
            operator=">=", category="sedang",
        )
        requirement = EligibilityRule.objects.create(phase=phase, kind=RuleKind.REQUIREMENT, requirement=DEMO_REQUIREMENT)
        rng = random.Random(DEMO_RUN_SEED)
        AdministrativeCheck.objects.bulk_create(
            AdministrativeCheck(rule=requirement, region_id=pk, met=rng.random() > 0.05)
            for pk in Region.objects.kabkota().order_by("code").values_list("pk", flat=True)
        )
    return run_screening(
        phase, criteria=list(DEMO_CRITERIA), weights=list(DEMO_CRITERIA.values()), data_year=DEMO_DATA_YEAR,
        method="saw", normalization="minmax", shortlist_size=phase.invited_target, spread={"min_per_island_group": 1},
        seed=DEMO_RUN_SEED, label=program_gettext(gettext_noop("Demo screening (synthetic values)")),
    )


def load_demo_screening(phase):
    """The demo phase's screening, the first time only: its run is confirmed, which invites the
    shortlist; regions its rules exclude are recorded as not eligible. Returns (run, created)."""
    load_demo_indicators()
    existing = ScreeningRun.objects.filter(phase=phase, status=RunStatus.CONFIRMED).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        already_selected = set(
            Participation.objects.filter(status=ParticipationStatus.SELECTED, phase__year__lt=phase.year)
            .values_list("region_id", flat=True)
        )
        run = create_demo_run(phase)
        for result in run.results.filter(rank__isnull=True).select_related("region"):
            if result.region_id not in already_selected:
                set_status(result.region, phase, ParticipationStatus.INELIGIBLE, reason=result.excluded_by)
        confirm_run(run)
    return run, True
