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
