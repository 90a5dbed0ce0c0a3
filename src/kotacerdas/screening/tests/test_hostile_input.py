"""The outside tester's findings on screening: a confirmed run deleted in the admin (which
unlocked its phase's rules), and 500s on numbers that are not numbers."""

import pytest

from kotacerdas.screening.models import ScreeningRun
from kotacerdas.screening.services.runs import ScreeningError

from .helpers import demo_phase, make_run


def test_a_confirmed_run_cannot_be_deleted_in_the_admin(admin_client):
    run = make_run(confirm=True, samples=0)
    response = admin_client.post(f"/admin/screening/screeningrun/{run.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    bulk = admin_client.post("/admin/screening/screeningrun/", {"action": "delete_selected", "_selected_action": [run.pk], "post": "yes"})
    assert bulk.status_code in (200, 302)
    assert ScreeningRun.objects.filter(pk=run.pk).exists()


def test_an_unconfirmed_run_can_still_be_deleted_in_the_admin(admin_client):
    run = make_run(samples=0)
    assert admin_client.post(f"/admin/screening/screeningrun/{run.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not ScreeningRun.objects.filter(pk=run.pk).exists()


@pytest.mark.parametrize("value", ["nan", "inf", "1e999", "-1", "9223372036854775808", str(10**30)])
def test_compare_with_a_run_that_is_not_a_number_is_no_500(admin_client, value):
    phase = demo_phase()
    response = admin_client.get(f"/phases/{phase.year}/screening/compare/?first={value}&second=1")
    assert response.status_code == 200


def test_rules_with_an_absurd_data_year_is_no_500(admin_client):
    phase = demo_phase()
    response = admin_client.get(f"/phases/{phase.year}/screening/rules/?data_year=999999999999")
    assert response.status_code == 200


@pytest.mark.parametrize("field, value, message", [
    ("seed", str(10**30), "seed must be at most"),
    ("seed", "-1", "seed must be at least 0"),
    ("samples", "1e999", "SMAA samples"),
    ("shortlist_size", str(10**12), "shortlist size must be at most"),
    ("data_year", "999999999999", "data year must be at most"),
])
def test_a_run_with_an_out_of_range_number_is_refused_by_the_service(db, reference_data, field, value, message):
    with pytest.raises(ScreeningError, match=message):
        make_run(**{field: value})
    assert not ScreeningRun.objects.exists()


def test_the_run_page_refuses_an_ahp_judgement_dividing_by_zero(admin_client):
    phase = demo_phase()
    from kotacerdas.screening.demo import DEMO_CRITERIA

    criteria = list(DEMO_CRITERIA)[:2]
    response = admin_client.post(f"/phases/{phase.year}/screening/new/", {
        "criteria": criteria, "weighting": "ahp", "pairwise": "1 1/0\n0 1", "method": "saw", "samples": "0",
    })
    assert response.status_code == 400
    assert b"divides by zero" in response.content
    response = admin_client.post(f"/phases/{phase.year}/screening/new/", {
        "criteria": criteria, f"w_{criteria[0]}": "nan", "method": "saw", "samples": "0", "seed": str(10**30),
    })
    assert response.status_code == 400
    assert not ScreeningRun.objects.exists()
