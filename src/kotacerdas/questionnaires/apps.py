from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionnairesConfig(AppConfig):
    name = "kotacerdas.questionnaires"
    label = "questionnaires"
    verbose_name = _("Questionnaires")

    def ready(self):
        from . import scoping  # noqa: F401  (registers the scopers)
