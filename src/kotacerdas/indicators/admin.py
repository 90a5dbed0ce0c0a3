from django.contrib import admin

from .models import ImportBatch, Indicator, IndicatorValue


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name_id", "name_en", "value_type", "direction", "source_agency")
    search_fields = ("code", "name_id", "name_en")


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("created_at", "file_name", "created_by", "value_count", "replaced_count", "synthetic")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ("region", "indicator", "year", "value", "category", "synthetic")
    list_filter = ("indicator", "year", "synthetic")
    raw_id_fields = ("region", "batch")
