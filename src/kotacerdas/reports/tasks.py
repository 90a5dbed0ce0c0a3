"""Background tasks of the reports (run by ``kotacerdas db_worker``; the daily ones are enqueued
by ``kotacerdas daily``, which deploy/kotacerdas-daily.timer runs)."""

import csv
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks import task

from kotacerdas.lib.jobs.services import report_progress
from kotacerdas.program.models import Participation, Phase
from kotacerdas.regions.models import Region

OPEN_DATA_FOLDER = "opendata"


def _csv(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def open_data_tables():
    """The open data of today's platform: the regions, the real phases and each region's
    participation in them. Demo phases are invented, so they are left out (DESIGN: demo content
    is never mixed with real facts). Later stages add their tables here."""
    regions = Region.objects.select_related("parent", "province").order_by("code")
    yield "regions.csv", _csv(
        ["code", "name", "kind", "parent_code", "province_code", "island_group", "time_zone", "population", "area_km2", "figures_as_of"],
        ((r.code, r.name, r.kind, r.parent.code if r.parent else "", r.province.code if r.province else "", r.island_group,
          r.time_zone, r.population if r.population is not None else "", r.area_km2 if r.area_km2 is not None else "",
          r.figures_as_of.isoformat() if r.figures_as_of else "") for r in regions.iterator()),
    )
    phases = Phase.objects.filter(is_demo=False).order_by("year")
    yield "phases.csv", _csv(
        ["year", "name", "quota", "invited_target", "assessed_target", "selection_complete", "source"],
        ((p.year, p.name, p.quota, p.invited_target or "", p.assessed_target or "", p.selection_complete, p.source) for p in phases),
    )
    participations = Participation.objects.filter(phase__is_demo=False).select_related("phase", "region").order_by("phase__year", "region__code")
    yield "participations.csv", _csv(
        ["phase_year", "region_code", "region_name", "status", "source"],
        ((p.phase.year, p.region.code, p.region.name, p.status, p.source) for p in participations.iterator()),
    )


@task(takes_context=True)
def snapshot_open_data(context, day=None):
    """Write today's open data tables to the storage under ``opendata/YYYY-MM-DD/`` (a second
    run on the same day replaces that day's files). Returns the stored names."""
    day = day or timezone.localdate().isoformat()
    tables = list(open_data_tables())
    stored = []
    for number, (name, content) in enumerate(tables, start=1):
        path = f"{OPEN_DATA_FOLDER}/{day}/{name}"
        if default_storage.exists(path):
            default_storage.delete(path)
        stored.append(default_storage.save(path, ContentFile(content)))
        report_progress(context.task_result.id, number, len(tables), path)
    return stored
