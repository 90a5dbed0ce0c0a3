"""Agencies (OPD): the shipped kinds, each region's own list kept by its operator, the
ministry's import for many regions (bad rows named, nothing half-saved), and the rule that an
operator whose grant names an agency edits only that agency's work."""

import pytest
from django.core.exceptions import ValidationError

from kotacerdas.accounts.models import RoleGrant
from kotacerdas.accounts.permissions import may_edit_agency_work
from kotacerdas.lib.tabular import TableError
from kotacerdas.lib.testing import xlsx_upload
from kotacerdas.regions import agencies as services
from kotacerdas.regions.models import Agency, AgencyKind, Region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def banjar():
    return Region.objects.get(code="63.03")


def test_the_shipped_kinds_are_loaded_with_the_reference_data(reference_data):
    assert AgencyKind.objects.count() == 33
    assert AgencyKind.objects.get(code="bappeda").short_name == "Bappeda"
    from kotacerdas.regions.reference import load_agency_kinds

    assert str(load_agency_kinds()).startswith("0 created, 0 updated, 33 unchanged")


def test_an_operator_adapts_their_own_list(reference_data, client, dave, erin):
    client.force_login(dave)
    response = client.post("/regions/63.03/agencies/", {"name": "Dinas Komunikasi dan Informatika Kabupaten Banjar", "short_name": "Diskominfo", "kind": "diskominfo"})
    assert response.status_code == 302
    agency = Agency.objects.get(region=banjar())
    assert agency.kind.code == "diskominfo" and agency.history.first().history_user == dave
    client.force_login(erin)
    assert client.post("/regions/63.03/agencies/", {"name": "Bappeda"}).status_code == 404
    assert Agency.objects.count() == 1


def test_a_name_twice_in_a_region_is_refused(reference_data):
    services.save_agency(banjar(), name="Bappeda Banjar")
    with pytest.raises(ValidationError, match="already has an agency"):
        services.save_agency(banjar(), name="bappeda banjar")


def test_the_default_list_gives_a_region_one_agency_of_each_kind(reference_data):
    assert services.adopt_default_agencies(banjar()) == 32  # every kind but kecamatan
    assert services.adopt_default_agencies(banjar()) == 0


def test_the_ministry_imports_lists_of_many_regions(reference_data):
    sheet = xlsx_upload([
        ("region_code", "name", "short_name", "kind"),
        ("63.03", "Bappeda Kabupaten Banjar", "Bappeda", "bappeda"),
        ("63.04", "Dinas Kesehatan Kabupaten Barito Kuala", "Dinkes", "dinkes"),
    ], name="opd.xlsx")
    assert services.import_agencies(sheet) == (2, 0)
    assert Agency.objects.filter(region__code="63.04", kind__code="dinkes").exists()


def test_an_import_with_bad_rows_names_them_and_saves_nothing(reference_data):
    sheet = xlsx_upload([
        ("region_code", "name", "short_name", "kind"),
        ("63.03", "Bappeda Kabupaten Banjar", "Bappeda", "bappeda"),
        ("99.99", "Dinas X", "", ""),
        ("63", "Dinas Provinsi", "", ""),
        ("63.03", "", "", "dinas-rahasia"),
        ("63.03", "bappeda kabupaten banjar", "", ""),
    ], name="opd.xlsx")
    with pytest.raises(TableError) as refused:
        services.import_agencies(sheet)
    assert [(e.row, e.column) for e in refused.value.errors] == [
        (3, "region_code"), (4, "region_code"), (5, "name"), (5, "kind"), (6, "name"),
    ]
    assert "row 6, column name: this agency repeats row 2" in str(refused.value)
    assert not Agency.objects.exists()


def test_the_import_page_lists_the_bad_rows(reference_data, admin_client, english):
    sheet = xlsx_upload([("region_code", "name"), ("99.99", "X")], name="opd.xlsx")
    page = admin_client.post("/regions/agencies/import/", {"file": sheet}).content.decode()
    assert "row 2, column region_code" in page


def test_an_operator_whose_grant_names_an_agency_edits_only_that_agencys_work(reference_data, dave, erin, alice):
    bappeda = services.save_agency(banjar(), name="Bappeda Kabupaten Banjar")
    dinkes = services.save_agency(banjar(), name="Dinas Kesehatan Kabupaten Banjar")
    # dave's grant names no agency: the whole region.
    assert may_edit_agency_work(dave, bappeda) and may_edit_agency_work(dave, dinkes)
    RoleGrant.objects.filter(user=dave).update(agency=bappeda)
    dave.refresh_from_db()
    assert may_edit_agency_work(dave, bappeda) and not may_edit_agency_work(dave, dinkes)
    assert not may_edit_agency_work(erin, bappeda)
    assert may_edit_agency_work(alice, dinkes)


def test_an_agency_named_by_a_grant_cannot_be_removed(reference_data, dave):
    bappeda = services.save_agency(banjar(), name="Bappeda Kabupaten Banjar")
    RoleGrant.objects.filter(user=dave).update(agency=bappeda)
    with pytest.raises(ValidationError, match="names this agency"):
        services.delete_agency(bappeda)
