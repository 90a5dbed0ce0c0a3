"""The public ranking (page, XLSX/CSV, API) once published, drafts for the ministry only, each
result with how it was computed, the letter as PDF, and the ministry's write operations."""

import io
import json

import pytest
from openpyxl import load_workbook

from kotacerdas.accounts.services import create_token
from kotacerdas.evaluation import services

from .helpers import BALIKPAPAN, BANJAR, BARITO_KUALA, SAMARINDA, TANAH_LAUT, make_round, scores, store

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def published(reference_data):
    evaluation = make_round(2031, 1)
    services.add_finding(evaluation, services.Region.objects.get(code=BANJAR), "recommendation", "Tetapkan Perbup masterplan")
    store(evaluation, {
        BANJAR: scores("3.50", "4.00", "3.50", "2.50", "3.00"), BALIKPAPAN: scores("3.30", "3.30", "3.30", "3.30", "3.30"),
        BARITO_KUALA: scores("3.00", "3.00", "3.00", "3.00", "3.00"), SAMARINDA: scores("2.00", "2.00", "2.00", "2.00", "2.00"),
        TANAH_LAUT: scores("1.00", "1.00", "1.00", "1.00", "1.00"),
    })
    return services.publish_round(evaluation)


def test_the_api_lists_published_rounds_with_their_weights_and_pages_results(client, published, reference_data):
    make_round(2031, 2)  # unpublished: not listed for the public
    body = client.get("/api/v1/evaluation/rounds").json()
    assert body["count"] == 1
    assert body["items"][0] == {"id": published.pk, "year": 2031, "stage": 1, "published": True, "is_demo": True, "weight_version": "v2",
                                "weights": {"baseline": "10.00", "output": "20.00", "outcome": "30.00", "impact": "20.00", "quick_win": "20.00"}}
    page = client.get(f"/api/v1/evaluation/rounds/{published.pk}/results?limit=2").json()
    assert page["count"] == 5
    assert [(r["region_code"], r["index"], r["national_rank"], r["province_rank"]) for r in page["items"]] == [
        (BANJAR, "3.30", 1, 1), (BALIKPAPAN, "3.30", 1, 1),
    ]
    assert page["items"][1]["weight_version"] == "v2" and page["items"][1]["improvement"] is None


def test_an_unpublished_round_is_the_ministrys_only(client, reference_data, alice):
    draft = make_round(2031, 2)
    store(draft, {BANJAR: scores("1.00", "1.00", "1.00", "1.00", "1.00")})
    assert client.get(f"/api/v1/evaluation/rounds/{draft.pk}/results").status_code == 404
    assert client.get(f"/evaluation/{draft.pk}/").status_code == 404
    client.force_login(alice)
    assert client.get(f"/evaluation/{draft.pk}/").status_code == 200
    _token, secret = create_token(alice, "t")
    assert client.get(f"/api/v1/evaluation/rounds/{draft.pk}/results", HTTP_AUTHORIZATION=f"Bearer {secret}").json()["count"] == 1


def test_the_ranking_page_and_its_exports_are_public(client, published):
    page = client.get(f"/evaluation/{published.pk}/").content.decode()
    assert "Kota Balikpapan" in page and "3.30" in page
    workbook = load_workbook(io.BytesIO(client.get(f"/evaluation/{published.pk}/export/xlsx/").content))
    rows = list(workbook.active.values)
    assert rows[0][0].startswith("Demo evaluation")
    assert rows[1][:3] == ("national_rank", "province_rank", "region_code")
    assert [row[:3] for row in rows[2:4]] == [(1, 1, BANJAR), (1, 1, BALIKPAPAN)]
    csv_text = client.get(f"/evaluation/{published.pk}/export/csv/").content.decode("utf-8-sig")
    assert "3,2,63.04" in csv_text.replace("\r", "")
    assert client.get(f"/evaluation/{published.pk}/export/pdf/").status_code == 400


def test_a_result_shows_how_it_was_computed_and_findings_only_to_its_region(client, published, dave, erin):
    url = f"/evaluation/{published.pk}/regions/{BANJAR}/"
    page = client.get(url).content.decode()
    assert "3.3000" in page and "How this result was computed" in page
    assert "Tetapkan Perbup" not in page
    client.force_login(erin)
    assert "Tetapkan Perbup" not in client.get(url).content.decode()
    client.force_login(dave)
    assert "Tetapkan Perbup" in client.get(url).content.decode()


def test_the_result_letter_is_a_pdf_for_the_region_and_the_ministry(client, published, dave, erin):
    from kotacerdas.evaluation.letters import letter_typst

    result = published.results.get(region__code=BANJAR)
    source = letter_typst(result)
    assert result.letter_number == "002/2031/1"
    assert "3.30" in source and "Tetapkan Perbup masterplan" in source and "002\\/2031\\/1" in source
    client.force_login(dave)
    response = client.get(f"/evaluation/{published.pk}/regions/{BANJAR}/letter.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    client.force_login(erin)
    assert client.get(f"/evaluation/{published.pk}/regions/{BANJAR}/letter.pdf").status_code == 404


def test_the_letter_carries_the_smart_city_chart_when_the_verification_scored_them(reference_data):
    from kotacerdas.evaluation.letters import letter_pdf, letter_typst

    evaluation = make_round(2031, 1)
    store(evaluation, {BANJAR: {**scores("3.00", "3.00", "3.00", "3.00", "3.00"),
                                "smart_city_scores": {"governance": "3.50", "branding": "2.00", "economy": "4.00",
                                                      "living": "3.00", "society": "2.50", "environment": "1.50"}}})
    result = evaluation.results.get()
    assert "image(bytes(" in letter_typst(result) and "Smart governance" in letter_typst(result)
    assert letter_pdf(result).startswith(b"%PDF")


def test_the_ministry_creates_a_round_stores_scores_and_publishes_through_the_api(client, reference_data, alice):
    _token, secret = create_token(alice, "t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    response = client.post("/api/v1/evaluation/rounds", json.dumps({"year": 2032, "stage": 1, "region_codes": [BANJAR, TANAH_LAUT]}),
                           content_type="application/json", **auth)
    assert response.status_code == 201
    round_id = response.json()["id"]
    rows = [{"region_code": BANJAR, "baseline": "3.5", "output": "4", "outcome": "3.5", "impact": "2.5", "quick_win": "3"},
            {"region_code": TANAH_LAUT, "baseline": "1", "output": "1", "outcome": "1", "impact": "1", "quick_win": "1"}]
    assert client.put(f"/api/v1/evaluation/rounds/{round_id}/results", json.dumps({"results": rows}), content_type="application/json", **auth).json() == {"count": 2}
    refused = client.put(f"/api/v1/evaluation/rounds/{round_id}/weights", json.dumps({"weight_version": "v1"}), content_type="application/json", **auth)
    assert refused.status_code == 400 and "weights cannot change" in refused.json()["detail"]
    assert client.post(f"/api/v1/evaluation/rounds/{round_id}/publish", "{}", content_type="application/json", **auth).json()["published"]
    corrected = client.post(f"/api/v1/evaluation/rounds/{round_id}/results/{TANAH_LAUT}/corrections",
                            json.dumps({"reason": "Salah ketik", "outcome": "5"}), content_type="application/json", **auth)
    assert corrected.json()["index"] == "2.20" and corrected.json()["national_rank"] == 2
    bad = client.put(f"/api/v1/evaluation/rounds/{round_id}/results", json.dumps({"results": [{**rows[0], "impact": "7"}]}),
                     content_type="application/json", **auth)
    assert bad.status_code == 422


def test_the_import_page_names_the_bad_rows(client, alice, reference_data):
    from kotacerdas.lib.testing import xlsx_upload

    client.force_login(alice)
    upload = xlsx_upload([("region_code", "baseline", "output", "outcome", "impact", "quick_win"), (BANJAR, 9, 1, 1, 1, 1)], name="h.xlsx")
    response = client.post("/evaluation/import/", {"file": upload, "year": 2020, "stage": 1, "weights": ""})
    assert response.status_code == 400
    assert "row 2, column baseline: 9 is not between 0 and 5" in response.content.decode()
