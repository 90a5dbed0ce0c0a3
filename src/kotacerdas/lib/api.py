"""What every endpoint of the JSON API shares: bounded pagination and a strict JSON parser.

A number from the outside reaches the database only inside the bounds a column holds (the tester's
``?offset=9223372036854775808`` was a 500); a JSON body may not carry ``NaN``, ``Infinity`` or a
number that overflows to it (``1e999``), nor a NUL or a lone surrogate in a text.
"""

import json
import math
from typing import List, Optional

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


# --- the one error shape ----------------------------------------------------------------------

# What kind of error each status is; every error item carries its own code too (a form's
# question may say "required" or "type" inside a 400 that is "invalid" as a whole).
ERROR_CODES = {
    400: "invalid", 401: "not_authenticated", 403: "permission_denied", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid_request",
    429: "throttled", 500: "server_error",
}


class ErrorItem(Schema):
    field: Optional[str] = Field(None, description="The field, question, row/column or parameter at fault; null for the whole request.")
    message: str = Field(description="What is wrong, in the caller's language.")
    code: str = Field(description="What kind of mistake (the status's code, or a finer one such as 'required').")


class ErrorOut(Schema):
    """Every error of the API: ``detail`` joins the messages, ``errors`` lists them one by one."""

    detail: str = Field(description="Every message, in the caller's language.")
    code: str = Field(description="What kind of error: " + ", ".join(sorted(set(ERROR_CODES.values()))) + ".")
    errors: List[ErrorItem]


def error_body(status, errors, detail=None):
    """The ErrorOut body for ``status``; ``errors`` holds (field, message) or (field, message, code)."""
    code = ERROR_CODES.get(status, "error")
    items = [{"field": None if not item[0] else str(item[0]), "message": str(item[1]),
              "code": item[2] if len(item) > 2 else code} for item in errors]
    if detail is None:
        detail = " ".join(item["message"] for item in items)
    return {"detail": str(detail), "code": code, "errors": items}


def validation_errors(exc):
    """(field, message) pairs of a Django ValidationError (field None for the whole object)."""
    if hasattr(exc, "error_dict"):
        return [(None if field == "__all__" else field, message)
                for field, messages in exc.message_dict.items() for message in messages]
    return [(None, message) for message in exc.messages]


def cell_errors(exc, field=None):
    """(field, message) pairs of a :class:`kotacerdas.lib.tabular.TableError`: each cell's message
    names its row and column; the field is ``field(error)`` when given, else the column (``file``
    for an error of the whole file)."""
    pairs = []
    for error in exc.errors:
        column = getattr(error, "column", "")
        pairs.append((field(error) if field else (column or "file"), str(error)))
    return pairs or [("file", str(exc))]


def table_refusal(exc, field=None):
    """A Django ValidationError holding :func:`cell_errors` grouped by field, for an API operation
    to raise (answered as the one 400 shape, one error item per bad cell)."""
    from django.core.exceptions import ValidationError

    grouped = {}
    for name, message in cell_errors(exc, field):
        grouped.setdefault(name, []).append(message)
    return ValidationError(grouped)
