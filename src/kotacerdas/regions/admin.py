"""The registry in Django's admin; every change is kept with who, when and what (history)."""

from django.contrib import admin, messages
from django.db.models import ProtectedError
from simple_history.admin import SimpleHistoryAdmin

from .models import Region


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "province", "island_group", "time_zone", "population")
    list_filter = ("kind", "island_group", ("province", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "code")
    ordering = ("code",)
    list_select_related = ("province",)
    autocomplete_fields = ("parent", "province")
    list_per_page = 100

    def has_delete_permission(self, request, obj=None):
        # A region that a stage still needs (regions/protection.py) is not offered for deletion.
        from .protection import reasons

        return super().has_delete_permission(request, obj) and not (obj is not None and reasons([obj]))

    def delete_queryset(self, request, queryset):
        # "Delete selected": refused as a whole, with the reason, when one of them is needed.
        try:
            super().delete_queryset(request, queryset)
        except ProtectedError as refused:
            self.message_user(request, refused.args[0], messages.ERROR)


from .models import Agency, AgencyKind  # noqa: E402


@admin.register(AgencyKind)
class AgencyKindAdmin(admin.ModelAdmin):
    list_display = ("code", "short_name", "name", "name_en")
    search_fields = ("code", "name")


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "short_name", "kind", "region")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "region__name", "region__code")
    list_select_related = ("region", "kind")
    autocomplete_fields = ("region",)
