import pytest

from kotacerdas.assessment.tests.helpers import small_panel


@pytest.fixture
def panel_and_assignments(bob):
    return small_panel(bob)


@pytest.fixture
def panel(panel_and_assignments):
    return panel_and_assignments[0]


@pytest.fixture
def assignments(panel_and_assignments):
    return panel_and_assignments[1]


def score_all(assignment, value, *, submit=True):
    from kotacerdas.assessment.services.score_sheets import save_scores

    values = {a.pk: (value(a) if callable(value) else value, "") for a in assignment.panel.aspects.all()}
    return save_scores(assignment, values, user=assignment.assessor.user, submit=submit)
