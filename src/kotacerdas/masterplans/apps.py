from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MasterplansConfig(AppConfig):
    name = "kotacerdas.masterplans"
    label = "masterplans"
    verbose_name = _("Master plans")

    def ready(self):
        from . import scoping  # noqa: F401  (registers the scopers)
