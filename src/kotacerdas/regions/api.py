"""A region's agencies (OPD) through the API, as on the agencies pages: listed for everyone
(names are public, as in the decrees), kept by the region's operator and the ministry
(``manage_agencies``), imported for many regions by the ministry (``import_agencies``)."""

from typing import List, Optional

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile

from kotacerdas.accounts.permissions import ApiPermission, scope
from kotacerdas.lib.tabular import TableError

from . import agencies
from .models import Agency, Region

router = Router(tags=["regions"])


class AgencyOut(Schema):
    id: int
    name: str
    short_name: str
    kind: Optional[str] = Field(None, description="A code of the shipped agency kinds (data/agency_kinds.csv).")


class AgencyIn(Schema):
    name: str
    short_name: str = ""
    kind: Optional[str] = None


def _out(agency):
    return {"id": agency.pk, "name": agency.name, "short_name": agency.short_name, "kind": agency.kind.code if agency.kind else None}


def _kept(user, code):
    return get_object_or_404(scope(Region.objects.all(), user, "manage_agencies"), code=code)


@router.get("/{code}/agencies", response=List[AgencyOut], summary="A kabupaten/kota's agencies (OPD)")
def list_agencies(request, code: str):
    region = get_object_or_404(Region, code=code)
    return [_out(a) for a in region.agencies.select_related("kind")]


@router.post("/{code}/agencies", response=AgencyOut, auth=ApiPermission("manage_agencies"),
             summary="Add an agency to the region (its operator or the ministry)")
def post_agency(request, code: str, payload: AgencyIn):
    return _out(agencies.save_agency(_kept(request.auth, code), user=request.auth, **payload.dict()))


@router.put("/{code}/agencies/{agency_id}", response=AgencyOut, auth=ApiPermission("manage_agencies"),
            summary="Rename an agency of the region or change its kind")
def put_agency(request, code: str, agency_id: int, payload: AgencyIn):
    region = _kept(request.auth, code)
    agency = get_object_or_404(Agency, region=region, pk=agency_id)
    return _out(agencies.save_agency(region, agency=agency, user=request.auth, **payload.dict()))


@router.delete("/{code}/agencies/{agency_id}", response=List[AgencyOut], auth=ApiPermission("manage_agencies"),
               summary="Remove an agency (refused while an operator's account names it)")
def delete_agency(request, code: str, agency_id: int):
    region = _kept(request.auth, code)
    agencies.delete_agency(get_object_or_404(Agency, region=region, pk=agency_id), user=request.auth)
    return [_out(a) for a in region.agencies.select_related("kind")]


@router.post("/{code}/default-agencies", response=List[AgencyOut], auth=ApiPermission("manage_agencies"),
             summary="Add one agency of each shipped kind the region does not have yet")
def post_default_agencies(request, code: str):
    region = _kept(request.auth, code)
    agencies.adopt_default_agencies(region, user=request.auth)
    return [_out(a) for a in region.agencies.select_related("kind")]


class AgencyImportOut(Schema):
    created: int
    updated: int


@router.post("/agencies/import", response=AgencyImportOut, auth=ApiPermission("import_agencies"),
             summary="Import agency lists of many regions (XLSX or CSV, multipart field 'file': region_code, name"
                     "[, short_name, kind]); a bad row is named and nothing is written")
def post_agency_import(request, file: UploadedFile = File(...)):
    try:
        created, updated = agencies.import_agencies(file, name=file.name, user=request.auth)
    except TableError as exc:
        raise ValidationError([str(error) for error in exc.errors] or [str(exc)]) from None
    return {"created": created, "updated": updated}
