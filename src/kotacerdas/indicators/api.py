"""``GET /api/v1/indicators`` (the catalogue) and ``GET /api/v1/indicator-values`` (paginated,
with ``count``; each value says whether it is ``synthetic``)."""

from typing import List, Optional

from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kotacerdas.accounts.permissions import ApiPermission
from kotacerdas.lib.api import BoundedPagination, table_refusal
from kotacerdas.lib.tabular import TableError

from .models import Indicator, IndicatorValue
from .services import import_values

indicators_router = Router(tags=["indicators"])
values_router = Router(tags=["indicators"])


class CategoryOut(Schema):
    label: str
    score: float


class IndicatorOut(Schema):
    code: str
    name_id: str
    name_en: str
    unit: str
    direction: str = Field(..., description="benefit: more is better; cost: less is better.")
    source_agency: str
    region_kinds: List[str]
    value_type: str = Field(..., description="numeric or categorical")
    min_value: Optional[float] = None
    max_value: Optional[float] = None
    categories: List[CategoryOut]


class ValueOut(Schema):
    region_code: str
    indicator: str
    year: int
    value: float = Field(..., description="The number, or the score of the category.")
    category: str
    synthetic: bool = Field(..., description="Invented for the demo, not a published figure.")
    batch_id: int

    @staticmethod
    def resolve_region_code(obj):
        return obj["region__code"]

    @staticmethod
    def resolve_indicator(obj):
        return obj["indicator__code"]


@indicators_router.get("", response=List[IndicatorOut], summary="The indicator catalogue")
def list_indicators(request):
    return Indicator.objects.all()


@values_router.get("", response=List[ValueOut], summary="Indicator values per region and year")
@paginate(BoundedPagination)
def list_values(request, indicator: Optional[str] = None, year: Optional[int] = None, region: Optional[str] = None):
    values = IndicatorValue.objects.order_by("indicator__code", "year", "region__code")
    if indicator:
        values = values.filter(indicator__code=indicator)
    if year is not None:
        values = values.filter(year=year)
    if region:
        values = values.filter(region__code=region)
    return values.values("region__code", "indicator__code", "year", "value", "category", "synthetic", "batch_id")


class ImportBatchOut(Schema):
    id: int
    file_name: str
    layout: str = Field(..., description="long (one value a row) or wide (one indicator a column).")
    value_count: int
    created_count: int
    replaced_count: int
    synthetic: bool


class ImportQueuedOut(Schema):
    task_id: str
    progress_url: str = Field(..., description="The task's progress page; its result links to the import.")


@indicators_router.post(
    "/imports", response={201: ImportBatchOut, 202: ImportQueuedOut}, auth=ApiPermission("manage_indicators"),
    summary="Import indicator values (multipart 'file': CSV or XLSX, long or wide, as on the import page); a bad cell is "
            "named by row and column and nothing is written; a large file goes to a task worker (202)",
)
def import_indicator_values(request, file: UploadedFile = File(...)):
    """The twin of the import page: :func:`indicators.services.import_values`, or the same task
    for a file larger than a request imports."""
    from django.conf import settings
    from django.core.files.storage import default_storage
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from kotacerdas.lib.jobs.services import enqueue

    from .tasks import import_stored_file
    from .views import INLINE_IMPORT_BYTES

    if file.size > getattr(settings, "KOTACERDAS_INLINE_IMPORT_BYTES", INLINE_IMPORT_BYTES):
        stored = default_storage.save(f"imports/indicators/{file.name}", file)
        progress = enqueue(import_stored_file, stored, request.auth.pk, file.name, user=request.auth,
                           label=_("Import of %(name)s") % {"name": file.name})
        return Status(202, {"task_id": str(progress.task_id),
                            "progress_url": reverse("task-progress", kwargs={"task_id": progress.task_id})})
    try:
        batch = import_values(file, user=request.auth, name=file.name)
    except TableError as exc:
        raise table_refusal(exc) from None
    return Status(201, batch)
