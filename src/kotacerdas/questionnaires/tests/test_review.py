"""Review: progress of every region, return with comments per question, resubmission,
acceptance; every status change kept, with e-mail notices."""

import pytest
from django.core.exceptions import ValidationError

from kotacerdas.accounts.models import Notification
from kotacerdas.questionnaires import services

from .conftest import complete_answers


@pytest.fixture
def submitted(submission, dave, alice):
    services.save_answers(submission, complete_answers(), user=dave)
    services.submit(submission, user=dave)
    return submission


def test_progress_lists_every_region_with_its_status(client, submitted, alice):
    client.force_login(alice)
    body = client.get(f"/questionnaires/{submitted.assignment_id}/progress/").content.decode()
    assert 'data-region="63.03"' in body and 'data-status="submitted"' in body
    assert 'data-region="63.04"' in body and 'data-status="not_started"' in body


def test_return_with_comments_then_resubmit_then_accept(client, submitted, dave, alice):
    client.force_login(alice)
    url = f"/questionnaires/submissions/{submitted.pk}/review/"
    assert client.post(url, {"decision": "return", "comment:plan_year": "Lampirkan SK", "comment": "Kurang bukti"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "returned"
    assert Notification.objects.filter(recipient=dave, template_name="questionnaires/email/returned").exists()
    client.force_login(dave)
    body = client.get(f"/questionnaires/{submitted.assignment_id}/fill/63.03/").content.decode()
    assert 'data-comment="plan_year"' in body and "Lampirkan SK" in body
    services.save_answers(submitted, {"plan_year": ("2025", 1)}, user=dave)
    services.submit(submitted, user=dave)
    client.force_login(alice)
    client.post(url, {"decision": "accept"})
    submitted.refresh_from_db()
    assert submitted.status == "accepted"
    assert [(c.from_status, c.to_status) for c in submitted.status_changes.all()] == [
        ("not_started", "draft"), ("draft", "submitted"), ("submitted", "returned"), ("returned", "submitted"), ("submitted", "accepted"),
    ]
    assert Notification.objects.filter(recipient=dave, template_name="questionnaires/email/accepted").exists()
    assert Notification.objects.filter(recipient=alice, template_name="questionnaires/email/submitted").count() == 2


def test_a_return_needs_a_comment(submitted, alice):
    with pytest.raises(ValidationError):
        services.return_submission(submitted, user=alice, comments={})


def test_only_a_submitted_questionnaire_is_accepted(submission, alice):
    with pytest.raises(ValidationError):
        services.accept_submission(submission, user=alice)


def test_the_review_page_shows_the_readiness_score(client, submitted, alice):
    client.force_login(alice)
    body = client.get(f"/questionnaires/submissions/{submitted.pk}/review/").content.decode()
    # has_plan yes: 2 × 10 of 2 × 10; areas gov+eco: 10 of 15 → (20 + 10) / (20 + 15).
    assert "data-score>85.7<" in body


def test_status_changes_appear_on_the_one_history_page(admin_client, submitted, alice, english):
    services.return_submission(submitted, user=alice, comments={"plan_year": "Lampirkan SK"}, comment="Kurang bukti")
    for url in ("/history/", "/history/?kind=submission_status"):
        text = admin_client.get(url).content.decode()
        body = text[text.index("<tbody>"):text.index("</tbody>")]
        first_row = body[:body.index("</tr>")]
        assert "Status change" in first_row and str(submitted) in first_row, url
        assert "Kurang bukti" in first_row and "Submitted → Returned" in first_row and alice.username in first_row
        assert "Draft → Submitted" in body  # the earlier changes too, newest first
    assert '<option value="submission_status"' in text
    other = admin_client.get("/history/?kind=region").content.decode()
    assert "Kurang bukti" not in other
