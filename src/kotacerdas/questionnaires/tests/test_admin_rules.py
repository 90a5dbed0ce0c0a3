"""The Django admin obeys the questionnaire's rules: answers and evidence of a submission are
changed only through the questionnaire pages (the tester deleted a submitted questionnaire's
answers and evidence as the ministry admin)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.questionnaires import services
from kotacerdas.questionnaires.models import Answer, Evidence, Submission

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def test_answers_evidence_and_submissions_cannot_be_deleted_or_changed_in_the_admin(admin_client, submission, dave):
    services.save_answers(submission, {"has_plan": ("no", 0)}, user=dave)
    answer = Answer.objects.get(submission=submission, key="has_plan")
    evidence = services.add_evidence(submission, "has_plan", SimpleUploadedFile("sk.pdf", PDF), user=dave)
    for path, model, pk in (("answer", Answer, answer.pk), ("evidence", Evidence, evidence.pk), ("submission", Submission, submission.pk)):
        assert admin_client.post(f"/admin/questionnaires/{path}/{pk}/delete/", {"post": "yes"}).status_code == 403, path
        bulk = admin_client.post(f"/admin/questionnaires/{path}/", {"action": "delete_selected", "_selected_action": [pk], "post": "yes"})
        assert bulk.status_code in (200, 302)
        assert model.objects.filter(pk=pk).exists(), path
    assert admin_client.post(f"/admin/questionnaires/answer/{answer.pk}/change/", {"value": "changed"}).status_code == 403
    assert Answer.objects.get(pk=answer.pk).value == answer.value
