"""Importing indicator values through the API, the twin of the import page: the same service,
the ministry only, every bad cell named by row and column with nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.indicators.models import ImportBatch, IndicatorValue
from kotacerdas.indicators.services import seed_catalogue
from kotacerdas.accounts.tests.helpers import bearer

URL = "/api/v1/indicators/imports"
LONG = "region_code,indicator,year,value\n63.03,ipm,2023,70.5\n63.71,sustainable_city_index,2023,61\n"


@pytest.fixture
def catalogue(reference_data):
    seed_catalogue()


def upload(text):
    return {"file": SimpleUploadedFile("values.csv", text.encode())}


def test_the_ministry_imports_values(client, catalogue, alice):
    response = client.post(URL, upload(LONG), **bearer(alice))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["layout"], body["value_count"], body["created_count"]) == ("long", 2, 2)
    assert ImportBatch.objects.get(pk=body["id"]).created_by == alice
    assert IndicatorValue.objects.get(region__code="63.03", indicator__code="ipm", year=2023).value == 70.5


def test_a_bad_cell_is_named_and_nothing_is_written(client, catalogue, alice):
    response = client.post(URL, upload(LONG + "63.04,ipm,2023,tujuh puluh\n"), **bearer(alice))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and {e["field"] for e in body["errors"]} == {"value"} and "row 4" in body["detail"]
    assert not IndicatorValue.objects.filter(year=2023, indicator__code="ipm").exists()


def test_a_large_file_goes_to_a_task_worker(client, catalogue, alice, settings):
    settings.KOTACERDAS_INLINE_IMPORT_BYTES = 10
    response = client.post(URL, upload(LONG), **bearer(alice))
    assert response.status_code == 202 and response.json()["progress_url"].startswith("/tasks/")


@pytest.mark.parametrize("role", ["assessor", "mentor", "operator"])
def test_only_the_ministry_imports(client, catalogue, role_users, role):
    assert client.post(URL, upload(LONG), **bearer(role_users[role])).status_code == 403
    assert client.post(URL, upload(LONG)).status_code == 401
    assert not ImportBatch.objects.exists()
