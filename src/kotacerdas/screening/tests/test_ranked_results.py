"""The run page's ranking (RankedResults): the same results in the same order as run_results'
ranked results, built only for the slice a page asks for."""

import io

import numpy as np
import pytest

from kotacerdas.regions.models import Region
from kotacerdas.screening.models import RunResult
from kotacerdas.screening.services.runs import RankedResults, run_results

from .helpers import make_run

FIELDS = ("region_id", "score", "rank", "in_shortlist", "shortlist_reason", "probability", "stability", "excluded_by")


def as_rows(results):
    return [tuple(getattr(r, name) for name in FIELDS) for r in results]


def with_ties(run):
    """The run with ranks 11..30 made equal in twos and a block of ten equal ranks, so that the
    order among equal ranks (by region code) is what decides."""
    scores, ranks, probability = run.output_arrays()
    ranks = ranks.copy()
    for rank in range(11, 31, 2):
        ranks[ranks == rank + 1] = rank
    ranks[(ranks >= 40) & (ranks < 50)] = 40
    buffer = io.BytesIO()
    np.savez(buffer, scores=scores, ranks=ranks, probability=probability)
    run.outputs = buffer.getvalue()
    run.save(update_fields=["outputs"])
    return run


@pytest.mark.parametrize("samples", [200, 0])
def test_the_same_results_in_the_same_order_as_run_results(phase, samples):
    run = make_run(phase, shortlist_size=20, samples=samples)
    expected = as_rows(run_results(run, ranked=True))
    ranked = RankedResults(run)
    assert len(ranked) == len(expected) == run.eligible_count
    assert as_rows(ranked) == expected
    assert as_rows(ranked[5:17]) == expected[5:17] and as_rows([ranked[-1]]) == expected[-1:]


def test_equal_ranks_are_ordered_by_region_code_as_run_results_orders_them(phase):
    run = with_ties(make_run(phase, shortlist_size=20))
    expected = run_results(run, ranked=True)
    assert as_rows(RankedResults(run)) == as_rows(expected)
    tied = [r for r in expected if r.rank == 40]
    assert len(tied) == 10
    codes = dict(Region.objects.filter(pk__in=[r.region_id for r in tied]).values_list("pk", "code"))
    assert [codes[r.region_id] for r in tied] == sorted(codes.values())


def test_only_the_regions_asked_for(phase):
    run = make_run(phase, shortlist_size=20)
    everything = run_results(run, ranked=True)
    wanted = [r.region_id for r in everything[::7]] + [r.region_id for r in everything[:3]]  # some in the shortlist
    expected = as_rows(run_results(run, region_ids=wanted, ranked=True))
    assert as_rows(RankedResults(run, region_ids=wanted)) == expected and len(expected) == len(set(wanted))
    assert len(RankedResults(run, region_ids=[])) == 0


def test_a_page_builds_instances_for_that_page_only(phase, monkeypatch):
    run = make_run(phase, shortlist_size=10)
    ranked = RankedResults(run)
    built = []
    original = RunResult.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(RunResult, "__init__", counting)
    page = ranked[100:125]
    assert len(page) == 25 and len(built) == 25 and len(ranked) > 400
    assert [r.rank for r in page] == sorted(r.rank for r in page)


def test_the_run_page_shows_the_ranking_page_by_page(phase, client, django_user_model):
    run = make_run(phase, shortlist_size=20)
    admin = django_user_model.objects.create_superuser("ranked-admin", "ranked@example.invalid", "x")
    client.force_login(admin)
    expected = run_results(run, ranked=True)
    url = f"/phases/{phase.year}/screening/{run.pk}/"
    second = client.get(url, {"page": "2"})
    assert second.status_code == 200
    shown = [r.region_id for r in second.context["ranked"]]
    assert shown == [r.region_id for r in expected[runs_page_size():2 * runs_page_size()]]
    assert second.context["page"].paginator.count == len(expected)


def runs_page_size():
    from kotacerdas.screening.views import RESULTS_PAGE_SIZE

    return RESULTS_PAGE_SIZE


@pytest.mark.indonesian
def test_a_run_names_its_method_in_words_not_codes(phase, client):
    run = make_run(phase, shortlist_size=20, samples=50, confirm=True)
    client.cookies["django_language"] = "id"
    detail = client.get(f"/phases/{phase.year}/screening/{run.pk}/").content.decode()
    listing = client.get(f"/phases/{phase.year}/screening/").content.decode()
    for html in (detail, listing):
        assert "SAW (pembobotan aditif sederhana), normalisasi min–maks" in html
        assert "saw (minmax)" not in html and "saw / minmax" not in html
