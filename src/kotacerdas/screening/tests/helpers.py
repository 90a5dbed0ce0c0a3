"""Test data for screening: the demo phase (never a real one) with the demo's synthetic values."""

from kotacerdas.program.demo import DEMO_PHASE
from kotacerdas.program.models import Phase
from kotacerdas.program.services import upsert_phase
from kotacerdas.screening.demo import DEMO_CRITERIA, DEMO_DATA_YEAR, DEMO_REQUIREMENT, load_demo_indicators
from kotacerdas.screening.models import EligibilityRule, RuleKind, RunStatus, ScreeningRun
from kotacerdas.screening.services.invitation import confirm_run
from kotacerdas.screening.services.runs import run_screening


def demo_phase():
    phase = Phase.objects.filter(year=DEMO_PHASE["year"]).first()
    if phase is None:
        phase = upsert_phase(dict(DEMO_PHASE, stages=[]), is_demo=True)
    load_demo_indicators()
    return phase


def make_run(phase=None, *, confirm=False, samples=500, **options):
    phase = phase or demo_phase()
    arguments = dict(criteria=list(DEMO_CRITERIA), weights=list(DEMO_CRITERIA.values()), data_year=DEMO_DATA_YEAR,
                     method="saw", shortlist_size=80, seed=7, samples=samples)
    arguments.update(options)
    run = run_screening(phase, **arguments)
    if confirm:
        confirm_run(run)
    return run


def matrix_ids():
    """Objects the role matrix asks for: a confirmed run, one of its ranked regions, an import, a
    requirement of the run's phase."""
    run = ScreeningRun.objects.filter(status=RunStatus.CONFIRMED).first()
    if run is None:
        run = make_run(confirm=True, samples=200)
    from kotacerdas.indicators.models import ImportBatch

    requirement = EligibilityRule.objects.filter(phase=run.phase, kind=RuleKind.REQUIREMENT).first()
    if requirement is None:
        requirement = EligibilityRule.objects.create(phase=run.phase, kind=RuleKind.REQUIREMENT, requirement=DEMO_REQUIREMENT)
    return {
        "confirmed_run": run.pk,
        "requirement_rule": requirement.pk,
        "ranked_region": run.results.filter(rank=1).first().region.code,
        "batch": ImportBatch.objects.first().pk,
    }
