"""``{% load program %}``: ``{{ phase|demo_notice }}``, the one notice of a demo phase's content."""

from django import template

from kotacerdas.program import services

register = template.Library()


@register.filter
def demo_notice(phase):
    """The notice of :func:`kotacerdas.program.services.demo_notice`, or "" for a real phase."""
    return services.demo_notice(phase) or ""
