from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The top of the program's layers: what combines the stages (the demo, the loading of the
    reference data and, later, each role's start page). It may import every stage; none imports it."""

    name = "kotacerdas.site"
    label = "site"
    verbose_name = _("Site")
