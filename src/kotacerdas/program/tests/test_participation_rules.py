"""The program's rules on participation (program.services.set_status) and the real-history
loader (program.services.load_real_history)."""

import pytest

from kotacerdas.lib.tabular import TableError
from kotacerdas.program.models import Participation, Phase, PhaseStage, ParticipationStatus
from kotacerdas.program.services import (
    SELECTIONS_CSV,
    ParticipationRefused,
    load_real_history,
    set_status,
)
from kotacerdas.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def phase_2017(reference_data):
    return Phase.objects.get(year=2017)


@pytest.fixture
def phase_2018(reference_data):
    return Phase.objects.get(year=2018)


@pytest.fixture
def selected_2017(phase_2017):
    return (
        Participation.objects.filter(phase=phase_2017, status=ParticipationStatus.SELECTED)
        .order_by("region__code")
        .first()
        .region
    )


@pytest.fixture
def newcomer(reference_data):
    """A kabupaten/kota never recorded in any phase."""
    return Region.objects.kabkota().filter(participations__isnull=True).order_by("code").first()


def status_of(region, phase):
    return Participation.objects.filter(region=region, phase=phase).values_list("status", flat=True).first()


def snapshot():
    return (
        Participation.objects.count(),
        Participation.history.count(),
        Phase.objects.count(),
        Phase.history.count(),
        PhaseStage.objects.count(),
        PhaseStage.history.count(),
        sorted(Participation.objects.values_list("pk", "status", "source")),
    )


def test_selected_earlier_cannot_be_a_candidate_later(selected_2017, phase_2018):
    before = snapshot()
    with pytest.raises(ParticipationRefused) as refused:
        set_status(selected_2017, phase_2018, ParticipationStatus.INVITED, reason="invitation list")
    message = refused.value.messages[0]
    assert selected_2017.name in message
    assert "already selected" in message and "Tahap I 2017" in message
    assert snapshot() == before


@pytest.mark.parametrize("status", [ParticipationStatus.ELIGIBLE, ParticipationStatus.ASSESSED, ParticipationStatus.SELECTED, ParticipationStatus.NOT_SELECTED])
def test_selected_earlier_is_refused_any_candidate_status(selected_2017, phase_2018, status):
    with pytest.raises(ParticipationRefused):
        set_status(selected_2017, phase_2018, status, reason="x")
    assert status_of(selected_2017, phase_2018) is None


def test_selected_earlier_can_be_recorded_ineligible_later(selected_2017, phase_2018):
    participation = set_status(selected_2017, phase_2018, ParticipationStatus.INELIGIBLE, reason="already selected in 2017")
    assert participation.status == ParticipationStatus.INELIGIBLE
    assert status_of(selected_2017, phase_2018) == ParticipationStatus.INELIGIBLE


def test_a_later_candidate_cannot_be_selected_earlier(newcomer, phase_2017, phase_2018):
    set_status(newcomer, phase_2018, ParticipationStatus.INVITED, reason="invited in 2018")
    # Make room in 2017's quota so that only the ordering rule can refuse.
    phase_2017.quota = 26
    phase_2017.save()
    with pytest.raises(ParticipationRefused, match="later"):
        set_status(newcomer, phase_2017, ParticipationStatus.SELECTED, reason="late correction")
    assert status_of(newcomer, phase_2017) is None


def test_selecting_beyond_the_quota_is_refused(newcomer, phase_2017):
    set_status(newcomer, phase_2017, ParticipationStatus.ASSESSED, reason="assessed on 2 May 2017")
    before = snapshot()
    with pytest.raises(ParticipationRefused) as refused:
        set_status(newcomer, phase_2017, ParticipationStatus.SELECTED, reason="one more")
    assert "25" in refused.value.messages[0] and "quota" in refused.value.messages[0]
    assert snapshot() == before
    assert status_of(newcomer, phase_2017) == ParticipationStatus.ASSESSED
    assert Participation.objects.filter(phase=phase_2017, status=ParticipationStatus.SELECTED).count() == 25


def test_a_selected_region_may_be_saved_again_within_a_full_quota(selected_2017, phase_2017):
    participation = set_status(
        selected_2017, phase_2017, ParticipationStatus.SELECTED, reason="source corrected", source="a better source"
    )
    assert participation.source == "a better source"


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_reason_is_required(newcomer, phase_2018, reason):
    before = snapshot()
    with pytest.raises(ParticipationRefused, match="why"):
        set_status(newcomer, phase_2018, ParticipationStatus.ELIGIBLE, reason=reason)
    assert snapshot() == before


def test_a_province_cannot_participate(phase_2018):
    province = Region.objects.provinces().get(code="63")
    before = snapshot()
    with pytest.raises(ParticipationRefused, match="kabupaten or kota"):
        set_status(province, phase_2018, ParticipationStatus.ELIGIBLE, reason="try")
    assert snapshot() == before


def test_an_unknown_status_is_refused(newcomer, phase_2018):
    with pytest.raises(ParticipationRefused):
        set_status(newcomer, phase_2018, "crowned", reason="try")
    assert status_of(newcomer, phase_2018) is None


def test_every_change_is_kept_with_who_and_why(newcomer, phase_2018, django_user_model):
    officer = django_user_model.objects.create_user("officer", password="a-long-password-2")
    set_status(newcomer, phase_2018, ParticipationStatus.ELIGIBLE, user=officer, reason="passed screening")
    set_status(newcomer, phase_2018, ParticipationStatus.INVITED, user=officer, reason="ranked 40th")
    participation = set_status(newcomer, phase_2018, ParticipationStatus.WITHDRAWN, reason="letter of 3 March")
    records = list(participation.history.order_by("history_date", "history_id"))
    assert [(r.status, r.history_change_reason, r.history_user) for r in records] == [
        (ParticipationStatus.ELIGIBLE, "passed screening", officer),
        (ParticipationStatus.INVITED, "ranked 40th", officer),
        (ParticipationStatus.WITHDRAWN, "letter of 3 March", None),
    ]
    assert [r.history_type for r in records] == ["+", "~", "~"]
    delta = records[1].diff_against(records[0])
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("status", "eligible", "invited")]


def test_setting_the_same_status_again_writes_nothing(newcomer, phase_2018):
    set_status(newcomer, phase_2018, ParticipationStatus.ELIGIBLE, reason="screening")
    before = snapshot()
    set_status(newcomer, phase_2018, ParticipationStatus.ELIGIBLE, reason="screening again")
    assert snapshot() == before


# The real-history loader.


def test_real_history_is_loaded(reference_data):
    phases = {phase.year: phase for phase in Phase.objects.filter(is_demo=False)}
    assert sorted(phases) == [2017, 2018, 2019]
    selected = {
        year: Participation.objects.filter(phase=phase, status=ParticipationStatus.SELECTED).count()
        for year, phase in phases.items()
    }
    assert selected == {2017: 25, 2018: 50, 2019: 6}
    assert [phases[year].quota for year in (2017, 2018, 2019)] == [25, 50, 25]
    assert phases[2017].selection_complete and phases[2018].selection_complete
    assert phases[2019].selection_complete is False
    assert all(phase.source for phase in phases.values())
    # Each region is selected once at most.
    region_ids = Participation.objects.filter(status=ParticipationStatus.SELECTED).values_list("region_id", flat=True)
    assert len(region_ids) == len(set(region_ids)) == 81


def test_loading_again_changes_nothing(reference_data):
    before = snapshot()
    assert load_real_history() == {2017: 25, 2018: 50, 2019: 6}
    assert snapshot() == before


def test_a_misspelt_region_fails_naming_row_and_column_and_writes_nothing(reference_data, tmp_path):
    lines = SELECTIONS_CSV.read_text(encoding="utf-8-sig").splitlines()
    assert lines[2].startswith("2017,Kabupaten Pelalawan,")
    lines[2] = lines[2].replace("Kabupaten Pelalawan", "Kabupaten Pelalawaan")
    bad = tmp_path / "selections.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = snapshot()
    with pytest.raises(TableError) as failure:
        load_real_history(bad)
    errors = failure.value.errors
    assert [(error.row, error.column) for error in errors] == [(3, "region_name")]
    assert "Kabupaten Pelalawaan" in errors[0].message
    assert "row 3" in str(failure.value) and "region_name" in str(failure.value)
    assert snapshot() == before


def test_a_bad_file_does_not_touch_a_changed_database(reference_data, tmp_path):
    """Nothing of a bad file is written, even the rows before the bad one."""
    phase = Phase.objects.get(year=2018)
    Participation.objects.filter(phase=phase).delete()
    lines = SELECTIONS_CSV.read_text(encoding="utf-8-sig").splitlines()
    lines.append("2018,Kota Atlantis,invented")
    bad = tmp_path / "selections.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(TableError) as failure:
        load_real_history(bad)
    assert failure.value.errors[0].row == len(lines)
    assert Participation.objects.filter(phase=phase).count() == 0
