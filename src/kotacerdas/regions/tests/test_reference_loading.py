"""The shipped registry: exact counts, tree, island groups, time zones, and loaders that refuse bad files."""

from decimal import Decimal

import pytest

from kotacerdas.lib.tabular import TableError
from kotacerdas.regions.models import IslandGroup, Kind, Region, RegionShape, TimeZone
from kotacerdas.regions.reference import load_figures, load_reference_data, load_regions


def test_the_registry_has_38_provinces_and_514_kabupaten_kota(reference_data):
    assert Region.objects.provinces().count() == 38
    assert Region.objects.kabkota().count() == 514
    assert Region.objects.filter(kind=Kind.KABUPATEN).count() == 416
    assert Region.objects.filter(kind=Kind.KOTA).count() == 98


def test_every_kabupaten_kota_hangs_under_its_province(reference_data):
    banjar = Region.objects.get(code="63.03")
    assert banjar.name == "Kabupaten Banjar"
    assert banjar.parent.code == "63" and banjar.province.code == "63"
    assert not Region.objects.kabkota().filter(parent__isnull=True).exists()
    assert Region.objects.get(code="63").province.code == "63"


@pytest.mark.parametrize(
    "code, island_group, time_zone",
    [
        ("11.01", IslandGroup.SUMATRA, TimeZone.WIB),
        ("21.71", IslandGroup.SUMATRA, TimeZone.WIB),
        ("31.71", IslandGroup.JAVA, TimeZone.WIB),
        ("51.71", IslandGroup.BALI_NUSA_TENGGARA, TimeZone.WITA),
        ("61.72", IslandGroup.KALIMANTAN, TimeZone.WIB),
        ("63.03", IslandGroup.KALIMANTAN, TimeZone.WITA),
        ("73.71", IslandGroup.SULAWESI, TimeZone.WITA),
        ("81.71", IslandGroup.MALUKU, TimeZone.WIT),
        ("94.01", IslandGroup.PAPUA, TimeZone.WIT),
    ],
)
def test_island_group_and_time_zone_follow_the_province(reference_data, code, island_group, time_zone):
    region = Region.objects.get(code=code)
    assert (region.island_group, region.time_zone) == (island_group, time_zone)


def test_figures_are_the_end_of_2024_totals(reference_data):
    kabkota = Region.objects.kabkota()
    assert sum(r.population for r in kabkota) == 284_973_643
    assert sum(r.area_km2 for r in kabkota) == Decimal("1890179.784")
    aceh_selatan = Region.objects.get(code="11.01")
    assert (aceh_selatan.population, aceh_selatan.area_km2) == (239_629, Decimal("4174.211"))


def test_every_region_has_a_shape(reference_data):
    assert RegionShape.objects.count() == 552
    shape = RegionShape.objects.get(region__code="63.03")
    assert shape.map_path.startswith("M") and shape.outline_path.endswith("Z")
    assert len(shape.outline_view_box.split()) == 4


def test_loading_again_changes_nothing_and_records_no_history(reference_data):
    history_before = Region.history.count()
    reports = load_reference_data()
    assert {name: (r.created, r.updated) for name, r in reports.items()} == {
        "regions": (0, 0),
        "figures": (0, 0),
        "shapes": (0, 0),
        "agency_kinds": (0, 0),
    }
    assert Region.history.count() == history_before


def _write(tmp_path, text, name="regions.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bad_regions_file_names_each_row_and_column_and_writes_nothing(reference_data, tmp_path):
    before = list(Region.objects.values_list("code", "name", "kind").order_by("code"))
    path = _write(
        tmp_path,
        "code,name,kind,province_code\n"
        "63,Kalimantan Selatan,provinsi,63\n"
        "63.03,Kabupaten Banjar Baru,kabupaten,63\n"  # a valid change that must not land
        "63.03,Kabupaten Banjar,kabupaten,63\n"  # duplicate code
        "63.99,,kota,63\n"  # empty name
        "64.01,Kabupaten Paser,regency,64\n"  # unknown kind
        "99.01,Kabupaten Nowhere,kabupaten,99\n",  # province not in file
    )
    with pytest.raises(TableError) as caught:
        load_regions(path)
    found = {(error.row, error.column) for error in caught.value.errors}
    assert {(4, "code"), (5, "name"), (6, "kind"), (7, "province_code")} <= found
    assert list(Region.objects.values_list("code", "name", "kind").order_by("code")) == before


def test_a_figures_file_with_an_unknown_code_or_bad_number_is_refused(reference_data, tmp_path):
    path = _write(
        tmp_path,
        "code,area_km2,population_total,population_male,population_female\n"
        "11.01,4174.211,1,1,0\n"
        "11.99,10,10,5,5\n"
        "11.02,-3,10,5,5\n"
        "11.03,5,ten,5,5\n"
        "11.04,5,10,5,4\n",
        name="figures.csv",
    )
    with pytest.raises(TableError) as caught:
        load_figures(path)
    assert {(e.row, e.column) for e in caught.value.errors} == {
        (3, "code"),
        (4, "area_km2"),
        (5, "population_total"),
        (6, "population_total"),
    }
    assert Region.objects.get(code="11.01").population == 239_629
