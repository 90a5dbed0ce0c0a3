"""Numbers and texts from outside (a form, a query string, a JSON body, a spreadsheet), checked
before anything uses or stores them.

The outside tester's 500s and bad stored values had one cause: ``float()`` accepts ``nan``,
``inf`` and ``1e999``; ``int()`` accepts ``10**30``, which no database column holds; a text may
carry a NUL (PostgreSQL refuses it) or a lone surrogate (UTF-8 cannot encode it). Every such value
is refused here with a message that names the field, or (texts) cleaned.
"""

import math
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The largest integer a database column (bigint) holds; most fields have far tighter bounds.
BIGINT_MAX = 2**63 - 1
# A year the program can mean (the data of a phase, a phase itself).
YEAR_MIN, YEAR_MAX = 1900, 2200

_UNSAFE_TEXT = re.compile(r"[\x00\ud800-\udfff]")


def finite_float(value, field, *, minimum=None, maximum=None):
    """``value`` (text or number) as a finite float within the bounds, or ValidationError naming ``field``."""
    from .numbers import NumberError, parse_number

    if isinstance(value, str):
        try:
            number = float(parse_number(value))
        except NumberError as exc:  # says why, and the two readings of an ambiguous number
            raise ValidationError(f"{field}: {exc}") from None
        _check_bounds(number, field, minimum, maximum)
        return number
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(_("%(field)s: “%(value)s” is not a number.") % {"field": field, "value": clean_text(str(value))[:40]}) from None
    if not math.isfinite(number):
        raise ValidationError(_("%(field)s must be a finite number.") % {"field": field})
    _check_bounds(number, field, minimum, maximum)
    return number


def bounded_int(value, field, *, minimum=0, maximum=BIGINT_MAX):
    """``value`` as an integer within the bounds, or ValidationError naming ``field``."""
    if isinstance(value, bool):
        value = int(value)
    try:
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueError
            number = int(value)
        else:
            text = str(value).strip()
            if len(text) > 40:  # no bounded integer has that many digits; int() of a huge text is slow
                raise ValueError
            number = int(text)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(_("%(field)s: “%(value)s” is not a whole number.") % {"field": field, "value": clean_text(str(value))[:40]}) from None
    _check_bounds(number, field, minimum, maximum)
    return number


def fraction(text, field, *, minimum=None, maximum=None):
    """A number written as ``3``, ``0.5`` or ``1/3`` (AHP's judgements): finite, never over zero."""
    text = str(text).strip()
    if "/" in text:
        top, bottom = text.split("/", 1)
        top = finite_float(top, field)
        bottom = finite_float(bottom, field)
        if bottom == 0:
            raise ValidationError(_("%(field)s: “%(value)s” divides by zero.") % {"field": field, "value": clean_text(text)[:40]})
        number = top / bottom
        if not math.isfinite(number):
            raise ValidationError(_("%(field)s must be a finite number.") % {"field": field})
        _check_bounds(number, field, minimum, maximum)
        return number
    return finite_float(text, field, minimum=minimum, maximum=maximum)


def _check_bounds(number, field, minimum, maximum):
    if minimum is not None and number < minimum:
        raise ValidationError(_("%(field)s must be at least %(minimum)s.") % {"field": field, "minimum": minimum})
    if maximum is not None and number > maximum:
        raise ValidationError(_("%(field)s must be at most %(maximum)s.") % {"field": field, "maximum": maximum})


def clean_text(text):
    """``text`` without NUL characters and lone surrogates (no database stores them)."""
    if not isinstance(text, str):
        return text
    return _UNSAFE_TEXT.sub("", text)


def clean_data(data):
    """:func:`clean_text` over every string of a parsed JSON document (keys too)."""
    if isinstance(data, str):
        return clean_text(data)
    if isinstance(data, dict):
        return {clean_data(key): clean_data(value) for key, value in data.items()}
    if isinstance(data, list):
        return [clean_data(value) for value in data]
    return data
