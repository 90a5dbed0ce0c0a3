"""Attaching a form to a phase stage with opening and closing times; extensions per region;
times shown in the region's zone and enforced on the server."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kotacerdas.questionnaires import services

from .conftest import complete_answers


def test_a_questionnaire_must_close_after_it_opens(phase, form_bytes):
    version = services.import_form(form_bytes, "uji.xlsx")
    now = timezone.now()
    with pytest.raises(ValidationError):
        services.attach_form(version.form, phase, "questionnaire", now, now - datetime.timedelta(hours=1))


def test_submission_is_refused_after_the_closing_time(submission, dave):
    services.save_answers(submission, complete_answers(), user=dave)
    later = submission.assignment.closes_at + datetime.timedelta(seconds=1)
    with pytest.raises(ValidationError, match="closing time has passed"):
        services.submit(submission, user=dave, now=later)


def test_an_extension_lets_one_region_submit_later(submission, dave, alice):
    services.save_answers(submission, complete_answers(), user=dave)
    assignment = submission.assignment
    later = assignment.closes_at + datetime.timedelta(hours=1)
    services.extend_deadline(assignment, submission.region, assignment.closes_at + datetime.timedelta(days=1), user=alice)
    services.submit(submission, user=dave, now=later)
    submission.refresh_from_db()
    assert submission.status == "submitted"


def test_an_extension_applies_to_its_region_only(assignment, banjar, alice):
    from kotacerdas.regions.models import Region

    services.extend_deadline(assignment, banjar, assignment.closes_at + datetime.timedelta(days=1), user=alice)
    other = Region.objects.get(code="63.04")
    moment = assignment.closes_at + datetime.timedelta(hours=1)
    assert assignment.is_open_for(banjar, moment) and not assignment.is_open_for(other, moment)


def test_an_extension_earlier_than_the_closing_time_is_refused(assignment, banjar):
    with pytest.raises(ValidationError):
        services.extend_deadline(assignment, banjar, assignment.closes_at - datetime.timedelta(days=1))


def test_closing_times_show_in_the_region_zone(client, assignment, dave):
    from kotacerdas.regions.models import Region

    assignment.closes_at = datetime.datetime(2031, 3, 1, 16, 0, tzinfo=datetime.timezone.utc)
    assignment.save()
    client.force_login(dave)
    page = client.get("/questionnaires/").content.decode()
    # Kabupaten Banjar (South Kalimantan) keeps WITA, UTC+8.
    assert Region.objects.get(code="63.03").time_zone == "WITA"
    assert "2031-03-02 00:00 WITA" in page


def test_the_ministry_extends_in_the_region_local_time(client, assignment, alice):
    client.force_login(alice)
    response = client.post(f"/questionnaires/{assignment.pk}/progress/", {"region": "91.03", "closes_at": "2040-01-01T09:00", "reason": "banjir"})
    assert response.status_code == 302
    extension = assignment.extensions.get()
    assert extension.closes_at == datetime.datetime(2040, 1, 1, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Jayapura"))
