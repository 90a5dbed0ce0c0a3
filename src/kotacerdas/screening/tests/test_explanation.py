"""The explanation of a region: score, rank, contributions (SVG), distance to the cut-off, the
smallest weight change that crosses it, and its SMAA probability with a stability label."""

import numpy as np
import pytest

from kotacerdas import decision
from kotacerdas.regions.models import Region
from kotacerdas.screening.models import Stability
from kotacerdas.screening.services.explanation import explain_region
from kotacerdas.screening.services.runs import run_results, stability_of

from .helpers import demo_phase, make_run


@pytest.fixture
def run(reference_data):
    return make_run(demo_phase(), confirm=True, samples=2000)


def test_contributions_sum_to_the_score_and_the_page_draws_them(client, run):
    result = run.results.filter(rank=3).select_related("region").first()
    explanation = explain_region(run, result.region)
    assert sum(c["contribution"] for c in explanation["criteria"]) == pytest.approx(result.score)
    assert explanation["distance"] == pytest.approx(result.score - run.cutoff_score)
    page = client.get(f"/phases/2027/screening/{run.pk}/regions/{result.region.code}/").content.decode()
    assert "<svg" in page and "contribution-chart" in page and "Distance to the cut-off" in page
    assert "Synthetic data" in page


def test_the_smallest_weight_change_crosses_the_cutoff(run):
    region_ids, matrix = run.input_arrays()
    k = run.shortlist_size
    last_in = run.results.filter(rank=k).first()
    index = int(np.flatnonzero(region_ids == last_in.region_id)[0])
    changes = decision.weight_changes(matrix, run.benefit, run.weights, "saw", "minmax", k, index)
    w = np.array(run.weights)
    found = [(j, d) for j, d in enumerate(changes) if d is not None]
    assert found, "a region at the cut-off can be moved by some weight"
    j, delta = min(found, key=lambda item: abs(item[1]))

    def inside(d):
        new = w * (1 - w[j] - d) / (1 - w[j])
        new[j] = w[j] + d
        scores = decision.saw(matrix, new, run.benefit)
        return (scores > scores[index]).sum() < k

    assert inside(0) != inside(delta * 1.001)
    assert inside(0) == inside(delta * 0.99)


def test_stability_labels():
    assert stability_of(0.95) == Stability.STABLE_IN and stability_of(0.9) == Stability.STABLE_IN
    assert stability_of(0.5) == Stability.BORDERLINE
    assert stability_of(0.1) == Stability.STABLE_OUT and stability_of(None) == ""


def test_probabilities_are_stored_and_labelled(run):
    top = run.results.filter(rank=1).first()
    assert top.probability >= 0.9 and top.stability == Stability.STABLE_IN
    ranked = run_results(run, ranked=True)
    assert len(ranked) == run.eligible_count > run.shortlist_size
    assert all(r.probability is not None and r.stability == stability_of(r.probability) for r in ranked)
    assert any(r.stability == Stability.STABLE_OUT for r in ranked if not r.in_shortlist)


def test_an_excluded_region_shows_its_rule(client, run):
    excluded = run.results.filter(rank__isnull=True).select_related("region").first()
    page = client.get(f"/phases/2027/screening/{run.pk}/regions/{excluded.region.code}/").content.decode()
    assert excluded.excluded_by in page


def test_a_province_was_not_screened(client, run):
    assert client.get(f"/phases/2027/screening/{run.pk}/regions/63/").status_code == 404
    assert client.get(f"/phases/2027/screening/{run.pk}/regions/99.99/").status_code == 404
    assert Region.objects.filter(code="63").exists()
