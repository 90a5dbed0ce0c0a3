"""A region a screening run ranked stays: the run keeps its id in an array (no row per region), so
deleting it is refused with the reason, in the admin and through site.regions.delete_regions (the
one way to delete regions), and nothing is lost."""

import numpy as np
import pytest
from django.db.models import ProtectedError

from kotacerdas.regions.models import Region
from kotacerdas.screening.services.runs import run_results

from kotacerdas.screening.tests.helpers import make_run
from kotacerdas.site.regions import delete_regions


@pytest.fixture
def run(reference_data):
    return make_run(samples=100)


def _ranked_outside_the_shortlist(run):
    shortlisted = set(run.results.values_list("region_id", flat=True))
    ids = [pk for pk in run.input_region_ids().tolist() if pk not in shortlisted]
    return Region.objects.get(pk=ids[0])


def test_deleting_a_ranked_region_is_refused_with_the_run_named(run):
    region = _ranked_outside_the_shortlist(run)
    with pytest.raises(ProtectedError) as refused:
        delete_regions([region])
    assert f"screening run #{run.pk}" in str(refused.value.args[0])
    assert Region.objects.filter(pk=region.pk).exists()
    assert [r.region.code for r in run_results(run, region_ids=[region.pk], with_regions=True)] == [region.code]


def test_the_admin_does_not_offer_to_delete_a_ranked_region(admin_client, run):
    region = _ranked_outside_the_shortlist(run)
    response = admin_client.post(f"/admin/regions/region/{region.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Region.objects.filter(pk=region.pk).exists()


def test_a_region_no_run_ranked_can_still_be_deleted(run):
    region = Region.objects.create(code="99.98", name="Kabupaten Percobaan", kind="kabupaten")
    assert region.pk not in np.asarray(run.input_region_ids()).tolist()
    delete_regions(Region.objects.filter(code="99.98"))
    assert not Region.objects.filter(code="99.98").exists()


def test_deleting_a_selection_with_a_ranked_region_deletes_none_of_them(rf, admin_user, run):
    """The admin's "delete selected" (RegionAdmin.delete_queryset): refused with the reason."""
    from django.contrib import admin
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    region = _ranked_outside_the_shortlist(run)
    spare = Region.objects.create(code="99.98", name="Kabupaten Percobaan", kind="kabupaten")
    request = rf.post("/admin/regions/region/")
    request.user, request.session = admin_user, {}
    request._messages = FallbackStorage(request)
    admin.site._registry[Region].delete_queryset(request, Region.objects.filter(pk__in=[region.pk, spare.pk]))
    assert [str(m) for m in get_messages(request)] == [
        f"{region} cannot be deleted: ranked in screening run #{run.pk}."]
    assert Region.objects.filter(pk__in=[region.pk, spare.pk]).count() == 2
