"""What an assessor sees of a candidate besides the rubric (the questionnaire and screening
sections, assessment/candidates.py), who may open its evidence, and the final score combining the
assessment with the questionnaire and screening components."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kotacerdas.assessment.services import outcomes, panel_setup
from kotacerdas.assessment.candidates import SCREENING, component_scores
from kotacerdas.assessment.models import PanelState
from kotacerdas.questionnaires import services as questionnaires
from kotacerdas.questionnaires.tests.conftest import CHOICES, IMMEDIATE_TASKS, SURVEY, complete_answers, xlsform
from kotacerdas.screening.services.runs import run_results

from .conftest import score_all


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.TASKS = IMMEDIATE_TASKS
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def readiness(panel, assignments):
    """The phase's readiness questionnaire; Tanah Laut (bob's candidate) has a draft with evidence."""
    version = questionnaires.import_form(xlsform(SURVEY, CHOICES), "kesiapan.xlsx")
    now = timezone.now()
    assignment = questionnaires.attach_form(version.form, panel.phase, "questionnaire",
                                            now - datetime.timedelta(days=1), now + datetime.timedelta(days=7))
    region = assignments["bob"].region
    submission = questionnaires.start_submission(assignment, region)
    questionnaires.save_answers(submission, complete_answers())
    evidence = questionnaires.add_evidence(submission, "has_plan", SimpleUploadedFile("perda.pdf", b"%PDF-1.4\n%%EOF\n"))
    return submission, evidence


def _section(response, name):
    html = response.content.decode()
    start = html.index(f'data-section="{name}"')
    return html[start:html.index("</section>", start)]


def test_a_draft_questionnaire_stays_the_regions_own(client, bob, assignments, readiness):
    submission, evidence = readiness
    client.force_login(bob)
    section = _section(client.get(f"/assessment/{assignments['bob'].pk}/"), "questionnaire")
    assert "Not submitted yet" in section and 'data-status="draft"' in section
    assert "perda.pdf" not in section and "Is there a plan?" not in section
    assert client.get(f"/assessment/{assignments['bob'].pk}/evidence/{evidence.pk}/").status_code == 404


def test_the_assigned_assessor_reads_the_submitted_answers_score_and_evidence(client, bob, assignments, readiness):
    submission, evidence = readiness
    questionnaires.submit(submission, language="en")
    client.force_login(bob)
    section = _section(client.get(f"/assessment/{assignments['bob'].pk}/"), "questionnaire")
    assert "Is there a plan?" in section and "Governance" in section and "perda.pdf" in section
    # has_plan yes: 10 of 10 (weight 2); areas gov + eco: 10 of 15 (weight 1) -> 30 of 35.
    assert "data-readiness-score>85.7<" in section
    download = client.get(f"/assessment/{assignments['bob'].pk}/evidence/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_an_assessor_not_assigned_to_the_candidate_cannot_open_its_evidence(client, assignments, readiness):
    submission, evidence = readiness
    questionnaires.submit(submission, language="en")
    frank = assignments["frank"].assessor.user  # assesses Barito Kuala only
    client.force_login(frank)
    assert client.get(f"/assessment/{assignments['frank'].pk}/evidence/{evidence.pk}/").status_code == 404
    assert client.get(f"/assessment/{assignments['bob'].pk}/evidence/{evidence.pk}/").status_code == 404
    assert client.get(f"/questionnaires/evidence/{evidence.pk}/").status_code == 403


def test_the_screening_section_shows_the_confirmed_runs_result(client, bob, assignments):
    from kotacerdas.screening.tests.helpers import make_run

    panel = assignments["bob"].panel
    client.force_login(bob)
    before = _section(client.get(f"/assessment/{assignments['bob'].pk}/"), "screening")
    assert "No screening result yet" in before
    run = make_run(confirm=True, samples=100)  # the demo phase: the panel's
    (result,) = run_results(run, region_ids=[assignments["bob"].region.pk], with_regions=True)
    section = _section(client.get(f"/assessment/{assignments['bob'].pk}/"), "screening")
    if result.rank is None:
        assert result.excluded_by in section
    else:
        assert f"data-rank>{result.rank} / {run.eligible_count}<" in section
        assert f"/phases/{panel.phase.year}/screening/{run.pk}/regions/{result.region.code}/" in section


def test_the_final_score_combines_the_components_with_the_panels_weights(bob, panel, assignments, readiness):
    from kotacerdas.screening.tests.helpers import make_run

    submission, _evidence = readiness
    questionnaires.submit(submission, language="en")
    run = make_run(confirm=True, samples=100)  # the demo phase: the panel's
    for assignment in assignments.values():
        score_all(assignment, 4)
    panel_setup.set_state(panel, PanelState.CLOSED)
    panel.weight_assessment, panel.weight_questionnaire, panel.weight_screening = 2.0, 1.0, 1.0
    panel.save()

    regions = [assignments["bob"].region, assignments["frank"].region]
    screening = component_scores(panel.phase, regions)[SCREENING]
    ranked = {r.region_id: r.score for r in run_results(run, ranked=True)}
    assert len(ranked) == run.eligible_count > run.shortlist_size
    low, high = min(ranked.values()), max(ranked.values())
    assert set(screening) == {region.pk for region in regions if region.pk in ranked}
    for region in regions:
        if region.pk in ranked:
            assert screening[region.pk] == pytest.approx(100 * (ranked[region.pk] - low) / (high - low))

    results = outcomes.compute_results(panel)
    assert results.components == {"questionnaire": True, "screening": True}
    by_region = {c.region.pk: c for c in results.candidates}
    tanah_laut = by_region[assignments["bob"].region.pk]
    assert tanah_laut.questionnaire == pytest.approx(85.7)  # the readiness score as shown (one decimal)
    parts = {"assessment": (tanah_laut.assessment, 2.0), "questionnaire": (tanah_laut.questionnaire, 1.0),
             "screening": (tanah_laut.screening, 1.0)}
    used = [(value, weight) for value, weight in parts.values() if value is not None]
    assert tanah_laut.final == pytest.approx(sum(v * w for v, w in used) / sum(w for _v, w in used))
    # Barito Kuala submitted no questionnaire: that component is left out of its final score only.
    barito = by_region[assignments["frank"].region.pk]
    assert barito.questionnaire is None
    expected = [(barito.assessment, 2.0)] + ([(barito.screening, 1.0)] if barito.screening is not None else [])
    assert barito.final == pytest.approx(sum(v * w for v, w in expected) / sum(w for _v, w in expected))
