"""The migration that introduces rounds keeps every existing record: each phase gets its
selection round, on a database that already holds phases."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("program", "0001_initial")]
AFTER = [("program", "0002_rounds")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_each_existing_phase_becomes_a_selection_round(reference_data):
    old_apps = _migrate(BEFORE)
    Phase = old_apps.get_model("program", "Phase")
    demo = Phase.objects.create(year=2041, name="Tahap Uji 2041", quota=5, is_demo=True)
    real = Phase.objects.create(year=2042, name="Tahap Uji 2042", quota=7)
    phases = dict(Phase.objects.values_list("pk", "year"))

    new_apps = _migrate(AFTER)
    _migrate(_all_leaves())
    Round = new_apps.get_model("program", "Round")

    rounds = {r.phase_id: r for r in Round.objects.all()}
    assert set(rounds) == set(phases)
    assert all(r.kind == "selection" and r.stage == 1 for r in rounds.values())
    assert rounds[demo.pk].year == 2041 and rounds[demo.pk].is_demo
    assert rounds[real.pk].name == "Tahap Uji 2042" and not rounds[real.pk].is_demo


def _all_leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_a_new_phase_gets_its_round_and_keeps_it_in_step(db):
    from kotacerdas.program.models import Phase, Round

    phase = Phase.objects.create(year=2043, name="Tahap 2043", quota=3)
    assert Round.objects.get(phase=phase).name == "Tahap 2043"
    phase.name = "Tahap Baru 2043"
    phase.save()
    assert Round.objects.filter(phase=phase).count() == 1
    assert phase.round.name == "Tahap Baru 2043"
