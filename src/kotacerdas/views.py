"""Site-wide views: health check, metrics, background task progress, error pages and the change history."""

import ipaddress
import time
import uuid

from django.conf import settings
from django.core.files.storage import default_storage, storages
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus

from kotacerdas.accounts.permissions import MINISTRY, has_permission, permission, roles_of
from kotacerdas.history import history_kinds, recent_changes
from kotacerdas.lib.jobs import services as jobs
from kotacerdas.lib.jobs.models import TaskProgress

HEALTH_PROBE = "healthz/probe.txt"


def _check(function):
    try:
        return True, function()
    except Exception as exc:  # any failure of a component means "not healthy", with the reason
        return False, f"{type(exc).__name__}: {exc}"


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _storage():
    # Write, read back and delete a small file: a read-only or unreachable bucket is unhealthy.
    name = default_storage.save(f"healthz/probe-{uuid.uuid4().hex}.txt", _probe_file())
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != b"ok":
                raise OSError("the storage returned other bytes than were written")
    finally:
        default_storage.delete(name)
    return type(storages["default"]).__name__


def _probe_file():
    from django.core.files.base import ContentFile

    return ContentFile(b"ok")


@permission("view_public")
def healthz(request):
    """200 when the database and the storage answer, 503 otherwise (for load balancers); also
    how long the oldest queued task has waited (a queue that only grows means no worker runs)."""
    started = time.perf_counter()
    database_ok, database = _check(_database)
    storage_ok, storage = _check(_storage)
    body = {"status": "ok" if database_ok and storage_ok else "error", "database": database, "storage": storage}
    if database_ok:
        queued_ok, age = _check(jobs.oldest_queued_age)
        body["oldest_queued_task_seconds"] = round(age, 1) if queued_ok and age is not None else None
        body["tasks_queued"] = jobs.queued_count() if queued_ok else None
    body["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


def _from_metrics_network(request):
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network, strict=False) for network in settings.KOTACERDAS_METRICS_NETWORKS)


def metrics(request):
    """Prometheus metrics: the ministry, or a machine of a configured network, may read them."""
    if not (_from_metrics_network(request) or has_permission(request.user, "view_metrics")):
        return permission("view_metrics")(lambda request: None)(request)  # login page or 403, as everywhere
    from kotacerdas.lib import metrics as exposition

    body, content_type = exposition.render()
    return HttpResponse(body, content_type=content_type)


metrics.permission_action = "view_metrics"


def _task_or_404(request, task_id):
    progress = get_object_or_404(TaskProgress, task_id=task_id)
    if progress.requested_by_id != request.user.pk and MINISTRY not in roles_of(request.user):
        raise Http404(_("No such task."))
    return progress


@permission("view_own_tasks")
def task_progress(request, task_id):
    """How far a background task has come; the page asks again every two seconds until it ends."""
    progress = _task_or_404(request, task_id)
    result = jobs.task_status(task_id)
    status = result.status if result else TaskResultStatus.READY
    finished = status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
    context = {
        "progress": progress, "status": status, "finished": finished, "failed": status == TaskResultStatus.FAILED,
        "error": (result.traceback.strip().splitlines() or [""])[-1] if result and status == TaskResultStatus.FAILED else "",
        "status_label": TaskResultStatus(status).label,
    }
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({
            "status": status, "done": progress.done, "total": progress.total, "message": progress.message,
            "result_url": progress.result_url if status == TaskResultStatus.SUCCESSFUL else "",
            "has_file": bool(progress.result_file) and status == TaskResultStatus.SUCCESSFUL,
            "error": context["error"],
        })
    template = "tasks/progress.html#progress" if request.htmx else "tasks/progress.html"
    return render(request, template, context)


@permission("view_own_tasks")
def task_file(request, task_id):
    """The file a finished task wrote, read through the storage (local folder or S3)."""
    progress = _task_or_404(request, task_id)
    if not progress.result_file or not default_storage.exists(progress.result_file):
        raise Http404(_("This task has no file (yet)."))
    name = progress.result_file.rsplit("/", 1)[-1]
    return FileResponse(default_storage.open(progress.result_file, "rb"), as_attachment=True, filename=name)


def _wants_json(request):
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def not_found(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": _("Not found")}, status=404)
    return render(request, "404.html", status=404)


def forbidden(request, exception=None):
    """The page a signed-in user without the role gets (Django's own is a bare English line)."""
    if _wants_json(request):
        return JsonResponse({"detail": _("Not allowed")}, status=403)
    return render(request, "403.html", status=403)


def server_error(request):
    if _wants_json(request):
        return JsonResponse({"detail": _("Internal server error")}, status=500)
    return render(request, "500.html", status=500)


@permission("view_change_history")
def change_history(request):
    """Every recorded change of every model with a history, newest first; ``kind`` filters one."""
    kind = request.GET.get("kind", "")
    changes = recent_changes(kind=kind or None)
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    kinds = history_kinds()
    return render(request, "history.html", {"page": page, "kind": kind, "kinds": kinds})
