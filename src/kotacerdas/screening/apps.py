from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "kotacerdas.screening"
    verbose_name = _("Screening")

    def ready(self):
        from . import scoping  # noqa: F401  (registers the ScreeningRun scoper)
