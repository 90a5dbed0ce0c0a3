"""Who reaches which region's mentoring: the ministry every region; a mentor the regions assigned
to them now (an ended assignment leaves them only their own past notes); an operator their own
region. Registered with accounts.permissions.scope for this app's models."""

from django.db.models import Q

from kotacerdas.accounts.permissions import MINISTRY, operator_region_ids, scoper

from .models import Attendance, MentorAssignment, MentorNote, OutputUpload


def mentored_region_ids(user):
    """The regions ``user`` mentors now, in any cohort."""
    if not user.is_authenticated:
        return set()
    return set(
        MentorAssignment.objects.filter(mentor__user=user, ended_at__isnull=True).values_list("region_id", flat=True)
    )


def region_ids_for(user, roles):
    """None for every region (the ministry), else the ids of the regions ``user`` reaches."""
    if MINISTRY in roles:
        return None
    return mentored_region_ids(user) | operator_region_ids(user)


def _by_region(queryset, user, roles, field="region_id"):
    ids = region_ids_for(user, roles)
    return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})


@scoper(MentorAssignment)
def _assignments(queryset, user, action, roles):
    return _by_region(queryset, user, roles)


@scoper(OutputUpload)
def _uploads(queryset, user, action, roles):
    return _by_region(queryset, user, roles)


@scoper(Attendance)
def _attendance(queryset, user, action, roles):
    return _by_region(queryset, user, roles)


@scoper(MentorNote)
def _notes(queryset, user, action, roles):
    # The region, its mentors and the ministry; a replaced mentor still reads what they wrote.
    ids = region_ids_for(user, roles)
    if ids is None:
        return queryset
    return queryset.filter(Q(region_id__in=ids) | Q(author=user))
