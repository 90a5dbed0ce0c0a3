"""Logs are JSON lines with the request id and the user id; /metrics gives Prometheus figures to
the ministry and to the configured networks only."""

import json
import logging

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """The JSON lines the project's log handler writes, as dicts."""
    from kotacerdas.lib.observability import JsonFormatter, RequestContextFilter

    lines = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(self.format(record)))

    handler = Keep()
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("kotacerdas")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def test_each_request_is_logged_as_json_with_its_id_and_the_user(client, alice, log_lines):
    client.force_login(alice)
    response = client.get("/accounts/", HTTP_X_REQUEST_ID="from-the-proxy-0123")
    assert response["X-Request-ID"] == "from-the-proxy-0123"
    line = next(item for item in log_lines if item["logger"] == "kotacerdas.requests")
    assert line["request_id"] == "from-the-proxy-0123" and line["user_id"] == alice.pk
    assert line["message"] == "GET /accounts/ 200" and line["status"] == 200 and line["view"] == "accounts:account"


def test_a_strange_request_id_is_replaced_and_anonymous_users_have_none(client, log_lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>" and len(response["X-Request-ID"]) == 32
    line = next(item for item in log_lines if item["logger"] == "kotacerdas.requests")
    assert line["request_id"] == response["X-Request-ID"] and line["user_id"] is None


def test_lines_outside_a_request_have_no_id(log_lines):
    logging.getLogger("kotacerdas.jobs").warning("worker %s", "w1", extra={"task": "t1"})
    assert log_lines == [{**log_lines[0], "message": "worker w1", "request_id": None, "user_id": None, "task": "t1", "level": "WARNING"}]


def _metric(text, name):
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_the_ministry_reads_latency_queue_and_failed_logins(client, alice, dave):
    from kotacerdas.reports.tasks import snapshot_open_data

    snapshot_open_data.enqueue()
    client.post("/accounts/login/", {"username": "dave", "password": "wrong"})
    client.force_login(alice)
    client.get("/regions/")
    text = client.get("/metrics").content.decode()
    assert _metric(text, "kotacerdas_tasks_queued") == 1
    assert _metric(text, "kotacerdas_failed_logins_total") == 1
    assert 'kotacerdas_request_duration_seconds_count{method="GET",status="200",view="program:region-list"}' in text


def test_others_are_refused_unless_their_network_is_configured(client, dave, settings):
    client.force_login(dave)
    assert client.get("/metrics").status_code == 403
    client.logout()
    assert client.get("/metrics").status_code == 302  # to the login page
    settings.KOTACERDAS_METRICS_NETWORKS = ["10.20.0.0/24"]
    assert client.get("/metrics", REMOTE_ADDR="10.20.0.7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.21.0.7").status_code == 302
