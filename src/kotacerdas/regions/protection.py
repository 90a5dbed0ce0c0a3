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
    """``check(region)`` -> a reason (text) why ``region`` must stay, or None."""
    if check not in _checks:
        _checks.append(check)


def reasons(region):
    return [reason for check in _checks if (reason := check(region))]


def check_deletion(regions):
    """Raise ProtectedError naming the first of ``regions`` something still needs. Called by
    Region.delete and the regions' QuerySet.delete before Django's deleting transaction starts,
    so that a caller's transaction stays usable."""
    for region in regions:
        found = reasons(region)
        if found:
            raise ProtectedError(_("%(region)s cannot be deleted: %(reasons)s.")
                                 % {"region": region, "reasons": "; ".join(found)}, {region})


def refuse_deletion(sender, instance, **kwargs):
    """pre_delete of a region (also one deleted with its parent): the last guard, inside the
    deleting transaction."""
    check_deletion([instance])
