"""Heartbeats of the task workers and the progress of each task (see the package docstring)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One running ``db_worker`` process; ``last_seen`` is renewed by a thread every few seconds."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    last_seen = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class TaskProgress(models.Model):
    """How far one task has come, and what it produced; every app server reads the same row."""

    task_id = models.UUIDField(_("task"), primary_key=True)
    label = models.CharField(_("label"), max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), related_name="task_progress",
        on_delete=models.SET_NULL, null=True, blank=True,
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    # A file the task wrote to the storage (a PDF letter, an export), offered for download.
    result_file = models.CharField(_("result file"), max_length=500, blank=True)
    # Where the result is shown once the task has succeeded (a run page, an import report).
    result_url = models.CharField(_("result page"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("task progress")
        verbose_name_plural = _("task progress")

    def __str__(self):
        return self.label or str(self.task_id)

    @property
    def percent(self):
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))

