"""Site-wide views: health check, error pages and the change history."""

from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kotacerdas.accounts.permissions import permission
from kotacerdas.history import recent_changes, tracked_models


@permission("view_public")
def healthz(request):
    """Answers 200 when the database answers a query, 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": str(exc)}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def _wants_json(request):
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def not_found(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": _("Not found")}, status=404)
    return render(request, "404.html", status=404)


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
    kinds = [(key, label) for key, (label, _model) in tracked_models().items()]
    return render(request, "history.html", {"page": page, "kind": kind, "kinds": kinds})
