"""Assessors and their conflicts of interest with candidates."""


import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import Role, RoleGrant

from ..models import Assessor, DeclaredConflict
from . import AssessmentRefused



@transaction.atomic
def register_assessor(user, *, institution, expertise=(), home_province=None, home_region=None, max_load=None):
    """Make ``user`` an assessor (granting the role) or update their assessor profile."""
    if home_region is not None and home_province is None:
        home_province = home_region.province
    assessor, _created = Assessor.objects.update_or_create(
        user=user,
        defaults={
            "institution": institution,
            "expertise": sorted({tag.strip().lower() for tag in expertise if tag.strip()}),
            "home_province": home_province,
            "home_region": home_region,
            "max_load": max_load,
        },
    )
    if not RoleGrant.objects.filter(user=user, role=Role.ASSESSOR).exists():
        RoleGrant.objects.create(user=user, role=Role.ASSESSOR, institution=institution)
    return assessor


def declare_conflict(assessor, region, reason):
    """Record an assessor's own conflict of interest with a region (kept once per pair); a reason is required."""
    if not reason or not reason.strip():
        raise AssessmentRefused(_("Say what the conflict of interest is."))
    conflict, _created = DeclaredConflict.objects.get_or_create(
        assessor=assessor, region=region, defaults={"reason": reason.strip()}
    )
    return conflict


def _mentored(assessors):
    """{assessor id: region ids they mentored} from mentor role grants with a region."""
    by_user = {a.user_id: a.pk for a in assessors}
    result = {a.pk: set() for a in assessors}
    grants = RoleGrant.objects.filter(role=Role.MENTOR, user_id__in=by_user, region__isnull=False)
    for user_id, region_id in grants.values_list("user_id", "region_id"):
        result[by_user[user_id]].add(region_id)
    return result


def conflict_reasons(panel, assessor, region, *, mentored=None, declared=None):
    """Why ``assessor`` may not assess ``region`` in ``panel`` (empty: no conflict)."""
    reasons = []
    if declared is None:
        declared = DeclaredConflict.objects.filter(assessor=assessor, region=region).exists()
    if declared:
        reasons.append(_("declared conflict of interest"))
    if panel.conflict_same_province and assessor.home_province_id and assessor.home_province_id == region.province_id:
        reasons.append(_("same home province"))
    if panel.conflict_same_region and assessor.home_region_id == region.pk:
        reasons.append(_("same home region"))
    if panel.conflict_mentored:
        regions = (mentored or _mentored([assessor]))[assessor.pk]
        if region.pk in regions:
            reasons.append(_("mentored this region before"))
    return reasons


def conflict_matrix(panel, regions, assessors):
    """Boolean matrix (regions × assessors): True where the assessor may not assess the region."""
    declared = set(DeclaredConflict.objects.filter(assessor__in=assessors, region__in=regions).values_list("assessor_id", "region_id"))
    mentored = _mentored(assessors)
    return np.array(
        [
            [bool(conflict_reasons(panel, a, r, mentored=mentored, declared=(a.pk, r.pk) in declared)) for a in assessors]
            for r in regions
        ],
        dtype=bool,
    ).reshape(len(regions), len(assessors))


