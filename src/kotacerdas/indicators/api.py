"""``GET /api/v1/indicators`` (the catalogue) and ``GET /api/v1/indicator-values`` (paginated,
with ``count``; each value says whether it is ``synthetic``)."""

from typing import List, Optional

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from kotacerdas.lib.api import BoundedPagination

from .models import Indicator, IndicatorValue

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
