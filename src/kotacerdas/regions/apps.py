from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "kotacerdas.regions"
    verbose_name = _("Regions")

    def ready(self):
        from django.db.models.signals import pre_delete

        from .models import Region
        from .protection import refuse_deletion

        pre_delete.connect(refuse_deletion, sender=Region, dispatch_uid="region-protection")
