"""/phases/ and /phases/<year>/: the server-rendered phase pages and their exports."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from kotacerdas.program.models import Phase, ParticipationStatus
from kotacerdas.program.services import set_status
from kotacerdas.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_phase(reference_data):
    phase = Phase.objects.create(year=2027, name="Tahap Demo 2027", quota=2, invited_target=4, is_demo=True)
    region = Region.objects.kabkota().exclude(participations__status=ParticipationStatus.SELECTED).order_by("code").first()
    set_status(region, phase, ParticipationStatus.SELECTED, reason="demo", source="invented for the demo")
    return phase


def text_of(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_phase_list(client, english, reference_data):
    response = client.get("/phases/")
    assert response.status_code == 200
    # The site's page extends the program's list with each phase's decision.
    assert [t.name for t in response.templates][:3] == ["site/phase_list.html", "program/phase_list.html", "base.html"]
    html = text_of(response)
    for name in ("Tahap I 2017", "Tahap II 2018", "Tahap III 2019"):
        assert name in html
    assert 'href="/phases/2018/"' in html
    assert "165" in html and "120" in html  # 2018's targets
    assert "demo-badge" not in html  # no demo phase: no badge


def test_phase_list_marks_a_demo_phase(client, english, demo_phase):
    html = text_of(client.get("/phases/"))
    assert html.count('class="demo-badge"') == 1
    row = re.search(r"<tr class=\"demo\">(.*?)</tr>", html).group(1)
    assert "Tahap Demo 2027" in row and "demo-badge" in row


def test_phase_detail(client, english, reference_data):
    response = client.get("/phases/2017/")
    assert response.status_code == 200
    html = text_of(response)
    phase = Phase.objects.get(year=2017)
    assert phase.name in html
    assert "2017-05-02" in html and "2017-05-03" in html  # assessment dates
    selected = phase.participations.filter(status=ParticipationStatus.SELECTED).select_related("region__province")
    assert selected.count() == 25
    for participation in selected:
        region = participation.region
        assert f'<a href="/regions/{region.code}/">{region.name}</a>' in html
        assert region.province.name in html
    # Counts per status, zero included.
    assert "Not selected" in html and "Withdrawn" in html
    assert "incomplete" not in html
    assert "invented" not in html


def test_incomplete_phase_says_so(client, english, reference_data):
    html = text_of(client.get("/phases/2019/"))
    assert "The published list of this phase is incomplete: 6 of 25 known." in html


def test_demo_phase_says_its_content_is_invented(client, english, demo_phase):
    html = text_of(client.get("/phases/2027/"))
    assert "demo-badge" in html
    assert re.search(r'class="notice demo-notice"[^>]*>[^<]*invented', html)


def test_unknown_year_is_404(client, reference_data):
    assert client.get("/phases/1999/").status_code == 404


def read_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_export(client, english, reference_data):
    response = client.get("/phases/2018/", {"format": "csv"})
    assert response.status_code == 200
    assert 'filename="phase-2018-selected.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == ["code", "name", "province_code", "province", "source"]
    assert len(rows) == 1 + 50
    codes = [row[0] for row in rows[1:]]
    assert codes == sorted(codes)
    assert all(row[4] for row in rows[1:])


def test_export_of_an_incomplete_phase_says_so(client, english, reference_data):
    rows = read_csv(client.get("/phases/2019/", {"format": "csv"}))
    assert "incomplete: 6 of 25 known" in rows[0][0]
    assert rows[1][0] == "code"
    assert len(rows) == 2 + 6


def test_export_of_a_demo_phase_carries_the_notice(client, english, demo_phase):
    rows = read_csv(client.get("/phases/2027/", {"format": "csv"}))
    assert "invented" in rows[0][0] and "Demo" in rows[0][0]
    assert rows[1][0] == "code"
    assert len(rows) == 3
    response = client.get("/phases/2027/", {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert "invented" in values[0][0]
    assert values[1][:2] == ("code", "name")
    assert values[2][4] == "invented for the demo"


def test_xlsx_export(client, reference_data):
    response = client.get("/phases/2017/", {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    values = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert values[0] == ("code", "name", "province_code", "province", "source")
    assert len(values) == 26


def test_unknown_export_format_is_refused(client, reference_data):
    response = client.get("/phases/2017/", {"format": "pdf"})
    assert response.status_code == 400
