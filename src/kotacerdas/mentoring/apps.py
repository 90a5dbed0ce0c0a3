from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "kotacerdas.mentoring"
    label = "mentoring"
    verbose_name = _("Mentoring and regional institutions")

    def ready(self):
        from . import scoping  # noqa: F401  (registers the scopers)
