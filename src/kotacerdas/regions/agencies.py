"""Each region's agencies (OPD), kept by its operator or imported by the ministry for many
regions (the shipped kinds are loaded by ``reference.py``).

Every function that writes several rows runs in one transaction: it all lands or none does.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kotacerdas.lib.tabular import CellError, TableError, read_table

from .models import KABKOTA_KINDS, Agency, AgencyKind, Region


class AgencyRefused(ValidationError):
    """A change to an agency list the rules do not allow (the message says why)."""


def _kind(code):
    if not code:
        return None
    kind = AgencyKind.objects.filter(code=code).first()
    if kind is None:
        raise AgencyRefused(_("“%(kind)s” is not a kind of agency.") % {"kind": code})
    return kind


@transaction.atomic
def save_agency(region, *, name, short_name="", kind=None, agency=None, user=None):
    """Add an agency to ``region`` (or change ``agency``, which must belong to it)."""
    name = (name or "").strip()
    if not region.is_kabkota:
        raise AgencyRefused(_("Only a kabupaten or kota has agencies."))
    if not name:
        raise AgencyRefused(_("Give the agency's name."))
    if agency is not None and agency.region_id != region.pk:
        raise AgencyRefused(_("This agency belongs to another region."))
    clash = Agency.objects.filter(region=region, name__iexact=name)
    if agency is not None:
        clash = clash.exclude(pk=agency.pk)
    if clash.exists():
        raise AgencyRefused(_("%(region)s already has an agency named “%(name)s”.") % {"region": region, "name": name})
    agency = agency or Agency(region=region)
    agency.name, agency.short_name = name, (short_name or "").strip()
    agency.kind = kind if isinstance(kind, AgencyKind) or kind is None else _kind(kind)
    agency._history_user = user
    agency.save()
    return agency


@transaction.atomic
def delete_agency(agency, *, user=None):
    """Remove an agency; refused while an operator's grant names it."""
    if agency.role_grants.exists():
        raise AgencyRefused(_("An operator's account names this agency: change that account first."))
    agency._history_user = user
    agency.delete()


def adopt_default_agencies(region, *, user=None):
    """Give ``region`` one agency of each shipped kind it does not have yet (a starting list its
    operator then adapts)."""
    have = set(Agency.objects.filter(region=region).values_list("kind_id", flat=True))
    created = 0
    with transaction.atomic():
        for kind in AgencyKind.objects.exclude(pk__in=have):
            name = f"{kind.name} {region.name}" if kind.code != "kecamatan" else None
            if name is None or Agency.objects.filter(region=region, name__iexact=name).exists():
                continue
            save_agency(region, name=name, short_name=kind.short_name, kind=kind, user=user)
            created += 1
    return created


AGENCY_COLUMNS = ("region_code", "name")
# Optional columns: short_name, kind (a code of data/agency_kinds.csv).


def import_agencies(path_or_file, *, name=None, user=None):
    """Agencies of many regions from a table (``region_code, name[, short_name, kind]``).

    The whole file is checked first; one bad row (which row and column is named) and nothing is
    written. An agency already in the registry with the same name is updated, not repeated.
    Returns (created, updated).
    """
    table = read_table(path_or_file, required_columns=AGENCY_COLUMNS, name=name)
    codes = {row["region_code"] for _line, row in table.rows}
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    kinds = {k.code: k for k in AgencyKind.objects.all()}
    errors, parsed, seen = [], [], {}
    for line, row in table.rows:
        region = regions.get(row["region_code"])
        if region is None:
            errors.append(CellError(line, "region_code", _("region %s is not in the registry") % (row["region_code"] or "–")))
        elif region.kind not in KABKOTA_KINDS:
            errors.append(CellError(line, "region_code", _("%s is not a kabupaten or kota") % region.code))
            region = None
        if not row["name"]:
            errors.append(CellError(line, "name", _("the name is empty")))
        kind_code = row.get("kind", "")
        if kind_code and kind_code not in kinds:
            errors.append(CellError(line, "kind", _("“%s” is not a kind of agency") % kind_code))
        key = (row["region_code"], row["name"].lower())
        if row["name"] and key in seen:
            errors.append(CellError(line, "name", _("this agency repeats row %s") % seen[key]))
        seen.setdefault(key, line)
        if region is not None and row["name"]:
            parsed.append((region, row["name"], row.get("short_name", ""), kinds.get(kind_code)))
    if errors:
        raise TableError(table.source, errors)
    created = updated = 0
    with transaction.atomic():
        for region, agency_name, short_name, kind in parsed:
            agency = Agency.objects.filter(region=region, name__iexact=agency_name).first()
            if agency is None:
                created += 1
            elif (agency.short_name, agency.kind_id) != (short_name, kind.pk if kind else None):
                updated += 1
            else:
                continue
            save_agency(region, name=agency_name, short_name=short_name, kind=kind, agency=agency, user=user)
    return created, updated
