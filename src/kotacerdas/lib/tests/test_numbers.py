"""Numbers written the Indonesian or the English way: read by one field, shown the language's way."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from kotacerdas.lib.inputs import finite_float
from kotacerdas.lib.numbers import NumberError, NumberField, format_number, parse_number


@pytest.mark.parametrize("text, number", [
    ("0,25", "0.25"), ("0.25", "0.25"), ("1,0", "1.0"), ("12,5", "12.5"), ("-3,5", "-3.5"),
    ("1.500.000", "1500000"), ("1,500,000", "1500000"), ("1.500", "1500"),
    ("1.500.000,25", "1500000.25"), ("1,500,000.25", "1500000.25"), ("1.234,5", "1234.5"),
    ("0.250", "0.250"), ("0,250", "0.250"), (" 2 ", "2"), ("1\u00a0500", "1500"), ("7", "7"),
])
def test_both_ways_of_writing_a_number_are_read(text, number):
    assert parse_number(text) == Decimal(number)


@pytest.mark.parametrize("text", ["1.50.000", "1,2,3", "1.5,5.5", "abc", "", "nan", "inf", "--1", "1,5.000,2", "1e999", ",", "."])
def test_what_is_not_a_number_is_refused_with_a_message(text):
    with pytest.raises(NumberError, match="not a number|too large"):
        parse_number(text)


def test_a_number_that_reads_two_ways_is_refused_naming_both_readings():
    with pytest.raises(NumberError) as caught:
        parse_number("1,500")
    assert str(caught.value) == "“1,500” can be read as 1,5 or as 1500: write “1,5” for the decimal or “1500” for the whole number."


class WeightForm(forms.Form):
    weight = NumberField(min_value=0, max_value=10)


def test_the_form_field_accepts_the_value_it_shows_in_indonesian():
    with translation.override("id"):
        form = WeightForm(initial={"weight": Decimal("1.0")})
        assert 'value="1,0"' in str(form["weight"]) and 'type="text"' in str(form["weight"])
        assert WeightForm({"weight": "1,0"}).is_valid()
    for text in ("0,25", "0.25"):
        form = WeightForm({"weight": text})
        assert form.is_valid() and form.cleaned_data["weight"] == Decimal("0.25")


@pytest.mark.parametrize("text, error", [
    ("1,500", "can be read as 1,5 or as 1500"), ("abc", "not a number"), ("11", "less than or equal to 10"),
    ("-1", "greater than or equal to 0"),
])
def test_the_form_field_names_what_is_wrong(text, error):
    form = WeightForm({"weight": text})
    assert not form.is_valid() and error in form.errors["weight"][0]


def test_the_float_check_of_pages_reads_the_comma_and_refuses_the_ambiguous():
    assert finite_float("1.500.000", "budget") == 1_500_000
    assert finite_float("0,25", "weight") == 0.25
    with pytest.raises(Exception, match="weight: “1,500” can be read"):
        finite_float("1,500", "weight")


def test_pages_show_numbers_the_languages_way():
    with translation.override("id"):
        assert (format_number(0.25), format_number(1_500_000), format_number(Decimal("1234.50"), 2)) == ("0,25", "1.500.000", "1.234,50")
    with translation.override("en"):
        assert (format_number(0.25), format_number(1_500_000)) == ("0.25", "1,500,000")
    assert format_number(None) == ""


def test_a_charts_value_labels_follow_the_language_and_its_coordinates_keep_the_point():
    from kotacerdas.lib.svg import bar_chart

    with translation.override("id"):
        chart = str(bar_chart([("A", 0.25), ("B", 1.5)], "t", "d"))
    assert ">0,25<" in chart and ">1,5<" in chart
    assert 'width="' in chart and "," not in chart.split('width="')[1].split('"')[0]
