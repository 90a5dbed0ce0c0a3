"""Who sees which screening run: a confirmed run is public, a draft is the ministry's alone."""

from kotacerdas.accounts.permissions import MINISTRY, scoper

from .models import RunStatus, ScreeningRun


@scoper(ScreeningRun)
def _runs(queryset, user, action, roles):
    if MINISTRY in roles:
        return queryset
    return queryset.filter(status=RunStatus.CONFIRMED)
