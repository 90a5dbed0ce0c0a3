"""The evaluation index in exact decimal arithmetic (no Django: tested and benchmarked alone).

index = sum over the five dimensions of score (0-5) x weight (percent) / 100, rounded half up to
two decimals. ``Decimal`` keeps 3.125 -> 3.13 where binary floats would give 3.12 for some
inputs; the ministry's letters print two decimals, and the ranks are computed on exactly those.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DIMENSIONS = ("baseline", "output", "outcome", "impact", "quick_win")
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
# A published index computed from two-decimal inputs and rounded itself may differ from ours by
# at most one unit of its last digit; more than that is flagged.
PUBLISHED_TOLERANCE = Decimal("0.01")


def as_decimal(value):
    """``value`` as an exact Decimal (floats go through their shortest text: 3.45 -> '3.45')."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        value = repr(value)
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError(f"not a number: {value!r}") from None


def round_half_up(value):
    return as_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def contributions(scores, weights):
    """Each dimension's exact (unrounded) share of the index: score x weight / 100."""
    return {dimension: as_decimal(scores[dimension]) * as_decimal(weights[dimension]) / HUNDRED for dimension in DIMENSIONS}


def weighted_index(scores, weights):
    """The index of five scores with weights in percent, rounded half up to two decimals."""
    return round_half_up(sum(contributions(scores, weights).values(), Decimal(0)))


def improvement(index, previous_index):
    """The change over the previous result (None when there is none)."""
    if previous_index is None:
        return None
    return as_decimal(index) - as_decimal(previous_index)


def differs_from_published(computed, published):
    if published is None:
        return False
    return abs(as_decimal(computed) - as_decimal(published)) > PUBLISHED_TOLERANCE


def index_in_cents(index):
    """The two-decimal index as an integer number of hundredths (exact ranking keys)."""
    return int(as_decimal(index).scaleb(2).to_integral_value())


def implementation_ratio(running_or_done, planned):
    """Programs running or done over programs planned, in percent with two decimals rounded half
    up (9 of 10 -> 90.00); None when nothing was planned (no ratio, not zero)."""
    if planned == 0:
        return None
    if running_or_done < 0 or planned < 0 or running_or_done > planned:
        raise ValueError(f"running or done ({running_or_done}) must be between 0 and planned ({planned})")
    return round_half_up(Decimal(running_or_done) * HUNDRED / Decimal(planned))
