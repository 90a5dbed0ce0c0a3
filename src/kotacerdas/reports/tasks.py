"""Background tasks of the reports (run by ``kotacerdas db_worker``; the daily ones are enqueued
by ``kotacerdas daily``, which deploy/kotacerdas-daily.timer runs)."""

import json

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks import task

from kotacerdas.lib.jobs.services import report_progress

from . import opendata

OPEN_DATA_FOLDER = "opendata"


def open_data_tables():
    """Every file of ``/data/`` as ``(name, bytes)``: the data package and each resource in each
    format, made by :mod:`reports.opendata` so the snapshot is exactly what the site serves
    (real data only, the same columns and licences)."""
    descriptor = opendata.package_descriptor()
    yield "datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2).encode("utf-8")
    for resource in opendata.RESOURCES:
        for file_format in opendata.FORMATS:
            body, _content_type = opendata.render(resource, file_format)
            yield f"{resource.name}.{file_format}", body


@task(takes_context=True)
def snapshot_open_data(context, day=None):
    """Write today's open data tables to the storage under ``opendata/YYYY-MM-DD/`` (a second
    run on the same day replaces that day's files). Returns the stored names."""
    day = day or timezone.localdate().isoformat()
    total = 1 + len(opendata.RESOURCES) * len(opendata.FORMATS)
    stored = []
    for number, (name, content) in enumerate(open_data_tables(), start=1):
        path = f"{OPEN_DATA_FOLDER}/{day}/{name}"
        if default_storage.exists(path):
            default_storage.delete(path)
        stored.append(default_storage.save(path, ContentFile(content)))
        report_progress(context.task_result.id, number, total, path)
    return stored


DOSSIER_FOLDER = "dossiers"


@task(takes_context=True)
def phase_dossiers(context, year, full):
    """The dossier of every region of phase ``year`` as PDFs in one ZIP in the storage, with the
    progress recorded region by region (django-tasks-db records none of its own)."""
    from kotacerdas.program.models import Phase

    from . import dossier

    phase = Phase.objects.get(year=year)
    task_id = context.task_result.id

    def progress(done, total, message):
        report_progress(task_id, done, total, message)

    body, count = dossier.archive_of_phase(phase, full=full, progress=progress)
    name = f"{DOSSIER_FOLDER}/{year}/dossiers-{year}-{'full' if full else 'public'}-{timezone.now():%Y%m%d%H%M%S}.zip"
    stored = default_storage.save(name, ContentFile(body))
    report_progress(task_id, count, count, _archive_message(count), result_file=stored)
    return stored


def _archive_message(count):
    from django.utils.translation import ngettext

    return ngettext("%(count)s dossier in the archive", "%(count)s dossiers in the archive", count) % {"count": count}
