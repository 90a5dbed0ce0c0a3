from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "kotacerdas.lib.jobs"
    label = "jobs"
    verbose_name = _("Background tasks")
    default_auto_field = "django.db.models.BigAutoField"
