"""The charts of a result (page and letter), drawn with the one chart helper (lib/svg.py)."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kotacerdas.lib.svg import PALETTE, bar_chart

PREVIOUS_COLOUR = "#8a94a0"


def score_chart(labels, values, previous=None, title=""):
    """Bars of scores on 0-5, each followed by the previous round's score (grey) when given."""
    values = [None if v is None else Decimal(str(v)) for v in values]
    previous = None if previous is None else [None if v is None else Decimal(str(v)) for v in previous]
    items = []
    for position, label in enumerate(labels):
        value = values[position]
        items.append((label, None if value is None else float(value), PALETTE[0]))
        if previous is not None:
            before = previous[position]
            items.append((_("%(label)s (previous)") % {"label": label}, None if before is None else float(before), PREVIOUS_COLOUR))
    desc = "; ".join(f"{label}: {'–' if values[i] is None else number_format(values[i], 2)}" for i, label in enumerate(labels))
    return bar_chart(items, title, desc, value_label=lambda v: number_format(v, 2), maximum=5)
