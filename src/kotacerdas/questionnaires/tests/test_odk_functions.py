"""ODK's function list (https://docs.getodk.org/form-operators-functions/) evaluated on the
server, checked against the values and rules the documentation gives."""

import base64
import hashlib
import math

import pytest

from kotacerdas.questionnaires import expressions
from kotacerdas.questionnaires.expressions import Context, ExpressionError, evaluate


def value(text, current=""):
    return evaluate(text, Context(resolve=lambda name: "", current=current))


@pytest.mark.parametrize("text, expected", [
    ("atan(1)", math.pi / 4),
    ("atan2(1, 1)", math.pi / 4),
    ("atan2(2, 2)", 0.785398163),
    ("asin(1)", math.pi / 2),
    ("acos(1)", 0.0),
    ("sin(pi() div 2)", 1.0),
    ("cos(0)", 1.0),
    ("tan(0)", 0.0),
    ("exp(2.5)", 12.18249396),
    ("exp10(3)", 1000.0),
    ("log(exp(2))", 2.0),
    ("log10(1000)", 3.0),
    ("pi()", math.pi),
    ("pow(2, 10)", 1024.0),
    ("sqrt(16)", 4.0),
    ("abs(-3.5)", 3.5),
    ("round(3.14159, 2)", 3.14),
    ("int(-3.7)", -3.0),
    ("decimal-time('12:00:00.000+07:00')", 0.5),  # "noon is 0.5"
    ("decimal-time('18:00:00.000+07:00')", 0.75),  # "6:00 PM is 0.75"
    ("string-length('Banjar')", 6.0),
])
def test_mathematics_and_numbers_as_odk_documents_them(text, expected):
    assert value(text) == pytest.approx(expected, rel=1e-8)


def test_outside_their_domain_the_functions_give_nan():
    assert math.isnan(value("asin(2)")) and math.isnan(value("log(-1)")) and math.isnan(value("sqrt(-1)"))
    assert value("log(0)") == -math.inf


@pytest.mark.parametrize("text, expected", [
    ("substr('kotacerdas', 4, 7)", "cer"),
    ("substring-before('63.03', '.')", "63"),
    ("substring-after('63.03', '.')", "03"),
    ("translate('abc', 'ab', 'A')", "Ac"),  # "a" becomes "A", "b" is removed
    ("normalize-space('  Kota   Banjarmasin ')", "Kota Banjarmasin"),
    ("concat('a', 'b', 'c')", "a" + "b" + "c"),
    ("format-date('2024-03-05', '%e/%n/%y')", "5/3/24"),
    ("format-date-time('2024-03-05T09:07:03.250', '%H:%M:%S.%3 %h')", "09:07:03.250 9"),
    ("coalesce('', 'b')", "b"),
    ("boolean-from-string('1')", True),
    ("checklist(1, 2, 'yes', 'no', 'yes')", True),  # two answers exactly "yes"
    ("checklist(-1, 1, 'yes', 'yes')", False),
    ("weighted-checklist(3, -1, 'yes', 2, 'yes', 1, 'no', 5)", True),
])
def test_strings_dates_and_utilities_as_odk_documents_them(text, expected):
    assert value(text) == expected


def test_string_length_without_argument_reads_the_current_answer():
    assert value("string-length() <= 5", current="Banjar") is False
    assert value("normalize-space()", current=" a  b ") == "a b"


def test_digest_matches_the_standard_hashes():
    assert value("digest('abc', 'SHA-256', 'hex')") == hashlib.sha256(b"abc").hexdigest()
    assert value("digest('abc', 'MD5')") == base64.b64encode(hashlib.md5(b"abc").digest()).decode()
    with pytest.raises(ExpressionError, match="unknown algorithm"):
        value("digest('abc', 'SHA-3')")


def test_uuid_and_random():
    assert len(value("uuid()")) == 36 and len(value("uuid(12)")) == 12
    assert 0 <= value("random()") < 1


def test_area_of_a_one_degree_square_on_the_equator():
    # 1° × 1° at the equator on JavaRosa's sphere (R = 6,378,100 m): about 12,391 km².
    square = "0 0 0 0; 0 1 0 0; 1 1 0 0; 1 0 0 0; 0 0 0 0"
    assert value(f"area('{square}')") == pytest.approx(1.2391e10, rel=2e-3)


def test_position_outside_a_repeat_and_bad_indexed_repeat_are_errors():
    with pytest.raises(ExpressionError, match="outside a repeat"):
        value("position(..)")
    with pytest.raises(ExpressionError):
        expressions.parse("indexed-repeat('x', 1, 2)")  # arity is fine; the check is at evaluation
        value("indexed-repeat('x', 1, 2)")


def test_pulldata_reads_an_attached_csv():
    rows = [{"code": "63.03", "name": "Kabupaten Banjar"}, {"code": "63.71", "name": "Kota Banjarmasin"}]
    context = Context(resolve=lambda name: "", attachments={"regions.csv": rows})
    assert evaluate("pulldata('regions', 'name', 'code', '63.71')", context) == "Kota Banjarmasin"
    assert evaluate("pulldata('regions', 'name', 'code', '99.99')", context) == ""
    with pytest.raises(ExpressionError, match="no file 'other.csv'"):
        evaluate("pulldata('other', 'name', 'code', '1')", context)
