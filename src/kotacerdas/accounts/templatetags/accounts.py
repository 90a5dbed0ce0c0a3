from django import template

from kotacerdas.accounts.permissions import has_permission, operator_region_ids

register = template.Library()


@register.filter
def can(user, action):
    """``{% if user|can:"view_change_history" %}``: the permission table, in templates."""
    return has_permission(user, action)


@register.simple_tag
def operated_regions(user):
    from kotacerdas.regions.models import Region

    ids = operator_region_ids(user)
    return Region.objects.filter(pk__in=ids).order_by("code") if ids else []
