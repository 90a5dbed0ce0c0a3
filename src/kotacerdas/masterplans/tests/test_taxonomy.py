"""The taxonomy as data: the shipped 6 × 3, its mappings, and another taxonomy loaded without code."""

import pytest

from kotacerdas.lib.tabular import TableError
from kotacerdas.masterplans.models import Element, Taxonomy
from kotacerdas.masterplans.services import default_taxonomy, load_taxonomy, taxonomy_tree

pytestmark = pytest.mark.django_db

HEADER = "taxonomy,version,kind,code,dimension,name,name_en,giffinger,iso37120\n"


def test_the_shipped_taxonomy_has_six_dimensions_of_three_elements_with_unique_codes_and_mappings():
    taxonomy = default_taxonomy()
    tree = taxonomy_tree(taxonomy)
    assert [d.name_en for d, _e in tree] == ["Smart Governance", "Smart Branding", "Smart Economy", "Smart Living", "Smart Society", "Smart Environment"]
    assert [len(elements) for _d, elements in tree] == [3] * 6
    codes = list(Element.objects.filter(taxonomy=taxonomy).values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 18
    waste = Element.objects.get(taxonomy=taxonomy, code="ENV-PS")
    assert (waste.name, waste.name_en, waste.giffinger, waste.iso37120) == ("Pengelolaan Sampah", "Waste management", "environment", "solid_waste")
    assert all(e.giffinger and e.iso37120 for e in Element.objects.filter(taxonomy=taxonomy))


def test_loading_the_same_taxonomy_again_changes_nothing():
    first = default_taxonomy()
    assert load_taxonomy() == first and Taxonomy.objects.count() == 1


def test_another_programs_taxonomy_loads_from_a_file_without_code_changes(tmp_path):
    path = tmp_path / "village.csv"
    path.write_text(HEADER + "smart-village,2025,dimension,GOV,,Tata kelola desa,Village governance,,\n"
                    "smart-village,2025,element,GOV-1,GOV,Layanan desa,Village services,governance,governance\n")
    taxonomy = load_taxonomy(path)
    assert (taxonomy.code, taxonomy.version, taxonomy.elements.get().code) == ("smart-village", "2025", "GOV-1")


def test_a_bad_taxonomy_file_names_every_wrong_cell_and_saves_nothing(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "t,1,dimension,A,,Satu,One,,\n"
                    "t,1,element,A-1,A,Elemen,Element,wealth,governance\n"
                    "t,1,element,A-1,A,Elemen dua,,economy,parks\n"
                    "t,1,element,B-1,B,Elemen,Element,economy,economy\n"
                    "t,1,group,C,,x,x,,\n")
    with pytest.raises(TableError) as refused:
        load_taxonomy(path)
    assert {(e.row, e.column) for e in refused.value.errors} == {
        (3, "giffinger"), (4, "code"), (4, "name_en"), (4, "iso37120"), (5, "dimension"), (6, "kind"),
    }
    assert not Taxonomy.objects.filter(code="t").exists()
