"""Numbers as people write and read them, in Indonesian or English.

In Indonesian the comma is the decimal separator and the point groups thousands (Rp 1.500.000;
0,25); in English the other way round. A field accepts both ways and reads them so:

- one separator kind used for grouping must group digits in threes ("1.500.000", "1,500,000");
- with a point and a comma, the last one is the decimal separator ("1.500.000,25", "1,500.25");
- a comma alone is the decimal separator ("0,25", "12,5"), except a single comma followed by
  exactly three digits ("1,500"), which an English writer means as 1500 and an Indonesian one
  as 1.5: refused, with the two readings named;
- a point alone is read as the decimal separator only when it does not group digits in threes
  ("0.25", "12.5", "0.250"); "1.500" is 1500 and "1.500.000" is 1500000.

What machines read (CSV, JSON, the API, the command line, open data) always uses the point and is
never read through this module; pages, charts and PDFs show numbers with :func:`format_number`,
in the active language's way.
"""

import math
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

_GROUPED = r"[1-9]\d{{0,2}}(?:{sep}\d{{3}})+"
_POINT_GROUPED = re.compile(_GROUPED.format(sep=r"\.") + "$")
_COMMA_GROUPED = re.compile(_GROUPED.format(sep=",") + "$")
_AMBIGUOUS_COMMA = re.compile(r"[1-9]\d{0,2},\d{3}$")
_PLAIN = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$|\.\d+$")


class NumberError(ValueError):
    """A text that is not a number, or that could be read as two different numbers."""


def parse_number(text):
    """``text`` as a finite Decimal, read by the rules of the module's docstring; NumberError
    (its message says what is wrong, in the active language) otherwise."""
    raw = str(text)
    body = raw.strip().replace("\u00a0", "").replace(" ", "")
    sign = ""
    if body[:1] in "+-" and body:
        sign, body = ("-" if body[0] == "-" else ""), body[1:]
    if "," in body and "." in body:
        decimal_mark = "," if body.rfind(",") > body.rfind(".") else "."
        whole, _sep, fraction = body.rpartition(decimal_mark)
        grouped = _POINT_GROUPED if decimal_mark == "," else _COMMA_GROUPED
        if not fraction.isdigit() or not (grouped.match(whole) or whole.isdigit() and len(whole) <= 3):
            raise NumberError(_("“%(value)s” is not a number.") % {"value": raw.strip()[:40]})
        plain = whole.replace(",", "").replace(".", "") + "." + fraction
    elif "," in body:
        if _COMMA_GROUPED.match(body) and body.count(",") > 1:
            plain = body.replace(",", "")
        elif _AMBIGUOUS_COMMA.match(body):
            whole, fraction = body.split(",")
            raise NumberError(
                _("“%(value)s” can be read as %(decimal)s or as %(thousands)s: write “%(decimal)s” for the decimal or “%(thousands)s” for the whole number.")
                % {"value": raw.strip(), "decimal": f"{whole},{fraction.rstrip('0') or '0'}", "thousands": whole + fraction}
            )
        elif body.count(",") == 1:
            plain = body.replace(",", ".")
        else:
            raise NumberError(_("“%(value)s” is not a number.") % {"value": raw.strip()[:40]})
    elif body.count(".") >= 1 and _POINT_GROUPED.match(body):
        plain = body.replace(".", "")
    else:
        plain = body
    if not _PLAIN.match(plain):
        raise NumberError(_("“%(value)s” is not a number.") % {"value": raw.strip()[:40]})
    try:
        number = Decimal(sign + plain)
    except InvalidOperation:
        raise NumberError(_("“%(value)s” is not a number.") % {"value": raw.strip()[:40]}) from None
    if not number.is_finite() or not math.isfinite(float(number)):
        raise NumberError(_("“%(value)s” is too large.") % {"value": raw.strip()[:40]})
    return number


def format_number(value, places=None, grouping=True):
    """``value`` for a page, chart or PDF in the active language ("0,25", "1.500.000" in
    Indonesian); ``places`` decimals when given, else as many as the value has (at most 4)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        value = Decimal(repr(value))
    if places is None and isinstance(value, Decimal):
        exponent = value.quantize(Decimal("0.0001")).normalize().as_tuple().exponent
        places = min(max(0, -exponent), 4)
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=grouping)


class NumberField(forms.DecimalField):
    """The one numeric form field: reads "0,25", "0.25", "1.500.000" (:func:`parse_number`), shows
    its initial value in the active language, is a text box (a browser's number box refuses the
    decimal comma). ``as_float`` gives a float instead of a Decimal."""

    def __init__(self, *args, as_float=False, **kwargs):
        self.as_float = as_float
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            number = Decimal(str(value))
        else:
            try:
                number = parse_number(value)
            except NumberError as exc:
                raise ValidationError(str(exc), code="invalid") from None
        return number

    def clean(self, value):
        number = super().clean(value)
        return float(number) if self.as_float and number is not None else number

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        return attrs
