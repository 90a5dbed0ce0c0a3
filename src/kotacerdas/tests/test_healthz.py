"""/healthz: 200 when the database answers, 503 when it does not."""

from unittest import mock

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_database_failure_is_503(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("database is gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    # And the connection works again afterwards.
    assert client.get("/healthz").status_code == 200
