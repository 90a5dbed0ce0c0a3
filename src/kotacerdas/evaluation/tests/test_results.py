"""Results of a round: index with the round's weight set, ranks with ties, improvement, weights
locked once results exist, corrections with their reason and the ranks following."""

from decimal import Decimal

import pytest

from kotacerdas.evaluation import services
from kotacerdas.evaluation.models import Correction, WeightSet

from .helpers import BALIKPAPAN, BANJAR, BARITO_KUALA, SAMARINDA, TANAH_LAUT, make_round, results, scores, store

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_default_weight_set_is_v2_and_the_older_v1_is_kept(reference_data):
    v2 = WeightSet.objects.get(is_default=True)
    assert v2.version == "v2"
    assert [int(w) for w in v2.weights().values()] == [10, 20, 30, 20, 20]
    assert [int(w) for w in WeightSet.objects.get(version="v1").weights().values()] == [10, 20, 30, 30, 10]


def test_a_new_round_covers_every_region_selected_in_any_phase_by_default(reference_data):
    from kotacerdas.program.models import Participation, ParticipationStatus

    evaluation = services.create_round(2035, 1)
    selected = set(Participation.objects.filter(status=ParticipationStatus.SELECTED).values_list("region_id", flat=True))
    assert selected and set(evaluation.regions.values_list("id", flat=True)) == selected
    assert evaluation.round.kind == "evaluation" and evaluation.weight_set.version == "v2"


def test_each_result_stores_its_index_and_weight_version(reference_data):
    evaluation = make_round()
    store(evaluation, {BANJAR: scores("3.50", "4.00", "3.50", "2.50", "3.00")})
    result = results(evaluation)[BANJAR]
    assert result.index == Decimal("3.30") and result.weight_version == "v2"
    explanation = services.explain(result)
    assert [line["contribution"] for line in explanation["lines"]] == [Decimal("0.35"), Decimal("0.8"), Decimal("1.05"), Decimal("0.5"), Decimal("0.6")]
    assert explanation["exact"] == Decimal("3.30")


def test_equal_indices_share_a_rank_nationally_and_per_province_and_the_next_rank_is_skipped(reference_data):
    evaluation = make_round()
    # Banjar (63) and Balikpapan (64) both reach 3.30 from different scores; Barito Kuala (63) and
    # Samarinda (64) both 3.00; Tanah Laut (63) 2.00.
    store(evaluation, {
        BANJAR: scores("3.50", "4.00", "3.50", "2.50", "3.00"),
        BALIKPAPAN: scores("3.30", "3.30", "3.30", "3.30", "3.30"),
        BARITO_KUALA: scores("3.00", "3.00", "3.00", "3.00", "3.00"),
        SAMARINDA: scores("3.00", "3.00", "3.00", "3.00", "3.00"),
        TANAH_LAUT: scores("2.00", "2.00", "2.00", "2.00", "2.00"),
    })
    ranks = {code: (r.index, r.national_rank, r.province_rank) for code, r in results(evaluation).items()}
    assert ranks == {
        BANJAR: (Decimal("3.30"), 1, 1), BALIKPAPAN: (Decimal("3.30"), 1, 1),
        BARITO_KUALA: (Decimal("3.00"), 3, 2), SAMARINDA: (Decimal("3.00"), 3, 2),
        TANAH_LAUT: (Decimal("2.00"), 5, 3),
    }


def test_indices_that_differ_only_beyond_two_decimals_tie(reference_data):
    evaluation = make_round()
    # Exact sums 3.025 and 3.030 differ, but the ranks are on the stored index: both 3.03.
    store(evaluation, {
        BANJAR: scores("3.25", "3.00", "3.00", "3.00", "3.00"),  # exact 3.025 -> 3.03
        BARITO_KUALA: scores("3.30", "3.00", "3.00", "3.00", "3.00"),  # exact 3.030
    })
    stored = results(evaluation)
    assert stored[BANJAR].index == stored[BARITO_KUALA].index == Decimal("3.03")
    assert stored[BANJAR].national_rank == stored[BARITO_KUALA].national_rank == 1


def test_improvement_is_measured_against_the_previous_result_of_the_region(reference_data):
    first = make_round(2031, 1)
    store(first, {BANJAR: scores("3.00", "3.00", "3.00", "3.00", "3.00")})
    second = make_round(2031, 2)
    store(second, {BANJAR: scores("3.50", "4.00", "3.50", "2.50", "3.00"), TANAH_LAUT: scores("1.00", "1.00", "1.00", "1.00", "1.00")})
    stored = results(second)
    assert stored[BANJAR].previous_index == Decimal("3.00") and stored[BANJAR].improvement == Decimal("0.30")
    assert stored[TANAH_LAUT].improvement is None


def test_changing_the_weights_of_a_round_with_results_is_refused(reference_data):
    evaluation = make_round()
    v1 = WeightSet.objects.get(version="v1")
    services.set_weights(evaluation, v1)  # no results yet: allowed
    store(evaluation, {BANJAR: scores("3.50", "4.00", "3.50", "2.50", "3.00")})
    assert results(evaluation)[BANJAR].index == Decimal("3.25") and results(evaluation)[BANJAR].weight_version == "v1"
    with pytest.raises(services.EvaluationRefused, match="weights cannot change"):
        services.set_weights(evaluation, WeightSet.objects.get(version="v2"))
    evaluation.refresh_from_db()
    assert evaluation.weight_set.version == "v1"


def test_scores_outside_0_to_5_are_refused_and_nothing_is_stored(reference_data):
    evaluation = make_round()
    with pytest.raises(services.EvaluationRefused, match="63.01: baseline must be between 0 and 5"):
        store(evaluation, {BANJAR: scores("3.00", "3.00", "3.00", "3.00", "3.00"), TANAH_LAUT: scores("5.01", "1", "1", "1", "1")})
    assert not evaluation.results.exists()


def test_a_published_result_changes_only_by_a_correction_with_its_reason_and_the_ranks_follow(reference_data, alice):
    evaluation = make_round()
    store(evaluation, {BANJAR: scores("3.00", "3.00", "3.00", "3.00", "3.00"), TANAH_LAUT: scores("2.00", "2.00", "2.00", "2.00", "2.00")})
    services.publish_round(evaluation, user=alice)
    with pytest.raises(services.EvaluationRefused, match="published"):
        store(evaluation, {BANJAR: scores("1.00", "1.00", "1.00", "1.00", "1.00")})
    tanah_laut = results(evaluation)[TANAH_LAUT]
    with pytest.raises(services.EvaluationRefused):
        services.correct_result(tanah_laut, {"outcome": Decimal("5.00")}, reason=" ", user=alice)
    services.correct_result(tanah_laut, {"outcome": Decimal("5.00"), "impact": Decimal("5.00")}, reason="Bukti Outcome terlewat", user=alice)
    stored = results(evaluation)
    # 0.2 + 0.4 + 1.5 + 1.0 + 0.4 = 3.50 > 3.00
    assert (stored[TANAH_LAUT].index, stored[TANAH_LAUT].national_rank) == (Decimal("3.50"), 1)
    assert stored[BANJAR].national_rank == 2
    correction = Correction.objects.get(result=stored[TANAH_LAUT])
    assert correction.reason == "Bukti Outcome terlewat" and correction.by == alice
    assert correction.before["index"] == "2.00" and correction.after["index"] == "3.50" and correction.before["national_rank"] == 2


def test_objections_are_accepted_only_inside_the_window(reference_data, alice):
    import datetime

    from django.utils import timezone

    evaluation = make_round()
    store(evaluation, {BANJAR: scores("3.00", "3.00", "3.00", "3.00", "3.00")})
    result = results(evaluation)[BANJAR]
    with pytest.raises(services.EvaluationRefused, match="not open"):
        services.file_objection(result, "Nilai kami salah")
    services.publish_round(evaluation, user=alice, objections_close_at=timezone.now() + datetime.timedelta(days=14))
    result.refresh_from_db()
    objection = services.file_objection(result, "Nilai Outcome kami salah")
    with pytest.raises(services.EvaluationRefused, match="not open"):
        services.file_objection(result, "Terlambat", now=timezone.now() + datetime.timedelta(days=15))
    services.decide_objection(objection, upheld=True, answer="Dikoreksi", scores={"outcome": Decimal("4.00")}, user=alice)
    assert results(evaluation)[BANJAR].index == Decimal("3.30")
    assert Correction.objects.get(result=result).reason == "Dikoreksi"


def test_a_correction_in_one_round_recomputes_the_improvement_of_the_next_round(reference_data, alice):
    first, second, third = make_round(2031, 1), make_round(2031, 2), make_round(2032, 1)
    store(first, {BANJAR: scores("3.00", "3.00", "3.00", "3.00", "3.00"), TANAH_LAUT: scores("2.00", "2.00", "2.00", "2.00", "2.00")})
    store(second, {BANJAR: scores("3.50", "3.50", "3.50", "3.50", "3.50")})
    store(third, {BANJAR: scores("4.00", "4.00", "4.00", "4.00", "4.00"), TANAH_LAUT: scores("2.50", "2.50", "2.50", "2.50", "2.50")})
    services.publish_round(first, user=alice)
    assert results(second)[BANJAR].improvement == Decimal("0.50")
    services.correct_result(results(first)[BANJAR], {d: Decimal("2.00") for d in scores("0", "0", "0", "0", "0")}, reason="Salah ketik", user=alice)
    # the next result of Banjar (second round) follows; the third measures against the second, unchanged
    assert (results(second)[BANJAR].previous_index, results(second)[BANJAR].improvement) == (Decimal("2.00"), Decimal("1.50"))
    assert results(third)[BANJAR].improvement == Decimal("0.50")
    # Tanah Laut has no result in the second round: its next result is in the third
    services.correct_result(results(first)[TANAH_LAUT], {"outcome": Decimal("3.00")}, reason="Bukti Outcome terlewat", user=alice)
    assert (results(third)[TANAH_LAUT].previous_index, results(third)[TANAH_LAUT].improvement) == (Decimal("2.30"), Decimal("0.20"))


def test_storing_a_round_again_recomputes_the_improvement_of_the_next_round(reference_data):
    first, second = make_round(2031, 1), make_round(2031, 2)
    store(first, {BANJAR: scores("3.00", "3.00", "3.00", "3.00", "3.00")})
    store(second, {BANJAR: scores("3.50", "3.50", "3.50", "3.50", "3.50")})
    store(first, {BANJAR: scores("1.00", "1.00", "1.00", "1.00", "1.00")})
    assert (results(second)[BANJAR].previous_index, results(second)[BANJAR].improvement) == (Decimal("1.00"), Decimal("2.50"))
    store(first, {TANAH_LAUT: scores("1.00", "1.00", "1.00", "1.00", "1.00")})
    assert (results(second)[BANJAR].previous_index, results(second)[BANJAR].improvement) == (None, None)
