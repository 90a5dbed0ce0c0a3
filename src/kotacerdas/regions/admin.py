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
