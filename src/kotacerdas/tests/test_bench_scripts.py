"""The scale and cluster benchmarks' own code at a tiny size: the program end to end over a few
hundred synthetic desa (every step runs and its facts add up), and the cluster's summary split
at the kill and the restart. The figures themselves come from running the scripts (README)."""

import importlib
import io
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench"


@pytest.fixture
def bench_module():
    sys.path.insert(0, str(BENCH))
    try:
        yield importlib.import_module
    finally:
        sys.path.remove(str(BENCH))


@pytest.mark.django_db
def test_the_village_program_runs_end_to_end_at_a_tiny_size(reference_data, bench_module):
    scale = bench_module("scale")
    result = scale.run_program(300, indicator_count=3, samples=20, log=lambda message: None, analyze=False)
    assert result["units"] == 300
    assert set(result["times"]) == set(scale.STEPS) and all(t > 0 for t in result["times"].values())
    assert set(result["cpu"]) == set(scale.STEPS) and all(t >= 0 for t in result["cpu"].values())
    assert all(result["queries"][step] > 0 for step in scale.STEPS)  # every step reads or writes the database
    facts = result["facts"]
    assert facts["values"] == 900 and facts["eligible"] == 300 and facts["ranked"] == 300
    assert facts["open_data_bytes"] > 300 * len("63.03.01.2001")  # every desa is a row of regions.csv


STEPS = ("import", "screening run", "screening page", "evaluation round", "dashboard", "open data")


def _measured(units, seconds, cpu, queries=10):
    """A result as bench/scale.py's worker reports it, every step with the same figures."""
    return {"units": units, "times": dict.fromkeys(STEPS, seconds), "cpu": dict.fromkeys(STEPS, cpu),
            "queries": dict.fromkeys(STEPS, queries),
            "facts": {"peak_python_kb": 1024, "peak_database_kb": None}, "load": "0.1 0.1 0.1"}


def test_the_scale_verdict_reads_the_exponent_of_the_cpu_seconds(bench_module):
    scale = bench_module("scale")
    assert scale.STEPS == STEPS
    out = io.StringIO()
    assert scale.print_results([_measured(300, 1.0, 0.5), _measured(600, 2.0, 1.0, 10)], out=out) == []
    assert "1.00" in out.getvalue() and "0.00" in out.getvalue()  # twice the seconds: 1; same statements: 0
    assert scale.print_results([_measured(300, 1.0, 0.5), _measured(600, 5.0, 2.0)], out=io.StringIO()) == list(scale.STEPS)
    # a loaded machine: the wall time quadruples, the CPU time only doubles with the units
    out = io.StringIO()
    assert scale.print_results([_measured(300, 1.0, 0.5), _measured(600, 4.0, 1.0)], out=out) == []
    assert "MISS" in out.getvalue()  # the wall table still shows its miss
    # without CPU figures (an older result) the wall time decides
    walls = [dict(_measured(300, 1.0, 0.5)), dict(_measured(600, 4.0, 1.0))]
    for item in walls:
        del item["cpu"]
    assert scale.print_results(walls, out=io.StringIO()) == list(scale.STEPS)
    # steps faster than NOISE_SECONDS at every size are not judged
    assert scale.print_results([_measured(300, 0.001, 0.001), _measured(600, 0.01, 0.01)], out=io.StringIO()) == []


def test_the_cluster_summary_splits_the_run_at_the_kill_and_the_restart(bench_module):
    cluster = bench_module("cluster")
    load = {"save": [[1.0, 0.1], [2.0, 0.2], [3.0, 0.3], [3.5, 0.5]], "read": [[1.5, 0.05], [2.5, 0.06]],
            "errors": [[2.1, "save: ConnectionResetError"]], "retried_connects": 4, "conflicts": 1}
    events = {"kill": 2.0, "restart": 3.0, "worker_running": True, "ready_after": 4.25}
    verify = {"checked": 4, "lost": 0, "examples": []}
    tasks = {"queued": 3, "counts": {"SUCCESSFUL": 3}, "retried": 1}
    summary = cluster.summarise(load, events, verify, tasks, 4.0)
    assert summary["requests"] == 7 and summary["errors"] == 1 and summary["tasks_finished"] == 3
    assert [(p["saves"], p["reads"], p["errors"]) for p in summary["parts"]] == [(1, 1, 0), (1, 1, 1), (2, 0, 0)]
    assert summary["parts"][2]["save_ms"] == [pytest.approx(300.0), pytest.approx(500.0)]
    summary["connections"] = 10
    out = io.StringIO()
    assert cluster.print_summary(summary, out=out) is True
    assert "MISS" not in out.getvalue()
    assert "answered its first request 4.2 s after it was started" in out.getvalue()
    lost = dict(summary, lost=1, tasks_finished=2)
    out = io.StringIO()
    assert cluster.print_summary(lost, out=out) is False
    assert out.getvalue().count("MISS") == 2
