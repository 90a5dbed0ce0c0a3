from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionnairesConfig(AppConfig):
    name = "kotacerdas.questionnaires"
    label = "questionnaires"
    verbose_name = _("Questionnaires")

    def ready(self):
        from . import scoping  # noqa: F401
        from .assessment_hooks import register

        register()  # the questionnaire section and score component of the assessment (assessment.hooks)
