"""The self-assessment runs on the questionnaire engine, attached to the evaluation round: the
shipped form imports cleanly, goes to the regions in the round's scope, and an operator fills
their own region's draft with evidence."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kotacerdas.accounts.permissions import scope
from kotacerdas.evaluation import services
from kotacerdas.questionnaires import services as questionnaires
from kotacerdas.questionnaires.models import FormAssignment

from .helpers import BANJAR, BARITO_KUALA, TANAH_LAUT, make_round, region

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_default_form_goes_to_the_regions_in_scope_and_an_operator_fills_it_with_evidence(reference_data, dave, erin):
    evaluation = make_round(codes=(BANJAR, TANAH_LAUT))
    assignment = services.attach_self_assessment(evaluation, closes_at=timezone.now() + datetime.timedelta(days=14))
    assert assignment.round == evaluation.round and assignment.phase is None and assignment.stage == "evaluation"
    assert assignment.form.form_id == "evaluasi_smart_city" and assignment.form.newest.question_count == 11
    assert list(questionnaires.regions_for(assignment).values_list("code", flat=True)) == [TANAH_LAUT, BANJAR]
    # Banjar's operator reaches it; Barito Kuala (not in scope) does not.
    assert list(scope(FormAssignment.objects.all(), dave, "fill_questionnaire")) == [assignment]
    assert list(scope(FormAssignment.objects.all(), erin, "fill_questionnaire")) == []
    submission = questionnaires.start_submission(assignment, region(BANJAR), user=dave)
    keys = {key.rsplit("/", 1)[-1]: key for key in questionnaires.writable_keys(questionnaires.logic_of(submission.version), {})}
    planned, running = keys["outcome_direncanakan"], keys["outcome_berjalan"]
    questionnaires.save_answers(submission, {planned: ("10", 0), running: ("9", 0)}, user=dave)
    questionnaires.add_evidence(submission, running, SimpleUploadedFile("laporan.pdf", b"%PDF-1.4\n%%EOF\n"), user=dave)
    assert questionnaires.answers_of(submission)[running][0] == "9"
    assert submission.evidence.get().key == running
    assert region(BARITO_KUALA) not in questionnaires.regions_for(assignment)


def test_a_self_assessment_needs_a_deadline(reference_data):
    with pytest.raises(services.EvaluationRefused):
        services.attach_self_assessment(make_round())
