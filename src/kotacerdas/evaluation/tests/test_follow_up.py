"""Findings and follow-up: each recommendation becomes an item the region answers in the next
round, shown to the assessors scoring that round's Baseline."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.evaluation import services
from kotacerdas.evaluation.models import FollowUp, FollowUpStatus

from .helpers import BANJAR, TANAH_LAUT, make_round, region, scores, store

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_recommendations_are_carried_into_the_next_round_and_shown_with_the_baseline(reference_data, alice):
    first = make_round(2031, 1)
    store(first, {BANJAR: scores("3.00", "3.00", "3.00", "3.00", "3.00")})
    services.add_finding(first, region(BANJAR), "strength", "Dewan Smart City aktif", user=alice)
    recommendation = services.add_finding(first, region(BANJAR), "recommendation", "Tetapkan Perbup masterplan", user=alice)
    services.add_finding(first, region(TANAH_LAUT), "recommendation", "Bentuk Tim Pelaksana", user=alice)

    second = make_round(2031, 2)
    context = services.baseline_context(second, region(BANJAR))
    assert context["previous_round"] == first and str(context["previous_result"].index) == "3.00"
    assert [item.recommendation for item in context["follow_ups"]] == [recommendation]
    assert context["follow_ups"][0].status == FollowUpStatus.OPEN
    assert FollowUp.objects.filter(answered_in=second).count() == 2


def test_a_recommendation_written_after_the_next_round_exists_is_carried_too(reference_data):
    first = make_round(2031, 1)
    second = make_round(2031, 2)
    late = services.add_finding(first, region(BANJAR), "recommendation", "Perbarui data dasar")
    assert late.follow_up.answered_in == second


def test_a_follow_up_item_is_done_only_with_evidence(reference_data, dave):
    first = make_round(2031, 1)
    services.add_finding(first, region(BANJAR), "recommendation", "Tetapkan Perbup masterplan")
    second = make_round(2031, 2)
    item = FollowUp.objects.get(answered_in=second)
    services.answer_follow_up(item, status="in_progress", note="Draf di Bagian Hukum", user=dave)
    with pytest.raises(services.EvaluationRefused, match="only with evidence"):
        services.answer_follow_up(item, status="done", note="Sudah")
    services.answer_follow_up(item, status="done", note="Perbup 12/2031", evidence=SimpleUploadedFile("perbup.pdf", b"%PDF-1.4\n"), user=dave)
    item.refresh_from_db()
    assert item.status == "done" and item.evidence and item.updated_by == dave
    assert item.history.count() == 2


def test_evidence_that_is_not_what_its_name_says_is_refused_and_the_answer_kept(reference_data, dave):
    first = make_round(2031, 1)
    services.add_finding(first, region(BANJAR), "recommendation", "Tetapkan Perbup masterplan")
    second = make_round(2031, 2)
    item = FollowUp.objects.get(answered_in=second)
    services.answer_follow_up(item, status="in_progress", note="Draf di Bagian Hukum", user=dave)
    fake = SimpleUploadedFile("perbup.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as refused:
        services.answer_follow_up(item, status="done", note="Sudah", evidence=fake, user=dave)
    assert "not really a PDF" in str(refused.value.message_dict["evidence"])
    item.refresh_from_db()
    assert (item.status, item.note, bool(item.evidence)) == ("in_progress", "Draf di Bagian Hukum", False)
    done = services.answer_follow_up(item, status="done", note="Perbup", evidence=SimpleUploadedFile("perbup.pdf", b"%PDF-1.4\n"), user=dave)
    assert "perbup" not in done.evidence.name.rsplit("/", 1)[-1]


def test_findings_of_a_published_round_are_final(reference_data):
    first = make_round(2031, 1)
    store(first, {BANJAR: scores("3.00", "3.00", "3.00", "3.00", "3.00")})
    services.publish_round(first)
    with pytest.raises(services.EvaluationRefused, match="final"):
        services.add_finding(first, region(BANJAR), "weakness", "Anggaran kecil")
