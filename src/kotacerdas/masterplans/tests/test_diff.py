"""The difference between two versions: programs added, removed and changed field by field."""

import pytest

from kotacerdas.masterplans import services

from .helpers import add_program, adopted_plan, element

pytestmark = pytest.mark.django_db


def test_the_difference_names_added_removed_and_changed_programs_field_by_field(client, english):
    old = adopted_plan()
    new = services.new_version(old)
    waste = new.programs.get(name="Bank sampah digital")
    services.save_program(new, {"name": "Bank sampah digital terpadu", "element": element("ENV-PS"), "owner_agency": waste.owner_agency,
                                "start_year": 2026, "end_year": 2029}, program=waste, budgets=[(2027, "csr", 5_000_000)])
    services.delete_program(new.programs.get(name="Mal pelayanan publik digital"))
    add_program(new, name="Ruang kendali kota", element_code="GOV-KP", start_year=2027, end_year=2027)
    services.update_plan(new, {"vision": "Banjar cerdas 2030"})
    diff = services.diff_versions(old, new)
    assert [p.name for p in diff["added"]] == ["Ruang kendali kota"]
    assert [p.name for p in diff["removed"]] == ["Mal pelayanan publik digital"]
    (program, fields), = diff["changed"]
    changed = {field: (before, after) for field, before, after in fields}
    assert changed["name"] == ("Bank sampah digital", "Bank sampah digital terpadu")
    assert changed["end year"] == (2028, 2029)
    assert changed["budget"] == ("2026 apbd 100000000", "2027 csr 5000000")
    assert "horizon" not in changed  # 3 and 4 years are both medium
    assert [c[0] for c in diff["chapters"]] == ["vision"]
    client.force_login(_ministry())
    page = client.get(f"/masterplans/{new.pk}/diff/{old.pk}/").content.decode()
    assert "Bank sampah digital terpadu" in page and "Ruang kendali kota" in page


def test_versions_without_changes_show_no_difference():
    old = adopted_plan()
    new = services.new_version(old)
    assert services.diff_versions(old, new) == {"added": [], "removed": [], "changed": [], "chapters": []}


def _ministry():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("min-diff", "m@example.org", "a-long-password-1")
