"""The migrations that introduce rounds keep every existing record: each phase gets its
selection round, and the questionnaires and panels attached to a phase point at its round, on a
database that already holds them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("program", "0001_initial"), ("questionnaires", "0001_initial"), ("assessment", "0001_initial")]
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


@pytest.mark.django_db(transaction=True)
def test_questionnaires_and_panels_of_a_phase_point_at_its_round_after_the_migration(reference_data):
    import datetime

    from django.utils import timezone

    old_apps = _migrate(BEFORE)
    Phase = old_apps.get_model("program", "Phase")
    Form = old_apps.get_model("questionnaires", "Form")
    FormVersion = old_apps.get_model("questionnaires", "FormVersion")
    Assignment = old_apps.get_model("questionnaires", "Assignment")
    Panel = old_apps.get_model("assessment", "Panel")
    HistoricalPanel = old_apps.get_model("assessment", "HistoricalPanel")
    phase = Phase.objects.create(year=2044, name="Tahap Uji 2044", quota=5)
    other = Phase.objects.create(year=2045, name="Tahap Uji 2045", quota=5)
    form = Form.objects.create(form_id="uji", title="Uji")
    FormVersion.objects.create(form=form, number=1, title="Uji", definition={}, question_count=0)
    now = timezone.now()
    readiness = Assignment.objects.create(form=form, phase=phase, stage="questionnaire", opens_at=now, closes_at=now + datetime.timedelta(days=1))
    later = Assignment.objects.create(form=form, phase=other, stage="questionnaire", opens_at=now, closes_at=now + datetime.timedelta(days=1))
    panel = Panel.objects.create(phase=phase, per_candidate=2)
    HistoricalPanel.objects.create(id=panel.pk, phase_id=phase.pk, state="preparing", per_candidate=2, conflict_same_province=True,
                                   conflict_same_region=True, conflict_mentored=True, weight_assessment=1, weight_questionnaire=0,
                                   weight_screening=0, agreement_threshold=0.667, history_date=now, history_type="+")

    _migrate(_all_leaves())
    new_apps = MigrationExecutor(connection).loader.project_state().apps
    Round = new_apps.get_model("program", "Round")
    NewAssignment = new_apps.get_model("questionnaires", "FormAssignment")
    NewPanel = new_apps.get_model("assessment", "Panel")
    round_of = dict(Round.objects.values_list("phase_id", "pk"))
    assert NewAssignment.objects.get(pk=readiness.pk).round_id == round_of[phase.pk]
    assert NewAssignment.objects.get(pk=later.pk).round_id == round_of[other.pk]
    assert NewAssignment.objects.get(pk=readiness.pk).phase_id == phase.pk  # kept as it was
    migrated = NewPanel.objects.get(pk=panel.pk)
    assert (migrated.round_id, migrated.phase_id, migrated.per_candidate) == (round_of[phase.pk], phase.pk, 2)
    assert new_apps.get_model("assessment", "HistoricalPanel").objects.get(id=panel.pk).round_id == round_of[phase.pk]
