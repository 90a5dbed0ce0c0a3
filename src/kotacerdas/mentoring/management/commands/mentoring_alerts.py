"""``kotacerdas mentoring_alerts``: notify the mentors and the ministry of every region whose
Bimtek outputs are overdue (once per region and Bimtek). Run daily: deploy/kotacerdas-mentoring-alerts.timer."""

from django.core.management.base import BaseCommand

from kotacerdas.mentoring.models import Cohort
from kotacerdas.mentoring.services import notify_behind_schedule


class Command(BaseCommand):
    help = "Notify mentors and the ministry of regions behind schedule in every cohort."

    def handle(self, *args, **options):
        for cohort in Cohort.objects.select_related("phase"):
            notified = notify_behind_schedule(cohort)
            self.stdout.write(f"{cohort.phase.year}: {len(notified)} new behind-schedule alerts")
