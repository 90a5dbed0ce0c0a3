"""The daily open data snapshot: every file of /data/ (the data package and each table as CSV,
XLSX and JSON, made by reports.opendata) in the storage under the day's folder; demo phases are
left out; a second run replaces the day's files."""

import csv
import io
import json

from django.core.files.storage import default_storage
from django.core.management import call_command

from kotacerdas.lib.jobs.models import TaskProgress
from kotacerdas.lib.jobs.tests.helpers import run_queued_tasks
from kotacerdas.program.models import Phase
from kotacerdas.reports import opendata


def _read(name):
    with default_storage.open(name) as handle:
        return handle.read()


def _rows(name):
    return list(csv.DictReader(io.StringIO(_read(name).decode())))


def test_the_daily_command_enqueues_the_snapshot_and_a_worker_writes_it(reference_data, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    Phase.objects.create(year=2099, name="Invented phase", quota=3, is_demo=True)
    call_command("daily", stdout=io.StringIO())
    [task_id] = run_queued_tasks()
    progress = TaskProgress.objects.get(task_id=task_id)
    expected = ["datapackage.json"] + [f"{r.name}.{f}" for r in opendata.RESOURCES for f in opendata.FORMATS]
    assert (progress.done, progress.total) == (len(expected), len(expected)) == (25, 25)
    day = progress.message.split("/")[1]
    regions = _rows(f"opendata/{day}/regions.csv")
    assert len(regions) == 514 and {r["kind"] for r in regions} == {"kabupaten", "kota"}
    phases = _rows(f"opendata/{day}/phases.csv")
    assert [p["year"] for p in phases] == ["2017", "2018", "2019"]
    # The snapshot is what /data/ serves, byte for byte.
    for name in ("selections.csv", "evaluation-results.json", "programs.csv", "institutions.csv"):
        assert _read(f"opendata/{day}/{name}") == client.get(f"/data/{name}").content
    descriptor = json.loads(_read(f"opendata/{day}/datapackage.json"))
    assert [r["name"] for r in descriptor["resources"]] == [r.name for r in opendata.RESOURCES]

    call_command("daily", stdout=io.StringIO())
    run_queued_tasks()
    assert sorted(default_storage.listdir(f"opendata/{day}")[1]) == sorted(expected)
