"""The index: weighted sum of the five scores, rounded half up to two decimals in Decimal."""

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from kotacerdas.evaluation.scoring import differs_from_published, improvement, round_half_up, weighted_index

V2 = {"baseline": 10, "output": 20, "outcome": 30, "impact": 20, "quick_win": 20}
V1 = {"baseline": 10, "output": 20, "outcome": 30, "impact": 30, "quick_win": 10}


def scores(baseline, output, outcome, impact, quick_win):
    return dict(baseline=baseline, output=output, outcome=outcome, impact=impact, quick_win=quick_win)


def test_the_index_is_the_weighted_sum_of_the_five_scores():
    # 0.35 + 0.80 + 1.05 + 0.50 + 0.60 = 3.30
    assert weighted_index(scores("3.50", "4.00", "3.50", "2.50", "3.00"), V2) == Decimal("3.30")


def test_the_same_scores_give_another_index_with_the_older_weights():
    # 0.35 + 0.80 + 1.05 + 0.75 + 0.30 = 3.25
    assert weighted_index(scores("3.50", "4.00", "3.50", "2.50", "3.00"), V1) == Decimal("3.25")


def test_a_half_cent_is_rounded_up_not_to_even():
    # 0.325 + 0.6 + 0.9 + 0.6 + 0.6 = 3.025: half up gives 3.03 (banker's rounding would give 3.02).
    assert weighted_index(scores("3.25", "3.00", "3.00", "3.00", "3.00"), V2) == Decimal("3.03")
    assert round_half_up("2.345") == Decimal("2.35")
    assert round_half_up("2.344999") == Decimal("2.34")


def test_float_noise_does_not_change_the_rounding():
    # As binary floats, 1.005 * 100 is 100.49999...; in Decimal it is exactly 100.5.
    assert round_half_up(1.005) == Decimal("1.01")


@given(st.lists(st.integers(0, 500), min_size=5, max_size=5))
def test_the_index_matches_integer_arithmetic_in_hundredths(cents):
    values = [Decimal(c) / 100 for c in cents]
    total = sum(c * w for c, w in zip(cents, V2.values()))  # in 1/10000
    expected = Decimal((total + 50) // 100) / 100
    assert weighted_index(scores(*values), V2) == expected
    assert Decimal(0) <= weighted_index(scores(*values), V2) <= Decimal(5)


def test_improvement_is_the_difference_with_the_previous_result():
    assert improvement(Decimal("3.30"), Decimal("2.95")) == Decimal("0.35")
    assert improvement(Decimal("3.30"), None) is None


@pytest.mark.parametrize("published,flagged", [("3.30", False), ("3.31", False), ("3.29", False), ("3.32", True), ("3.28", True), (None, False)])
def test_a_published_index_is_flagged_when_it_differs_by_more_than_a_cent(published, flagged):
    assert differs_from_published(Decimal("3.30"), published) is flagged


@pytest.mark.parametrize("done,planned,ratio", [(9, 10, "90.00"), (2, 3, "66.67"), (1, 3, "33.33"), (1, 8, "12.50"), (0, 4, "0.00"), (5, 5, "100.00")])
def test_the_implementation_ratio_is_programs_running_or_done_over_planned(done, planned, ratio):
    from kotacerdas.evaluation.scoring import implementation_ratio

    assert implementation_ratio(done, planned) == Decimal(ratio)


def test_no_planned_program_gives_no_ratio_and_impossible_counts_are_refused():
    from kotacerdas.evaluation.scoring import implementation_ratio

    assert implementation_ratio(0, 0) is None
    with pytest.raises(ValueError, match="between 0 and planned"):
        implementation_ratio(11, 10)
