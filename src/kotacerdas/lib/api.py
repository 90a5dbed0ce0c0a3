"""What every endpoint of the JSON API shares: bounded pagination and a strict JSON parser.

A number from the outside reaches the database only inside the bounds a column holds (the tester's
``?offset=9223372036854775808`` was a 500); a JSON body may not carry ``NaN``, ``Infinity`` or a
number that overflows to it (``1e999``), nor a NUL or a lone surrogate in a text.
"""

import json
import math

from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser

from .inputs import clean_data

MAX_LIMIT = 1000
# No list of the platform comes near (84,000 villages, a few million indicator values).
MAX_OFFSET = 10**9


class BoundedPagination(LimitOffsetPagination):
    """``limit`` (1–1000, default 50) and ``offset`` (0–10⁹); answers ``{"items": [...], "count": N}``."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT, description="How many items (at most 1000).")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


def _finite(text):
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is not a finite number")
    return number


def _no_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


class StrictParser(Parser):
    """JSON as the standard defines it (no NaN/Infinity), with NUL and lone surrogates removed."""

    def parse_body(self, request):
        try:
            data = json.loads(request.body, parse_float=_finite, parse_constant=_no_constant)
        except ValueError as exc:
            raise HttpError(400, f"The body is not valid JSON: {exc}") from None
        return clean_data(data)
