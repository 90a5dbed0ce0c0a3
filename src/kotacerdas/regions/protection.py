"""What keeps a region from being deleted, beyond the foreign keys that protect it.

A screening run keeps the ids of every region it ranked in its stored inputs (an array, not a
foreign key per region), so that it can be shown and recomputed later; the screening app
registers a check here. The regions app imports no later stage: the check is registered by the
stage that needs it.
"""

from django.db.models import ProtectedError
from django.utils.translation import gettext as _

_checks = []


def register(check):
    """``check(regions)`` -> {region id: a reason (text) why it must stay} for those of
    ``regions`` that must; one call for many regions, so that a check reads its data once."""
    if check not in _checks:
        _checks.append(check)


def reasons(regions):
    """{region id: [reasons]} of those of ``regions`` something still needs."""
    found = {}
    for check in _checks:
        for pk, reason in check(regions).items():
            found.setdefault(pk, []).append(reason)
    return found


def check_deletion(regions):
    """Raise ProtectedError naming the first of ``regions`` something still needs. Called by
    Region.delete and the regions' QuerySet.delete before Django's deleting transaction starts,
    so that a caller's transaction stays usable."""
    regions = list(regions)
    found = reasons(regions) if regions else {}
    for region in regions:
        if region.pk in found:
            raise ProtectedError(_("%(region)s cannot be deleted: %(reasons)s.")
                                 % {"region": region, "reasons": "; ".join(found[region.pk])}, {region})


def refuse_deletion(sender, instance, **kwargs):
    """pre_delete of a region (also one deleted with its parent): the last guard, inside the
    deleting transaction."""
    check_deletion([instance])
