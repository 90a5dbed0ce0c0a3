"""Background tasks of the screening: a run over tens of thousands of units (villages) runs on a
worker; the page follows it on the task's progress page."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django_tasks import task

from kotacerdas.lib.jobs.services import report_progress
from kotacerdas.program.models import Phase

from .services import runs as ranking


@task(takes_context=True)
def screen_regions(context, phase_id, options, user_id=None):
    """:func:`ranking.run_screening` with ``options`` (its keyword arguments); returns the run's id."""
    task_id = context.task_result.id
    phase = Phase.objects.get(pk=phase_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    report_progress(task_id, 0, 1, phase.name)
    try:
        run = ranking.run_screening(phase, **options, user=user)
    except ranking.ScreeningError as exc:
        report_progress(task_id, 0, 1, "\n".join(getattr(exc, "messages", None) or [str(exc)]))
        raise
    report_progress(task_id, 1, 1, str(run), result_url=reverse("screening:run", kwargs={"year": phase.year, "run_id": run.pk}))
    return run.pk
