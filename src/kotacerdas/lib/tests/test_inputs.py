"""Numbers and texts from outside are checked before use (the tester's 500s and bad stored values)."""

import pytest
from django.core.exceptions import ValidationError

from kotacerdas.lib.inputs import bounded_int, clean_data, clean_text, finite_float, fraction
from kotacerdas.lib.printing import typst_text


@pytest.fixture(autouse=True)
def _english(english):
    """The tests check the English source strings."""
    yield


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e999", "Infinity", float("nan"), "abc", None])
def test_a_weight_must_be_a_finite_number(value):
    with pytest.raises(ValidationError, match="weight"):
        finite_float(value, "weight", minimum=0)


def test_a_finite_number_within_bounds_passes():
    assert finite_float("2,5", "weight", minimum=0) == 2.5
    with pytest.raises(ValidationError, match="at least 0"):
        finite_float("-1", "weight", minimum=0)


@pytest.mark.parametrize("value", [str(10**30), "9223372036854775808", "-5", "1.5", "nan", "1e999", "9" * 5000])
def test_a_count_must_be_a_whole_number_within_bounds(value):
    with pytest.raises(ValidationError, match="per candidate"):
        bounded_int(value, "assessors per candidate", minimum=1, maximum=20)


def test_a_pairwise_judgement_never_divides_by_zero():
    assert fraction("1/3", "pair") == pytest.approx(1 / 3)
    for text in ("1/0", "0/0", "nan/1", "1e999/2", "x/2"):
        with pytest.raises(ValidationError, match="pair"):
            fraction(text, "pair", minimum=0)


def test_nul_and_lone_surrogates_are_removed():
    assert clean_text("a\x00b\ud800c") == "abc"
    assert clean_data({"k\x00": ["a\udfffb", 1, {"x": "\x00"}]}) == {"k": ["ab", 1, {"x": ""}]}


def test_a_line_break_in_a_name_stays_on_one_line_of_typst():
    import typst

    name = "Tahap\n2027 *bold #set\r\n[x]"
    source = f"*{typst_text(name)}*\n"
    assert "\n" not in typst_text(name)
    assert typst.compile(source.encode(), format="pdf").startswith(b"%PDF")
