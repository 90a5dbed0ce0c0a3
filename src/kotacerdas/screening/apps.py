from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "kotacerdas.screening"
    verbose_name = _("Screening")

    def ready(self):
        from simple_history import register

        from . import scoping  # noqa: F401  (registers the ScreeningRun scoper)
        from .models import AdministrativeCheck, EligibilityRule

        # The eligibility rules and each region's administrative checks decide who may be
        # ranked: every change is kept (who, when, before, after) like the other objects
        # decisions depend on. Registered here rather than with ``history = HistoricalRecords()``
        # in models.py; the historical tables and migration are the same either way.
        register(EligibilityRule)
        register(AdministrativeCheck)

        from .assessment_hooks import register as register_assessment_parts

        register_assessment_parts()  # the screening section and score component of the assessment (assessment.hooks)
