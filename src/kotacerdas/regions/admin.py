"""The registry in Django's admin; every change is kept with who, when and what (history)."""

from django.contrib import admin
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
