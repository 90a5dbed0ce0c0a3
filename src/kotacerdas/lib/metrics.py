"""The Prometheus exposition of ``/metrics``.

Request latency is measured in each process (:mod:`kotacerdas.lib.observability`); with
gunicorn's several workers set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder so their figures
are summed. The figures every server shares (tasks queued, the oldest one's wait, workers alive,
failed logins) are read from the database when Prometheus asks, so any server answers the same.
"""

import os

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily


class DatabaseCollector:
    """Figures read from the shared database at each scrape."""

    def collect(self):
        from axes.models import AccessFailureLog
        from django.utils import timezone

        from kotacerdas.lib.jobs import services as jobs
        from kotacerdas.lib.jobs.models import WorkerHeartbeat

        yield GaugeMetricFamily("kotacerdas_tasks_queued", "Tasks waiting for a worker.", value=jobs.queued_count())
        age = jobs.oldest_queued_age()
        yield GaugeMetricFamily(
            "kotacerdas_oldest_queued_task_seconds", "How long the oldest queued task has waited (0 when none).",
            value=age or 0.0,
        )
        limit = timezone.now() - timezone.timedelta(seconds=jobs.worker_timeout())
        yield GaugeMetricFamily(
            "kotacerdas_workers_alive", "Task workers with a recent heartbeat.",
            value=WorkerHeartbeat.objects.filter(last_seen__gte=limit).count(),
        )
        yield CounterMetricFamily(
            "kotacerdas_failed_logins", "Failed logins recorded by django-axes on every server.",
            value=AccessFailureLog.objects.count(),
        )


def render():
    """The metrics as Prometheus text, and its content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        for collector in list(REGISTRY._collector_to_names):
            registry.register(collector)
    registry.register(DatabaseCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST
