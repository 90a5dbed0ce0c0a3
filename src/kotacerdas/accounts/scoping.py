"""Scoping rules of the objects this app knows about (see :func:`permissions.scope`)."""

from django.contrib.auth import get_user_model

from kotacerdas.regions.models import Region

from .models import ApiToken, Notification
from .permissions import MINISTRY, operator_region_ids, scoper


@scoper(Region)
def _regions(queryset, user, action, roles):
    # Everyone reads the public region pages; the rest of a region is its operators' and the
    # ministry's.
    if action == "view_public" or MINISTRY in roles:
        return queryset
    return queryset.filter(pk__in=operator_region_ids(user))


@scoper(Notification)
def _notifications(queryset, user, action, roles):
    # What was sent to a person is theirs alone, the ministry's included.
    return queryset.filter(recipient=user)


@scoper(ApiToken)
def _tokens(queryset, user, action, roles):
    return queryset.filter(user=user)


@scoper(get_user_model())
def _users(queryset, user, action, roles):
    if MINISTRY in roles:
        return queryset
    return queryset.filter(pk=user.pk)
