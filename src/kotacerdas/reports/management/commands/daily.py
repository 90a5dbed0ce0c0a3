"""``kotacerdas daily``: enqueue the daily jobs (deploy/kotacerdas-daily.timer runs it once a day).

The jobs run on the task workers, so the timer's machine needs no more than the database. Today:
the open data snapshot and the removal of finished task results older than 30 days.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from kotacerdas.lib.jobs.services import enqueue
from kotacerdas.reports.tasks import snapshot_open_data


class Command(BaseCommand):
    help = "Enqueue the daily jobs (open data snapshot) and prune old task results."

    def handle(self, *args, **options):
        progress = enqueue(snapshot_open_data, label="Open data snapshot")
        call_command("prune_db_task_results", min_age_days=30, verbosity=0)
        self.stdout.write(f"enqueued the open data snapshot (task {progress.task_id})")
