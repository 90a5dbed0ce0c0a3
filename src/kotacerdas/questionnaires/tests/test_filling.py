"""Filling: relevant, required and constraint on the server; drafts that resume; conflicts
between two operators of one region; an operator reaches only their own region."""

import pytest
from django.core.exceptions import ValidationError

from kotacerdas.questionnaires import services

from .conftest import complete_answers


def _problems(submission):
    return {(i.key, i.code) for i in services.evaluate(submission).issues}


def test_required_questions_block_submission(submission, dave):
    with pytest.raises(services.SubmissionInvalid) as caught:
        services.submit(submission, user=dave)
    assert "has_plan" in caught.value.by_key
    assert caught.value.by_key["has_plan"] == ["This answer is required."]


def test_a_question_appears_and_disappears_by_relevant(submission, dave):
    services.save_answers(submission, {"has_plan": ("no", 0)}, user=dave)
    evaluation = services.evaluate(submission)
    assert evaluation.relevant["plan_year"] is False and evaluation.relevant["why_not"] is True
    assert ("plan_year", "required") not in _problems(submission)
    services.save_answers(submission, {"has_plan": ("yes", 1)}, user=dave)
    assert ("plan_year", "required") in _problems(submission)


def test_a_constraint_is_checked_with_its_message(submission, dave):
    services.save_answers(submission, {"has_plan": ("yes", 0), "plan_year": ("1999", 0)}, user=dave)
    issues = [i for i in services.evaluate(submission).issues if i.key == "plan_year"]
    assert issues[0].code == "constraint"
    assert services.issue_message(issues[0], "en") == "Between 2000 and 2030"


def test_select_multiple_constraint_and_types(submission, dave):
    services.save_answers(submission, {"areas": ("gov eco env", 0), "budget": ("abc", 1), "decided_on": ("2024-13-01", 0)}, user=dave)
    problems = _problems(submission)
    assert ("areas", "constraint") in problems and ("budget", "type") in problems and ("decided_on", "type") in problems


def test_an_unknown_choice_is_refused(submission, dave):
    services.save_answers(submission, {"has_plan": ("maybe", 0)}, user=dave)
    assert ("has_plan", "choice") in _problems(submission)


def test_defaults_fill_a_new_draft(submission):
    assert services.answers_of(submission)["budget"] == ("0", 1)


def test_a_calculation_is_computed_and_cannot_be_written(submission, dave):
    services.save_answers(submission, {"budget": ("2.5", 1)}, user=dave)
    assert services.evaluate(submission).values["budget_million"] == "2500"
    with pytest.raises(ValidationError):
        services.save_answers(submission, {"budget_million": ("1", 0)}, user=dave)


def test_repeat_instances_are_answered_each(submission, dave):
    services.save_answers(submission, {"apps": ("2", 0), "app_name#1": ("SIMDA", 0)}, user=dave)
    problems = _problems(submission)
    assert ("app_name#2", "required") in problems and ("app_name#1", "required") not in problems
    with pytest.raises(ValidationError):
        services.save_answers(submission, {"app_name#3": ("x", 0)}, user=dave)


def test_a_complete_draft_submits(submission, dave):
    services.save_answers(submission, complete_answers(), user=dave)
    services.submit(submission, user=dave)
    submission.refresh_from_db()
    assert submission.status == "submitted"
    with pytest.raises(ValidationError):
        services.save_answers(submission, {"why_not": ("x", 0)}, user=dave)


def test_two_operators_never_silently_overwrite_each_other(submission, dave):
    services.save_answers(submission, {"has_plan": ("yes", 0), "why_not": ("a", 0)}, user=dave)
    # Two pages opened on revision 1 of has_plan; the first saves, the second comes later.
    first = services.save_answers(submission, {"has_plan": ("no", 1)}, user=dave)
    assert first.saved == {"has_plan": 2}
    second = services.save_answers(submission, {"has_plan": ("yes", 1), "plan_year": ("2024", 0), "why_not": ("a", 1)}, user=dave)
    assert [(c.key, c.mine, c.theirs) for c in second.conflicts] == [("has_plan", "yes", "no")]
    assert second.saved == {"plan_year": 1}  # the other answers merge
    assert services.answers_of(submission)["has_plan"] == ("no", 2)


def test_the_page_saves_a_draft_and_resumes_it(client, assignment, dave):
    client.force_login(dave)
    url = f"/questionnaires/{assignment.pk}/fill/63.03/"
    assert client.get(url).status_code == 200  # the start page
    assert client.post(url).status_code == 302
    response = client.post(url, {"orig:has_plan": "", "rev:has_plan": "0", "a:has_plan": "yes", "action": "save"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'value="yes" checked' in page
    assert 'data-key="plan_year" style="margin-left: 1rem" >' in page or 'data-key="plan_year" style="margin-left: 1rem"  >' in page or 'hidden' not in page.split('data-key="plan_year"')[1].split(">")[0]


def oob_fragments(body):
    """{id: element html} of the out-of-band fragments of an htmx save."""
    import re

    found = {}
    for match in re.finditer(r'<(\w+)[^>]*\bid="([^"]+)"[^>]*hx-swap-oob="true"[^>]*>', body):
        found[match.group(2)] = match.group(0)
    return found


def test_an_htmx_save_stores_the_answer_and_answers_with_fragments(client, assignment, dave):
    client.force_login(dave)
    url = f"/questionnaires/{assignment.pk}/fill/63.03/"
    client.post(url)
    submission = services.Submission.objects.get(assignment=assignment)
    # Typing a reason (the page was shown with the answer empty, revision 0); the whole form is
    # posted as it stands, only what differs from what the page was shown with is saved.
    response = client.post(url, {"orig:why_not": "", "rev:why_not": "0", "a:why_not": "Belum ada",
                                 "orig:budget": "0", "rev:budget": "1", "a:budget": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert services.answers_of(submission)["why_not"] == ("Belum ada", 1)
    assert services.answers_of(submission)["budget"] == ("0", 1)
    body = response.content.decode()
    assert "<form" not in body and "<textarea" not in body  # the field typed in is left alone
    fragments = oob_fragments(body)
    assert 'value="1"' in fragments["qr-why_not"] and 'name="rev:why_not"' in fragments["qr-why_not"]
    assert 'value="Belum ada"' in fragments["qo-why_not"]
    assert "Saved." in body.split('id="save-state"')[1].split("</p>")[0]
    assert "qo-budget" not in fragments  # unchanged: not sent back
    # Typing on: the next save starts from the new revision.
    client.post(url, {"orig:why_not": "Belum ada", "rev:why_not": "1", "a:why_not": "Belum ada rencana"}, HTTP_HX_REQUEST="true")
    assert services.answers_of(submission)["why_not"] == ("Belum ada rencana", 2)


def test_an_htmx_save_sends_the_questions_whose_relevance_changed(client, assignment, dave):
    client.force_login(dave)
    url = f"/questionnaires/{assignment.pk}/fill/63.03/"
    client.post(url)
    body = client.post(url, {"orig:has_plan": "", "rev:has_plan": "0", "a:has_plan": "no"}, HTTP_HX_REQUEST="true").content.decode()
    fragments = oob_fragments(body)
    assert "qd-plan_year" not in fragments  # still hidden: not sent
    assert "hidden" not in fragments["qd-why_not"]
    assert 'name="a:why_not"' in body  # the whole question, now shown
    assert "qd-has_plan" not in fragments and "qd-budget" not in fragments
    body = client.post(url, {"orig:has_plan": "no", "rev:has_plan": "1", "a:has_plan": "yes"}, HTTP_HX_REQUEST="true").content.decode()
    fragments = oob_fragments(body)
    assert "hidden" in fragments["qd-why_not"] and "hidden" not in fragments["qd-plan_year"]


def test_an_htmx_save_shows_a_constraint_problem_of_the_answer(client, submission, dave):
    services.save_answers(submission, {"has_plan": ("yes", 0)}, user=dave)
    client.force_login(dave)
    url = f"/questionnaires/{submission.assignment_id}/fill/63.03/"
    body = client.post(url, {"orig:plan_year": "", "rev:plan_year": "0", "a:plan_year": "1999"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-error="plan_year">Between 2000 and 2030<' in oob_fragments(body)["qe-plan_year"] + body.split('id="qe-plan_year"')[1]
    body = client.post(url, {"orig:plan_year": "1999", "rev:plan_year": "1", "a:plan_year": "2024"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-error="plan_year"' not in body and "qe-plan_year" in oob_fragments(body)


def test_an_htmx_save_of_a_closed_submission_says_why(client, submission, dave):
    services.save_answers(submission, complete_answers(), user=dave)
    services.submit(submission, user=dave)
    client.force_login(dave)
    url = f"/questionnaires/{submission.assignment_id}/fill/63.03/"
    body = client.post(url, {"orig:why_not": "", "rev:why_not": "0", "a:why_not": "x"}, HTTP_HX_REQUEST="true").content.decode()
    assert "can no longer be changed" in body.split('id="save-state"')[1].split("</p>")[0]
    assert "why_not" not in services.answers_of(submission)


def test_an_operator_cannot_reach_another_region_by_a_guessed_url(client, submission, erin):
    client.force_login(erin)
    assert client.get(f"/questionnaires/{submission.assignment_id}/fill/63.03/").status_code == 404
    assert client.get(f"/questionnaires/submissions/{submission.pk}/review/").status_code == 403


def test_an_operator_sees_only_their_own_region_questionnaires(client, assignment, dave):
    from kotacerdas.program.models import Participation

    client.force_login(dave)
    assert "Kuesioner Uji" in client.get("/questionnaires/").content.decode()
    Participation.objects.filter(region__code="63.03").delete()
    assert "Kuesioner Uji" not in client.get("/questionnaires/").content.decode()
    assert client.get(f"/questionnaires/{assignment.pk}/fill/63.03/").status_code == 404


def test_submitting_on_the_page_with_missing_answers_shows_them(client, submission, dave):
    client.force_login(dave)
    url = f"/questionnaires/{submission.assignment_id}/fill/63.03/"
    body = client.post(url, {"action": "submit"}).content.decode()
    assert 'data-error="has_plan"' in body


def test_a_decimal_answer_is_typed_and_shown_the_indonesian_way(client, assignment, dave):
    client.force_login(dave)
    client.cookies["django_language"] = "id"
    url = f"/questionnaires/{assignment.pk}/fill/63.03/"
    client.post(url)
    submission = services.Submission.objects.get(assignment=assignment)

    def post(typed):
        value, revision = services.answers_of(submission).get("budget", ("", 0))
        client.post(url, {"orig:budget": value, "rev:budget": str(revision), "a:budget": typed, "action": "save"})
        return services.answers_of(submission)["budget"]

    assert post("70,5")[0] == "70.5"  # stored with the decimal point, as the API and exports read it
    page = client.get(url).content.decode()
    assert 'name="a:budget" value="70,5" type="text" inputmode="decimal"' in page
    revision = services.answers_of(submission)["budget"][1]
    assert post("70,5") == ("70.5", revision)  # the page posted back as shown changes nothing
    assert post("1.500.000,25")[0] == "1500000.25"
    assert 'value="1.500.000,25"' in client.get(url).content.decode()
    assert post("0.25")[0] == "0.25"
    # "1,500" is 1,5 to an Indonesian writer and 1500 to an English one: kept as typed, and said so.
    assert post("1,500")[0] == "1,500"
    page = client.get(url).content.decode()
    assert "“1,500” dapat dibaca sebagai 1,5 atau 1500" in page
    # The API reads and writes the decimal point only: the stored 1500000.25 reads as it is.
    post("1500000.25")
    answer = client.get(f"/api/v1/questionnaires/{assignment.pk}/regions/63.03").json()["answers"]["budget"]
    assert answer["value"] == "1500000.25"
