"""The registry's admin, with the deletion rules that need the later stages (site/regions.py)."""

from django.contrib import admin, messages
from django.db.models import ProtectedError

from kotacerdas.regions.admin import RegionAdmin
from kotacerdas.regions.models import Region

from .regions import delete_regions, deletion_refusals


class RegionAdminAcrossStages(RegionAdmin):
    def has_delete_permission(self, request, obj=None):
        # A region that a stage still needs is not offered for deletion.
        return super().has_delete_permission(request, obj) and not (
            obj is not None and deletion_refusals([obj]))

    def delete_model(self, request, obj):
        delete_regions([obj])

    def delete_queryset(self, request, queryset):
        # "Delete selected": refused as a whole, with the reason, when one of them is needed.
        try:
            delete_regions(queryset)
        except ProtectedError as refused:
            self.message_user(request, refused.args[0], messages.ERROR)


admin.site.unregister(Region)
admin.site.register(Region, RegionAdminAcrossStages)
