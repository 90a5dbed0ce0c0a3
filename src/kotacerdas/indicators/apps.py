from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "kotacerdas.indicators"
    verbose_name = _("Indicators")

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_save

        from kotacerdas.regions.models import Region

        from .models import IndicatorValue

        pre_save.connect(_moved, sender=IndicatorValue, dispatch_uid="indicator-value-moved")
        post_save.connect(_changed, sender=IndicatorValue, dispatch_uid="indicator-value-saved")
        post_delete.connect(_changed, sender=IndicatorValue, dispatch_uid="indicator-value-deleted")
        pre_save.connect(_region_kind_changed, sender=Region, dispatch_uid="region-kind-changed")


# The packed columns of indicator values (indicators/columns.py) are marked stale by every write
# of a value that does not go through write_values.

def _moved(sender, instance, **kwargs):
    """A saved value whose region, indicator or year changes leaves its old column too."""
    if instance.pk is None:
        return
    from .columns import mark_stale

    mark_stale(sender.objects.filter(pk=instance.pk)._columns())


def _changed(sender, instance, **kwargs):
    from .columns import keys_of, mark_stale

    mark_stale(keys_of([(instance.region_id, instance.indicator_id, instance.year)]))


def _region_kind_changed(sender, instance, **kwargs):
    """A region that becomes another kind moves its values to the columns of that kind."""
    if instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).values_list("kind", flat=True).first()
    if old is None or old == instance.kind:
        return
    from .columns import mark_stale
    from .models import IndicatorValue

    before = IndicatorValue.objects.filter(region_id=instance.pk)._columns()  # the old kind's
    mark_stale(before | {(i, y, instance.kind) for i, y, _old in before})
