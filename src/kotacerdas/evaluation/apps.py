from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "kotacerdas.evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        from . import scoping  # noqa: F401  (registers the scopers)
