"""The daily open data snapshot: today's regions, the real phases and each region's participation
as CSV files in the storage; demo phases are left out; a second run replaces the day's files."""

import csv
import io

from django.core.files.storage import default_storage
from django.core.management import call_command

from kotacerdas.lib.jobs.models import TaskProgress
from kotacerdas.lib.jobs.tests.helpers import run_queued_tasks
from kotacerdas.program.models import Phase


def _rows(name):
    with default_storage.open(name) as handle:
        return list(csv.DictReader(io.StringIO(handle.read().decode())))


def test_the_daily_command_enqueues_the_snapshot_and_a_worker_writes_it(reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    Phase.objects.create(year=2099, name="Invented phase", quota=3, is_demo=True)
    call_command("daily", stdout=io.StringIO())
    [task_id] = run_queued_tasks()
    progress = TaskProgress.objects.get(task_id=task_id)
    assert (progress.done, progress.total) == (3, 3)
    day = progress.message.split("/")[1]
    regions = _rows(f"opendata/{day}/regions.csv")
    assert len(regions) == 552 and {r["kind"] for r in regions} == {"provinsi", "kabupaten", "kota"}
    phases = _rows(f"opendata/{day}/phases.csv")
    assert [p["year"] for p in phases] == ["2017", "2018", "2019"]
    participations = _rows(f"opendata/{day}/participations.csv")
    assert participations and {p["phase_year"] for p in participations} <= {"2017", "2018", "2019"}

    call_command("daily", stdout=io.StringIO())
    run_queued_tasks()
    assert sorted(default_storage.listdir(f"opendata/{day}")[1]) == ["participations.csv", "phases.csv", "regions.csv"]
