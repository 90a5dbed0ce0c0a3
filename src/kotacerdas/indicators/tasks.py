"""Background tasks of the indicators: a large import runs on a worker, not in the request."""

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.urls import reverse
from django_tasks import task

from kotacerdas.lib.jobs.services import report_progress
from kotacerdas.lib.tabular import TableError

from .services import import_values


@task(takes_context=True)
def import_stored_file(context, stored_name, user_id=None, name=None):
    """Import the file stored under ``stored_name`` (see :func:`import_values`); every error names
    its row and column in the progress message, and nothing is written when any row is wrong."""
    task_id = context.task_result.id
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    report_progress(task_id, 0, 1, name or stored_name)
    with default_storage.open(stored_name, "rb") as handle:
        try:
            batch = import_values(handle, user=user, name=name or stored_name)
        except TableError as exc:
            report_progress(task_id, 0, 1, "\n".join(str(error) for error in exc.errors))
            raise
    report_progress(task_id, 1, 1, batch.file_name if hasattr(batch, "file_name") else str(batch),
                    result_url=reverse("indicators:import-detail", kwargs={"pk": batch.pk}))
    return batch.pk
