"""Deleting a region: it combines the stages, so it lives on top of them.

Foreign keys protect a region that a later stage points to (a participation, a result row, a
plan, ...), and Django refuses to delete it. A screening run keeps the ids of every region it
ranked in its stored inputs (an array, not a foreign key per region: bench/screening.py), which no
foreign key sees; this module asks the screening stage directly. The registry stays ignorant of
later stages (imports run one way), so a region is deleted through :func:`delete_regions` (the
admin does), not through ``Region.delete`` alone.
"""

from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from kotacerdas.regions.models import Region
from kotacerdas.screening.services.runs import regions_ranked_in_runs


def deletion_refusals(regions):
    """{region id: [reasons]} of those of ``regions`` a later stage still needs beyond the foreign
    keys that protect them (one pass over the stored runs for all of them)."""
    found = {}
    for pk, reason in regions_ranked_in_runs(regions).items():
        found.setdefault(pk, []).append(reason)
    return found


def check_deletion(regions):
    """Raise ProtectedError naming the first of ``regions`` a later stage still needs."""
    regions = list(regions)
    found = deletion_refusals(regions) if regions else {}
    for region in regions:
        if region.pk in found:
            raise ProtectedError(_("%(region)s cannot be deleted: %(reasons)s.")
                                 % {"region": region, "reasons": "; ".join(found[region.pk])}, {region})


def delete_regions(regions):
    """Delete ``regions`` (a QuerySet or a list) all or none: refused as a whole, before anything
    is deleted, when a later stage still needs one of them (ProtectedError with the reason)."""
    regions = list(regions)
    check_deletion(regions)
    Region.objects.filter(pk__in=[region.pk for region in regions]).delete()
