"""A region's profile: the timeline across the stages, the radar of the six dimensions, programs
by status, indicators over the years; each block shows only what the viewer's role may read."""

import re

import pytest

from kotacerdas.evaluation import services as evaluation
from kotacerdas.evaluation.tests.helpers import BANJAR, region, scores
from kotacerdas.masterplans import services as masterplans
from kotacerdas.masterplans.models import ProgressStatus
from kotacerdas.masterplans.tests.helpers import adopted_plan

pytestmark = pytest.mark.django_db

DIMENSION_SCORES = {"governance": "3.50", "branding": "2.00", "economy": "3.00", "living": "4.00", "society": "2.50", "environment": "1.50"}


@pytest.fixture
def story(reference_data):
    plan = adopted_plan(BANJAR)
    quick_win = plan.programs.get(quick_win=True)
    masterplans.record_progress(quick_win, 2026, status=ProgressStatus.DONE)
    masterplans.new_version(plan)  # a draft: the region's own business until adopted
    published = evaluation.create_round(2030, 1, region_ids=[region(BANJAR).pk])
    evaluation.store_results(published, [{"region_id": region(BANJAR).pk, **scores("3", "3", "3", "3", "3"),
                                          "smart_city_scores": DIMENSION_SCORES}], origin="manual")
    evaluation.close_round(published)
    evaluation.publish_round(published)
    unpublished = evaluation.create_round(2031, 1, region_ids=[region(BANJAR).pk])
    evaluation.store_results(unpublished, [{"region_id": region(BANJAR).pk, **scores("4", "4", "4", "4", "4")}], origin="manual")
    return plan


def _section(html, name):
    match = re.search(rf'<section class="[^"]*" data-section="{name}">(.*?)</section>', html, re.DOTALL)
    assert match, name
    return match.group(1)


def _page(client, user=None):
    if user is not None:
        client.force_login(user)
    return client.get(f"/regions/{BANJAR}/").content.decode()


def test_the_public_reads_the_adopted_plan_and_published_results_only(client, story):
    timeline = _section(_page(client), "timeline")
    assert "Master plan version 1 adopted" in timeline
    assert "index 3.00, national rank 1" in timeline
    assert "version 2" not in timeline and "index 4.00" not in timeline
    assert "not public" not in timeline


@pytest.mark.parametrize("who, sees", [("dave", True), ("alice", True), ("erin", False), ("carol", False), ("bob", False)])
def test_the_region_and_the_ministry_also_read_the_work_in_progress(client, story, role_users, who, sees):
    user = {"alice": role_users["ministry"], "bob": role_users["assessor"], "carol": role_users["mentor"],
            "dave": role_users["operator"], "erin": role_users["other operator"]}[who]
    timeline = _section(_page(client, user), "timeline")
    assert ("Master plan version 2 started" in timeline) is sees
    assert ("index 4.00" in timeline) is sees
    assert ("not public" in timeline) is sees
    assert "index 3.00" in timeline


def test_the_timeline_runs_in_date_order_across_stages(client, story):
    timeline = _section(_page(client), "timeline")
    stamps = re.findall(r'<time datetime="([^"]+)"', timeline)
    assert stamps == sorted(stamps) and len(stamps) >= 2
    stages = re.findall(r'data-stage="(\w+)"', timeline)
    assert {"masterplan", "evaluation"} <= set(stages)


def test_the_radar_shows_the_six_dimensions_of_each_evaluation_year(client, story):
    radar = _section(_page(client), "radar")
    assert "<svg" in radar and "<title" in radar
    assert "Smart city dimensions of Kabupaten Banjar per evaluation year" in radar
    assert re.search(r"<desc[^>]*>2030: [^<]*3\.50[^<]*1\.50", radar)
    assert radar.count("<polygon") == 5 + 1  # five rings and one year


def test_programs_and_quick_wins_by_their_latest_status(client, story):
    table = _section(_page(client), "programs")
    done = re.search(r'data-status="done"><td>[^<]*</td><td class="number">(\d+)</td><td class="number">(\d+)</td>', table)
    assert done.groups() == ("1", "1")
    waiting = re.search(r'data-status="not_reported"><td>[^<]*</td><td class="number">(\d+)</td>', table)
    assert waiting.group(1) == "1"  # the adopted plan's other program; the draft's copies are not public


def test_without_any_story_the_blocks_say_so(client, reference_data):
    html = _page(client)
    assert "No evaluation has scored the six smart city dimensions of this region yet." in html
    assert "No program of a master plan is recorded for this region." in html


def test_the_story_is_built_once_and_rebuilt_when_a_change_is_published(client, story, monkeypatch):
    """The profile's blocks come from Django's (shared) cache while nothing changed; publishing
    the 2031 round changes the data behind them, so the next visitor reads the new result."""
    from kotacerdas.evaluation.models import EvaluationRound
    from kotacerdas.reports import profile

    built = []
    original = profile._build_story
    monkeypatch.setattr(profile, "_build_story", lambda *args: built.append(args[0].code) or original(*args))
    first = _section(_page(client), "timeline")
    again = _section(_page(client), "timeline")
    assert built == [BANJAR] and first == again
    assert "index 4.00" not in first

    before = profile.data_version()
    unpublished = EvaluationRound.objects.get(round__year=2031)
    evaluation.close_round(unpublished)
    evaluation.publish_round(unpublished)
    assert profile.data_version() != before
    after = _section(_page(client), "timeline")
    assert built == [BANJAR, BANJAR]
    assert "index 4.00" in after


def test_a_bulk_change_of_the_results_also_gives_a_new_version(story):
    from django.utils import timezone

    from kotacerdas.evaluation.models import Result
    from kotacerdas.reports import profile

    before = profile.data_version()
    Result.objects.filter(region__code=BANJAR).update(updated_at=timezone.now())
    assert profile.data_version() != before


def test_viewers_with_other_rights_never_share_a_cached_story(client, story, role_users):
    """The public's cached story must not be served to the region's operator, nor the reverse."""
    public = _section(_page(client), "timeline")
    operator = _section(_page(client, role_users["operator"]), "timeline")
    client.logout()
    public_again = _section(_page(client), "timeline")
    def shows(timeline, index):  # the page after logging out may be in Indonesian ("indeks")
        return re.search(rf"inde(?:x|ks) {re.escape(index)}", timeline) is not None

    assert shows(operator, "4.00") and shows(operator, "3.00")
    assert not shows(public, "4.00") and shows(public, "3.00")
    assert not shows(public_again, "4.00") and shows(public_again, "3.00")


def test_the_timeline_tells_the_screening_result_of_a_confirmed_run(client, reference_data):
    from kotacerdas.screening.tests.helpers import matrix_ids

    code = matrix_ids()["ranked_region"]
    timeline = _section(client.get(f"/regions/{code}/").content.decode(), "timeline")
    assert re.search(r"Screening of [^:]+: rank 1, score \d\.\d{3}", timeline)
    assert 'data-stage="screening"' in timeline
