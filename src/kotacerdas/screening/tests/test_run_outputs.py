"""A run's outputs: the scores, ranks and SMAA probabilities of its eligible regions are arrays on
the run, with result rows for the shortlist and the excluded regions only. The pages, the API and
the exports show every region as they did when each region had a row, and the migration turns
runs of that form into this one and back."""

import csv
import importlib
import io

import numpy as np
import pytest
from django.apps import apps
from django.template.defaultfilters import floatformat
from django.utils.html import escape
from openpyxl import load_workbook

from kotacerdas.lib.export import table_response
from kotacerdas.screening.models import RunResult, ScreeningRun
from kotacerdas.screening.services.runs import compare_runs, recompute, run_results, stability_of

from .helpers import make_run

migration = importlib.import_module("kotacerdas.screening.migrations.0003_run_outputs")

FIELDS = ("region_id", "score", "rank", "in_shortlist", "shortlist_reason", "probability", "stability", "excluded_by")


def rows_of(run):
    return sorted(RunResult.objects.filter(run=run).values_list(*FIELDS))


def outside_the_shortlist(run):
    """The results of three eligible regions not in the shortlist: just below the cut-off, in the
    middle and last."""
    ranked = [r for r in run_results(run, ranked=True, with_regions=True) if not r.in_shortlist]
    assert len(ranked) > 3
    return [ranked[0], ranked[len(ranked) // 2], ranked[-1]]


def test_the_migration_moves_old_rows_into_the_outputs_and_back(phase):
    run = make_run(phase, shortlist_size=40, spread={"min_per_province": 1})  # 37 provinces ranked
    new_rows, new_outputs = rows_of(run), bytes(run.outputs)
    outcome = recompute(run)
    region_ids, _matrix = run.input_arrays()

    # Backwards: one row per region again, as runs were stored before, and no outputs.
    migration.restore_rows(apps, None)
    run.refresh_from_db()
    assert bytes(run.outputs) == b""
    old_rows = rows_of(run)
    assert len(old_rows) == run.eligible_count + run.excluded_count
    by_id = {row[0]: row for row in old_rows}
    chosen = {int(region_ids[i]): reason for i, reason in outcome["reasons"].items() if i in outcome["chosen"]}
    for i, pk in enumerate(region_ids.tolist()):
        p = float(outcome["probability"][i])
        assert by_id[pk] == (pk, float(outcome["scores"][i]), int(outcome["ranks"][i]), pk in chosen,
                             chosen.get(pk, ""), p, stability_of(p), "")
    assert [row for row in old_rows if row[2] is None] == [row for row in new_rows if row[2] is None]

    # Forwards: the outputs from the rows, in the order of the inputs, and only the shortlist's and
    # the excluded regions' rows kept.
    migration.fill_outputs(apps, None)
    run.refresh_from_db()
    assert rows_of(run) == new_rows
    scores, ranks, probability = run.output_arrays()
    assert np.array_equal(scores, outcome["scores"]) and np.array_equal(ranks, outcome["ranks"])
    assert np.array_equal(probability, outcome["probability"]) and ranks.dtype == np.int64
    with np.load(io.BytesIO(new_outputs)) as stored:
        assert sorted(stored.files) == ["probability", "ranks", "scores"]
        assert all(np.array_equal(stored[name], array) for name, array in
                   (("scores", scores), ("ranks", ranks), ("probability", probability)))
    # Already in the new form: left as it is.
    migration.fill_outputs(apps, None)
    assert rows_of(run) == new_rows


def test_the_migration_keeps_a_run_without_smaa_without_probabilities(phase):
    run = make_run(phase, shortlist_size=5, samples=0)
    migration.restore_rows(apps, None)
    assert not RunResult.objects.filter(run=run, probability__isnull=False).exists()
    assert RunResult.objects.filter(run=run, stability="").count() == run.eligible_count + run.excluded_count
    migration.fill_outputs(apps, None)
    run.refresh_from_db()
    scores, ranks, probability = run.output_arrays()
    assert probability is None and len(scores) == len(ranks) == run.eligible_count
    assert RunResult.objects.filter(run=run).count() == 5 + run.excluded_count


def test_the_migration_refuses_a_run_whose_rows_miss_regions(phase):
    run = make_run(phase, shortlist_size=5)
    migration.restore_rows(apps, None)
    RunResult.objects.filter(run=run, rank=run.eligible_count // 2).delete()
    with pytest.raises(RuntimeError, match=f"#{run.pk}"):
        migration.fill_outputs(apps, None)


def test_the_run_page_shows_the_regions_outside_the_shortlist(admin_client, phase):
    run = make_run(phase, shortlist_size=10)
    page = admin_client.get(f"/phases/2027/screening/{run.pk}/")
    assert page.context["page"].paginator.count == run.eligible_count
    assert len(page.context["excluded"]) == run.excluded_count
    for r in outside_the_shortlist(run):
        # Found by the search of the ranking (by code), whatever page it is on.
        html = admin_client.get(f"/phases/2027/screening/{run.pk}/?q={r.region.code}").content.decode()
        assert (f'<tr><td class="number">{r.rank}</td><td><a href="/phases/2027/screening/{run.pk}/regions/'
                f'{r.region.code}/">{escape(r.region.name)}</a></td><td class="number">{floatformat(r.score, 4)}</td><td></td>'
                f'<td class="number">{floatformat(r.probability, 3)}</td><td>{r.get_stability_display()}</td></tr>') in html
        explanation = admin_client.get(f"/phases/2027/screening/{run.pk}/regions/{r.region.code}/").content.decode()
        assert f'<dd class="rank">{r.rank}</dd>' in explanation
        assert f'<dd class="score">{floatformat(r.score, 6)}</dd>' in explanation


def test_the_exports_and_the_api_are_those_of_a_row_per_region(admin_client, client, phase):
    """What the export and the API give is what the rows of the former storage (one per region)
    gave, read as the page and the API read them then."""
    run = make_run(phase, shortlist_size=10, confirm=True)
    url = f"/phases/2027/screening/{run.pk}/"
    exported = admin_client.get(url + "?format=csv").content.decode("utf-8-sig")
    workbook = admin_client.get(url + "?format=xlsx").content
    api = client.get(f"/api/v1/phases/2027/screening-runs/{run.pk}").json()
    below = outside_the_shortlist(run)[0]
    assert f"\r\n{below.rank},{below.region.code}," in exported

    migration.restore_rows(apps, None)  # the former storage
    old = list(run.results.select_related("region", "region__province").order_by("rank", "region__code"))
    assert len(old) == run.eligible_count + run.excluded_count
    table = [(r.rank, r.region.code, r.region.name, r.score, r.in_shortlist, r.shortlist_reason, r.probability,
              r.stability, r.excluded_by) for r in old]
    lines = list(csv.reader(io.StringIO(exported)))
    assert lines[2:] == [["" if value is None else str(value) for value in row] for row in table]
    # (openpyxl writes floats with 16 significant digits: compare with a workbook of the old rows.)
    expected = table_response("old", ("header",), table, "xlsx").content
    sheet, old_sheet = (list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
                        for content in (workbook, expected))
    assert len(sheet) == len(table) + 2 and sheet[2:] == old_sheet[1:]
    assert api["results"] == [
        {"region_code": r["region__code"], **{k: r[k] for k in FIELDS[1:]}}
        for r in run.results.order_by("rank", "region__code").values("region__code", *FIELDS[1:])
    ]


def test_the_comparison_gives_the_rank_outside_the_shortlist(phase):
    first = make_run(phase, shortlist_size=10)
    second = make_run(phase, shortlist_size=10, weights=[0, 0, 0, 1, 0])
    ids, _matrix = second.input_arrays()
    ranks = dict(zip(ids.tolist(), recompute(second)["ranks"].tolist()))
    rows = compare_runs(first, second)
    out = [row for row in rows if row["moved"] == "out"]
    assert out and len(out) == len([row for row in rows if row["moved"] == "in"])
    for row in out:
        assert row["second"].rank == ranks[row["region"].pk] > 10 and not row["second"].in_shortlist
        assert row["why"] == f"rank {row['first'].rank} → {row['second'].rank}"


def test_the_assessment_sees_a_rank_outside_the_shortlist(phase):
    from kotacerdas.assessment.candidates import SCREENING, component_scores, screening_section

    run = make_run(phase, shortlist_size=10, confirm=True)
    below = outside_the_shortlist(run)
    html = screening_section(phase, below[1].region)["html"]
    assert f"data-rank>{below[1].rank} / {run.eligible_count}<" in html
    assert f"data-screening-score>{floatformat(below[1].score, 4)}<" in html
    scores = component_scores(phase, [r.region for r in below])[SCREENING]
    assert scores[below[-1].region_id] == pytest.approx(0.0)
    assert 0 < scores[below[1].region_id] < 100
    assert ScreeningRun.objects.get(pk=run.pk).outputs


def test_the_ranking_is_paged_and_searchable(admin_client, phase):
    run = make_run(phase, shortlist_size=10)
    url = f"/phases/2027/screening/{run.pk}/"
    everything = run_results(run, ranked=True, with_regions=True)
    assert len(everything) > 2 * 100  # the demo ranks several hundred kabupaten/kota
    first, second = admin_client.get(url), admin_client.get(url + "?page=2")
    assert [r.region_id for r in first.context["ranked"]] == [r.region_id for r in everything[:100]]
    assert [r.region_id for r in second.context["ranked"]] == [r.region_id for r in everything[100:200]]
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' in second.content.decode()
    last = admin_client.get(url + "?page=9999")  # out of range: the last page
    assert [r.region_id for r in last.context["ranked"]] == [r.region_id for r in everything[(len(everything) - 1) // 100 * 100:]]
    found = admin_client.get(url + "?q=banjar")
    names = sorted(r.region.name for r in found.context["ranked"])
    assert names and all("banjar" in name.lower() for name in names)
    assert names == sorted(r.region.name for r in everything if "banjar" in r.region.name.lower())
    nothing = admin_client.get(url + "?q=zzzz-no-such-region")
    assert nothing.status_code == 200 and list(nothing.context["ranked"]) == []
    export = admin_client.get(url + "?format=csv&q=banjar").content.decode("utf-8-sig")
    assert len(export.strip().splitlines()) > run.eligible_count  # the export holds the whole run
