"""Ranking runs: stored with all their inputs and versions, reproducible, AHP with its consistency
ratio, spread rules, and refused inputs."""

import io

from django.core.exceptions import ValidationError

import numpy as np
import pytest
from django.db import connection

from kotacerdas import decision
from kotacerdas.screening.models import RunResult, ScreeningRun
from kotacerdas.screening.services.runs import ScreeningError, recompute, run_results, stability_of

from .helpers import make_run


def test_a_run_stores_every_input(phase):
    run = make_run(phase)
    assert run.engine_version == decision.VERSION and run.numpy_version == np.__version__
    assert (run.method, run.normalization, run.seed, run.smaa_samples, run.weighting) == ("saw", "minmax", 7, 500, "direct")
    assert abs(sum(run.weights) - 1) < 1e-12 and run.synthetic
    region_ids, matrix = run.input_arrays()
    assert matrix.dtype == np.float64 and matrix.shape == (run.eligible_count, 5)
    assert RunResult.objects.filter(run=run, in_shortlist=True).count() == 80


def test_rerunning_gives_the_same_ranks_shortlist_and_scores(phase):
    first, second = make_run(phase), make_run(phase)
    a = sorted((r.region_id, r.rank, r.in_shortlist, r.score, r.probability) for r in run_results(first))
    b = sorted((r.region_id, r.rank, r.in_shortlist, r.score, r.probability) for r in run_results(second))
    assert len(a) == first.eligible_count + first.excluded_count
    assert [row[:3] for row in a] == [row[:3] for row in b]
    assert all(abs((x[3] or 0) - (y[3] or 0)) <= 1e-9 and x[4] == y[4] for x, y in zip(a, b))


def test_recomputing_from_the_stored_inputs_gives_the_stored_results(phase):
    run = make_run(phase, method="topsis")
    outcome = recompute(run)
    region_ids, _matrix = run.input_arrays()
    stored = {r.region_id: r.score for r in run_results(run, ranked=True)}
    assert max(abs(stored[int(pk)] - outcome["scores"][i]) for i, pk in enumerate(region_ids)) <= 1e-9
    assert {int(region_ids[i]) for i in outcome["chosen"]} == set(run.results.filter(in_shortlist=True).values_list("region_id", flat=True))


def test_rows_are_stored_for_the_shortlist_and_the_excluded_regions_only(phase):
    run = make_run(phase, shortlist_size=12)
    outcome = recompute(run)
    region_ids, _matrix = run.input_arrays()
    chosen = {int(region_ids[i]) for i in outcome["chosen"]}
    rows = list(RunResult.objects.filter(run=run))
    assert run.excluded_count > 0 and run.eligible_count > 12
    assert len(rows) == 12 + run.excluded_count
    assert {r.region_id for r in rows if r.rank is not None} == chosen
    assert all(r.in_shortlist and r.shortlist_reason and r.probability is not None and r.stability
               for r in rows if r.rank is not None)
    assert all(r.excluded_by and r.score is None and not r.in_shortlist for r in rows if r.rank is None)
    # The other eligible regions are in the run's outputs, in the order of its inputs.
    scores, ranks, probability = run.output_arrays()
    assert scores.dtype == np.float64 and ranks.dtype == np.int64 and probability.dtype == np.float64
    assert np.array_equal(scores, outcome["scores"]) and np.array_equal(ranks, outcome["ranks"])
    assert np.array_equal(probability, outcome["probability"])


@pytest.mark.parametrize("options", [{"method": "topsis"}, {"spread": {"max_per_province": 1}}, {"samples": 0}])
def test_every_eligible_regions_result_is_the_recomputed_one(phase, options):
    run = make_run(phase, shortlist_size=15, **options)
    outcome = recompute(run)
    region_ids, _matrix = run.input_arrays()
    results = run_results(run, with_regions=True)
    ranked = [r for r in results if r.rank is not None]
    assert len(ranked) == len(region_ids) == run.eligible_count
    assert len(results) - len(ranked) == run.excluded_count
    by_id = {r.region_id: r for r in ranked}
    chosen = {int(region_ids[i]): outcome["reasons"][i] for i in outcome["chosen"]}
    for i, pk in enumerate(region_ids.tolist()):
        r = by_id[pk]
        assert (r.score, r.rank) == (float(outcome["scores"][i]), int(outcome["ranks"][i]))
        p = None if outcome["probability"] is None else float(outcome["probability"][i])
        assert (r.probability, r.stability) == (p, stability_of(p))
        assert (r.in_shortlist, r.shortlist_reason) == ((True, chosen[pk]) if pk in chosen else (False, ""))
    # Ordered as the database orders (rank, region code): excluded regions (no rank) before the
    # ranked ones on SQLite, after them on PostgreSQL.
    key = (lambda r: (r.rank is None, r.rank or 0, r.region.code)) if connection.vendor == "postgresql" else \
        (lambda r: (r.rank is not None, r.rank or 0, r.region.code))
    assert [r.region_id for r in results] == [r.region_id for r in sorted(results, key=key)]
    stored = RunResult.objects.filter(run=run).order_by("rank", "region__code").values_list("region_id", flat=True)
    assert [r.region_id for r in results if r.in_shortlist or r.excluded_by] == list(stored)
    # One region, or only the excluded ones.
    some = [int(region_ids[0]), int(region_ids[-1])]
    assert [(r.region_id, r.score) for r in run_results(run, region_ids=some)] == [
        (r.region_id, r.score) for r in ranked if r.region_id in some]
    assert [r.region_id for r in run_results(run, ranked=False)] == [r.region_id for r in results if r.rank is None]
    if outcome["probability"] is None:
        assert "probability" not in np.load(io.BytesIO(bytes(run.outputs))).files


def test_ahp_weights_are_stored_with_the_consistency_ratio(phase):
    pairwise = [[1, 3, 5, 3, 3], [1 / 3, 1, 3, 1, 1], [1 / 5, 1 / 3, 1, 1 / 3, 1 / 3], [1 / 3, 1, 3, 1, 1], [1 / 3, 1, 3, 1, 1]]
    run = make_run(phase, weights=None, pairwise=pairwise)
    expected, ratio = decision.ahp_weights(pairwise)
    assert run.weighting == "ahp" and run.consistency_ratio == pytest.approx(ratio)
    assert run.weights == pytest.approx(list(expected))


def test_inconsistent_pairwise_comparisons_are_refused(phase):
    bad = [[1, 9, 1 / 9, 1, 1], [1 / 9, 1, 9, 1, 1], [9, 1 / 9, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1]]
    with pytest.raises(ScreeningError, match="inconsistent"):
        make_run(phase, weights=None, pairwise=bad)


@pytest.mark.parametrize("options, words", [
    ({"criteria": ["nope"], "weights": [1]}, "Unknown indicators"),
    ({"weights": [1, 2]}, "one weight per criterion"),
    ({"weights": [-1, 1, 1, 1, 1]}, "negative"),
    ({"method": "magic"}, "Unknown method"),
    ({"normalization": "magic"}, "Unknown normalisation"),
    ({"spread": {"min_per_city": 1}}, "Unknown spread rule"),
])
def test_bad_inputs_are_refused(phase, options, words):
    with pytest.raises(ScreeningError, match=words):
        make_run(phase, **options)


def test_at_least_one_per_province(phase):
    run = make_run(phase, spread={"min_per_province": 1})
    shortlisted = run.results.filter(in_shortlist=True).select_related("region")
    provinces_ranked = {r.region.province_id for r in run_results(run, ranked=True, with_regions=True)}
    assert set(r.region.province_id for r in shortlisted) == provinces_ranked
    assert shortlisted.count() == 80


def test_at_least_one_per_island_group(phase):
    run = make_run(phase, shortlist_size=7, spread={"min_per_island_group": 1})
    groups = {r.region.island_group for r in run_results(run, ranked=True, with_regions=True)}
    assert set(run.results.filter(in_shortlist=True).values_list("region__island_group", flat=True)) == groups or len(groups) > 5


def test_bad_pairwise_comparisons_name_the_field_and_what_to_do_in_indonesian_too(phase):
    from django.utils import translation

    not_reciprocal = [[1, 3, 1, 1, 1], [3, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1]]
    with pytest.raises(ScreeningError, match=r"Pairwise comparisons: give a square table .* reciprocal"):
        make_run(phase, weights=None, pairwise=not_reciprocal)
    with translation.override("id"), pytest.raises(ScreeningError) as refused:
        make_run(phase, weights=None, pairwise=not_reciprocal)
    assert "Perbandingan berpasangan" in refused.value.messages[0]
    # The input check (lib/inputs.py) names the field and the bound before the engine sees it.
    with pytest.raises(ValidationError, match="weight uncertainty must be at least 0"):
        make_run(phase, weight_uncertainty=-2)
    assert not ScreeningRun.objects.exists()


def test_minimums_that_do_not_fit_the_shortlist_are_refused_with_what_to_do(phase):
    with pytest.raises(ScreeningError, match="Shortlist size: the spread rules need at least 7 regions but the "
                                             "shortlist has 5. Raise the shortlist size"):
        make_run(phase, shortlist_size=5, spread={"min_per_island_group": 1})
    assert not ScreeningRun.objects.exists()


def test_a_new_run_keeps_its_shortlist_method_and_an_old_one_recomputes_with_its_own(phase):
    run = make_run(phase, shortlist_size=7, spread={"min_per_island_group": 1})
    assert run.shortlist_method == decision.SHORTLIST_VERSION == "exact-1"
    shortlisted = set(run.results.filter(in_shortlist=True).values_list("region_id", flat=True))
    assert {int(run.input_region_ids()[i]) for i in recompute(run)["chosen"]} == shortlisted
    # A run made with the greedy method (before versions; the migration marks those "greedy-1")
    # with a shortlist too small for its minimums: greedy stopped at the size, the exact method
    # refuses. It recomputes as it was made.
    ScreeningRun.objects.filter(pk=run.pk).update(shortlist_method="greedy-1", shortlist_size=5)
    run.refresh_from_db()
    assert len(recompute(run)["chosen"]) == 5
    ScreeningRun.objects.filter(pk=run.pk).update(shortlist_method="exact-1")
    run.refresh_from_db()
    with pytest.raises(ScreeningError, match="need at least 7 regions"):
        recompute(run)


def test_at_most_m_per_province(phase):
    run = make_run(phase, spread={"max_per_province": 2})
    from collections import Counter

    counts = Counter(run.results.filter(in_shortlist=True).values_list("region__province_id", flat=True))
    assert max(counts.values()) <= 2


def test_without_spread_the_shortlist_is_the_top_ranks(phase):
    run = make_run(phase, shortlist_size=10)
    ranks = sorted(run.results.filter(in_shortlist=True).values_list("rank", flat=True))
    assert ranks == list(range(1, 11))


def test_the_ministry_starts_a_run_from_the_form(admin_client, phase):
    response = admin_client.post("/phases/2027/screening/new/", {
        "criteria": ["ipm", "spbe_index"], "w_ipm": "2", "w_spbe_index": "1", "method": "topsis", "data_year": "2026",
        "shortlist_size": "20", "seed": "3", "samples": "300", "weighting": "direct",
    })
    assert response.status_code == 302
    from kotacerdas.screening.models import ScreeningRun

    run = ScreeningRun.objects.get()
    assert run.weights == pytest.approx([2 / 3, 1 / 3]) and run.method == "topsis" and run.created_by is not None


def test_the_form_shows_ahp_and_errors(admin_client, phase):
    response = admin_client.post("/phases/2027/screening/new/", {
        "criteria": ["ipm", "spbe_index"], "weighting": "ahp", "pairwise": "1 3\n1/3 1", "data_year": "2026",
        "shortlist_size": "20", "samples": "300",
    })
    assert response.status_code == 302
    page = admin_client.get(response["Location"]).content.decode()
    assert "consistency ratio" in page
    response = admin_client.post("/phases/2027/screening/new/", {"data_year": "2026"})
    assert response.status_code == 400
