"""Outputs are versions that never overwrite one another; notes are read by the region, its
mentors and the ministry only, and a replaced mentor keeps their own past notes."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.accounts.permissions import scope
from kotacerdas.mentoring import services
from kotacerdas.mentoring.models import MentorNote, OutputUpload

from .helpers import BANJAR, BARITO_KUALA, TANAH_LAUT, region, small_cohort

pytestmark = pytest.mark.django_db


def test_each_upload_is_a_new_version_and_the_old_file_stays(reference_data):
    cohort, _m, _a = small_cohort()
    output = cohort.bimteks.get(number=1).outputs.first()
    first = services.upload_output(output, region(BANJAR), SimpleUploadedFile("swot.pdf", b"%PDF-1.4 first"))
    second = services.upload_output(output, region(BANJAR), SimpleUploadedFile("swot.pdf", b"%PDF-1.4 second"))
    assert (first.version, second.version) == (1, 2)
    assert first.file.name != second.file.name
    assert first.file.open("rb").read() == b"%PDF-1.4 first"
    assert second.file.open("rb").read() == b"%PDF-1.4 second"


def test_outputs_of_a_region_outside_the_cohort_are_refused(reference_data):
    cohort, _m, _a = small_cohort()
    output = cohort.bimteks.get(number=1).outputs.first()
    with pytest.raises(ValidationError, match="not selected"):
        services.upload_output(output, region(TANAH_LAUT), SimpleUploadedFile("x.pdf", b"x"))
    assert not OutputUpload.objects.exists()


def test_only_an_assigned_mentor_writes_a_note(reference_data, carol):
    cohort, mentors, _a = small_cohort(carol)
    first = cohort.bimteks.get(number=1)
    services.write_note(first, region(BANJAR), carol, done="SWOT workshop", risks="Bappeda head replaced")
    with pytest.raises(ValidationError, match="Only a mentor assigned"):
        services.write_note(first, region(BARITO_KUALA), carol, done="x")
    with pytest.raises(ValidationError):
        services.write_note(first, region(BANJAR), carol, done="  ")


def test_notes_are_read_by_the_region_its_mentors_and_the_ministry_only(reference_data, carol, dave, erin, bob, alice):
    cohort, mentors, assignments = small_cohort(carol)
    note = services.write_note(cohort.bimteks.get(number=1), region(BANJAR), carol, done="SWOT workshop")
    readers = {
        name: scope(MentorNote.objects.all(), who, "view_mentoring").filter(pk=note.pk).exists()
        for name, who in {"carol": carol, "dave": dave, "erin": erin, "bob": bob, "alice": alice}.items()
    }
    assert readers == {"carol": True, "dave": True, "erin": False, "bob": False, "alice": True}
    heidi = mentors["heidi"].user
    assert not scope(MentorNote.objects.all(), heidi, "view_mentoring").filter(pk=note.pk).exists()
    # carol is replaced on Banjar: she keeps reading her own note, not the region's new ones.
    services.swap_mentor(assignments["carol"], mentors["ivan"], reason="moved abroad")
    newer = services.write_note(cohort.bimteks.get(number=1), region(BANJAR), mentors["ivan"].user, done="Vision draft")
    visible = set(scope(MentorNote.objects.all(), carol, "view_mentoring").values_list("pk", flat=True))
    assert note.pk in visible and newer.pk not in visible


def test_a_mentor_reaches_only_their_regions_pages(reference_data, client, carol):
    cohort, _m, _a = small_cohort(carol)
    client.force_login(carol)
    year = cohort.phase.year
    assert client.get(f"/mentoring/{year}/regions/{BANJAR}/").status_code == 200
    assert client.get(f"/mentoring/{year}/regions/{BARITO_KUALA}/").status_code == 404


def test_the_page_of_a_region_outside_the_cohort_says_why(reference_data, admin_client):
    cohort, _m, _a = small_cohort()
    response = admin_client.get(f"/mentoring/{cohort.phase.year}/regions/{TANAH_LAUT}/")
    assert response.status_code == 404


def test_an_operator_uploads_an_output_through_the_api_and_a_swap_refuses_a_conflict(reference_data, client, dave, alice, english):
    from kotacerdas.accounts.services import create_token

    cohort, mentors, assignments = small_cohort()
    output = cohort.bimteks.get(number=1).outputs.first()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {create_token(dave, 't')[1]}"}
    url = f"/api/v1/mentoring/outputs/{output.pk}/regions/{BANJAR}"
    for expected_version in (1, 2):
        response = client.post(url, {"file": SimpleUploadedFile("swot.pdf", b"%PDF-1.4\n")}, **headers)
        assert response.status_code == 200 and response.json()["version"] == expected_version
    assert client.post(f"/api/v1/mentoring/outputs/{output.pk}/regions/{BARITO_KUALA}", {"file": SimpleUploadedFile("x.pdf", b"x")}, **headers).status_code == 404
    ministry = {"HTTP_AUTHORIZATION": f"Bearer {create_token(alice, 't')[1]}"}
    mentors["ivan"].home_region = region(BANJAR)
    mentors["ivan"].save()
    swap = f"/api/v1/phases/{cohort.phase.year}/cohort/assignments/{assignments['carol'].pk}/swap"
    refused = client.post(swap, {"mentor_id": mentors["ivan"].pk, "reason": "leave"}, content_type="application/json", **ministry)
    assert refused.status_code == 400 and "home region" in str(refused.json()["detail"])
    assert cohort.assignments.get(pk=assignments["carol"].pk).ended_at is None
