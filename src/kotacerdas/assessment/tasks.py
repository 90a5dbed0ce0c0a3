"""Background tasks of the assessment: the decision letter as PDF, rendered once when the
decision is published and then served from the storage."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation
from django_tasks import task

from kotacerdas.lib.jobs.services import report_progress

from . import selection as selecting
from .models import Selection


def decision_pdf_name(selection, language):
    return f"decisions/{selection.panel.phase.year}/decision-{selection.pk}.{language}.pdf"


def store_decision_pdf(selection, language):
    """Render the decision in ``language`` and store it (replacing an earlier rendering)."""
    name = decision_pdf_name(selection, language)
    with translation.override(language):
        pdf = selecting.decision_pdf(selection)
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(pdf))


@task(takes_context=True)
def render_decision_pdf(context, selection_id, language):
    selection = Selection.objects.select_related("panel__phase").get(pk=selection_id)
    report_progress(context.task_result.id, 0, 1, str(selection))
    name = store_decision_pdf(selection, language)
    report_progress(context.task_result.id, 1, 1, str(selection), result_file=name)
    return name
