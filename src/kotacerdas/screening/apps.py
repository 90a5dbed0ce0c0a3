from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "kotacerdas.screening"
    verbose_name = _("Screening")

    def ready(self):
        from kotacerdas.regions import protection

        from . import scoping  # noqa: F401  (registers the ScreeningRun scoper)

        protection.register(_ranked_in_a_run)


def _ranked_in_a_run(regions):
    """A run keeps the ids of the regions it ranked in its inputs (no row per region): a region
    one ranked stays, so that the run can be shown and recomputed. {region id: reason}, each
    run's ids read once."""
    from .models import ScreeningRun

    left, found = {region.pk for region in regions}, {}
    for run in ScreeningRun.objects.only("pk", "inputs").order_by("pk").iterator(chunk_size=20):
        if not left:
            break
        for pk in left & set(run.input_region_ids().tolist()):
            found[pk] = _("ranked in screening run #%(run)s") % {"run": run.pk}
        left -= found.keys()
    return found
