"""What the site's commands build, each stage by its own builder, in the order of the program.

A new stage adds its builder here, after the stage it follows; no stage calls a later one.
"""

from django.db import transaction

from kotacerdas.accounts.demo import load_demo_accounts
from kotacerdas.assessment.demo import load_demo_panel
from kotacerdas.masterplans.demo import build_demo_masterplans
from kotacerdas.mentoring.demo import build_demo_mentoring
from kotacerdas.program.demo import load_demo_phase
from kotacerdas.program.services import load_real_history
from kotacerdas.questionnaires.demo import load_demo_questionnaire
from kotacerdas.regions.reference import load_reference_data
from kotacerdas.screening.demo import load_demo_screening


def load_reference():
    """The shipped regions, figures and boundaries, then the program's real phases and
    selections. Returns (reports of the registry's loaders, {year: selected regions})."""
    reports = load_reference_data()
    selected = load_real_history()
    return reports, selected


def build_demo():
    """The demo on top of the reference data: the demo phase and its candidates, its screening,
    its readiness questionnaire, the demo accounts, its assessment panel and selection, the
    mentoring of the selected cohort and its regions' master plans. Each builder keeps what an earlier run made. Returns (phase, whether the phase was created)."""
    with transaction.atomic():
        phase, created = load_demo_phase()
        load_demo_screening(phase)
    load_demo_questionnaire(phase)
    load_demo_accounts()
    load_demo_panel(phase)
    build_demo_mentoring(phase)
    build_demo_masterplans(phase)
    return phase, created
