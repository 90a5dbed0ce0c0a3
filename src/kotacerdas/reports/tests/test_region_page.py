"""A region's own page: identity, outline, figures, members and history in the program."""

import pytest

from kotacerdas.program.models import Phase, ParticipationStatus
from kotacerdas.program.services import set_status
from kotacerdas.regions.models import Region, RegionShape


def test_a_region_page_names_the_region_and_links_its_province(client, reference_data):
    response = client.get("/regions/63.03/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Kabupaten Banjar</h1>" in html
    assert '<a href="/regions/63/">Kalimantan Selatan</a>' in html
    assert "63.03" in html
    assert "WITA (UTC+8)" in html
    assert response.context["region"].get_island_group_display() in html


def test_a_region_page_draws_its_outline_as_inline_svg(client, reference_data):
    shape = RegionShape.objects.get(region__code="63.03")
    html = client.get("/regions/63.03/").content.decode()
    assert "<svg" in html
    assert f'<path class="outline" d="{shape.outline_path}"/>' in html
    # The province is drawn faintly behind for context, from its coarse map path.
    assert 'class="context"' in html


def test_a_region_page_shows_its_figures_with_their_date_and_source(client, reference_data):
    region = Region.objects.get(code="63.03")
    html = client.get("/regions/63.03/", headers={"accept-language": "en"}).content.decode()
    assert f"{region.population:,}" in html
    assert f"{region.population_male:,}" in html
    assert f"{region.population_female:,}" in html
    assert f"{region.density:,.1f}" in html
    assert "Figures as of Dec. 31, 2024." in html
    assert "Dukcapil" in html and "BIG" in html
    assert 'href="/data-sources/"' in html


def test_a_province_page_lists_its_kabupaten_and_kota(client, reference_data):
    response = client.get("/regions/63/")
    html = response.content.decode()
    members = [member.code for member, _phase in response.context["members"]]
    assert len(members) == 13
    assert '<a href="/regions/63.72/">Kota Banjarbaru</a>' in html
    assert "Tahap II 2018" in html


def test_the_program_history_shows_each_status_change_with_who_and_why(client, admin_user, reference_data):
    region = Region.objects.get(code="63.05")
    phase = Phase.objects.get(year=2019)
    set_status(region, phase, ParticipationStatus.INVITED, user=admin_user, reason="strong fiscal capacity")
    set_status(region, phase, ParticipationStatus.ASSESSED, user=admin_user, reason="presented on 2 May")
    html = client.get("/regions/63.05/").content.decode()
    assert "Tahap III 2019" in html
    assert "strong fiscal capacity" in html
    assert "presented on 2 May" in html
    assert html.count("<td>ministry</td>") == 2
    assert html.index("strong fiscal capacity") < html.index("presented on 2 May")


def test_the_program_history_shows_the_published_selection_and_its_source(client, reference_data):
    html = client.get("/regions/63.72/").content.decode()
    assert "Tahap II 2018" in html
    assert "daftar yang dipublikasikan" in html  # the reason is stored in the program language
    assert "Source:" in html


def test_demo_participations_are_marked_demo(client, reference_data):
    phase = Phase.objects.create(year=2027, name="Demo 2027", quota=25, is_demo=True)
    set_status(Region.objects.get(code="63.05"), phase, ParticipationStatus.SELECTED, reason="demo pick")
    html = client.get("/regions/63.05/").content.decode()
    assert 'class="demo-badge"' in html
    assert "invented for demonstration" in html


@pytest.mark.parametrize("code", ["99.99", "nothing", "63.03.01"])
def test_an_unknown_code_gives_the_not_found_page(client, reference_data, code):
    response = client.get(f"/regions/{code}/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "404.html" in [template.name for template in response.templates]


def test_a_region_selected_in_a_real_phase_shows_the_published_mou_event(client, reference_data):
    from kotacerdas.program.models import Participation

    makassar_2017 = Participation.objects.filter(phase__year=2017, status="selected").select_related("region").first()
    page = client.get(f"/regions/{makassar_2017.region.code}/").content.decode()
    assert "Four Points by Sheraton" in page and "Makassar" in page
    assert 'datetime="2017-05-22"' in page and 'datetime="2017-05-23"' in page
    assert "rtikkediri.or.id" in page  # the source is shown with the fact

    jakarta_2018 = Participation.objects.filter(phase__year=2018, status="selected").select_related("region").first()
    page = client.get(f"/regions/{jakarta_2018.region.code}/").content.decode()
    assert "Redtop Hotel" in page and 'datetime="2018-05-08"' in page


def test_a_region_never_selected_shows_no_mou_event(client, reference_data):
    from kotacerdas.program.models import Participation
    from kotacerdas.regions.models import Region

    selected = Participation.objects.filter(status="selected").values_list("region_id", flat=True)
    region = Region.objects.kabkota().exclude(pk__in=selected).first()
    page = client.get(f"/regions/{region.code}/").content.decode()
    assert "mou-event" not in page


def test_a_loaded_selection_shows_the_date_of_the_event_and_its_source_not_the_load(client, reference_data):
    # 63.72 Kota Banjarbaru was selected in 2018; the list is the one of the 8 May 2018 MoU event.
    html = client.get("/regions/63.72/").content.decode()
    row = html.split('data-loaded="event"')[1].split("</tr>")[0]
    assert 'datetime="2018-05-08"' in row
    assert "the published list" in row and "nationalgeographic.grid.id" in row
    assert "not recorded" not in row


def test_the_loader_moves_an_old_load_time_to_the_date_of_the_event(reference_data):
    import datetime

    from kotacerdas.program.models import Participation
    from kotacerdas.program.services import load_real_history

    rows = Participation.history.filter(phase__year=2019, history_user__isnull=True)
    rows.update(history_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc))
    load_real_history()
    assert {row.history_date.date().isoformat() for row in rows.all()} == {"2019-05-14"}  # 15 May 00:00 WIB in UTC
