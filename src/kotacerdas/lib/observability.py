"""Logs and metrics that tell requests apart across several app servers.

Every request gets an id (the proxy's ``X-Request-ID`` when it sends a sane one, else a new one),
returned in the response's ``X-Request-ID``; every log line written while the request runs is one
JSON object carrying that id and the user's id, so the lines of one request can be found again
among all servers' logs. The request's latency goes to a Prometheus histogram (per process, or
shared by gunicorn's workers when ``PROMETHEUS_MULTIPROC_DIR`` is set, see deploy/README.md).
"""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import datetime, timezone

from prometheus_client import Histogram

_request = contextvars.ContextVar("kotacerdas_request", default=None)
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

REQUEST_LATENCY = Histogram(
    "kotacerdas_request_duration_seconds",
    "Time from the request reaching Django to the response leaving it.",
    ["method", "view", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
request_log = logging.getLogger("kotacerdas.requests")


def current_request_id():
    request = _request.get()
    return getattr(request, "request_id", None)


def _user_id(request):
    user = getattr(request, "user", None) if request is not None else None
    try:
        return user.pk if user is not None and user.is_authenticated else None
    except Exception:  # the session cannot be read (database away): the line is still written
        return None


class RequestContextMiddleware:
    """Gives each request its id, logs one line when it ends and records its latency."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex
        token = _request.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            elapsed = time.perf_counter() - started
            match = getattr(request, "resolver_match", None)
            view = (match.view_name if match else "") or "unresolved"
            REQUEST_LATENCY.labels(request.method, view, str(response.status_code)).observe(elapsed)
            response["X-Request-ID"] = request.request_id
            request_log.info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra={"status": response.status_code, "duration_ms": round(elapsed * 1000, 1), "view": view},
            )
            return response
        finally:
            _request.reset(token)


class RequestContextFilter(logging.Filter):
    """Adds ``request_id`` and ``user_id`` to every record (``None`` outside a request)."""

    def filter(self, record):
        request = _request.get()
        record.request_id = getattr(request, "request_id", None)
        record.user_id = _user_id(request)
        return True


_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id", "user_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line; fields given with ``extra=`` are kept."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None),
        }
        entry.update({key: value for key, value in vars(record).items() if key not in _STANDARD and not key.startswith("_")})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
