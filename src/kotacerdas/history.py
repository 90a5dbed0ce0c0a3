"""The change history of what decisions depend on (who, when, before, after).

django-simple-history keeps a historical row per save; this module reads them across models
and says, for each change, which fields went from what to what.
"""

from dataclasses import dataclass
from heapq import merge
from itertools import islice

from django.utils.translation import gettext_lazy as _


def tracked_models():
    from kotacerdas.program.models import Participation, Phase, PhaseStage
    from kotacerdas.regions.models import Region

    return {
        "region": (_("Region"), Region),
        "phase": (_("Phase"), Phase),
        "stage": (_("Stage"), PhaseStage),
        "participation": (_("Participation"), Participation),
    }


@dataclass
class Change:
    kind: str
    kind_label: str
    record: object  # the historical row
    fields: list  # (field verbose name, old, new)

    @property
    def when(self):
        return self.record.history_date

    @property
    def who(self):
        return self.record.history_user

    @property
    def action(self):
        return self.record.get_history_type_display()

    @property
    def reason(self):
        return self.record.history_change_reason or ""

    @property
    def subject(self):
        return str(self.record.instance)


def describe(record):
    """(field, before, after) for each field a historical record changed."""
    previous = record.prev_record
    if previous is None:
        return []
    delta = record.diff_against(previous)
    return [
        (record.instance._meta.get_field(change.field).verbose_name, change.old, change.new)
        for change in delta.changes
    ]


class _LazyChanges:
    """A sequence of changes across models, newest first, read one page at a time."""

    def __init__(self, kind=None):
        self.models = {
            key: value for key, value in tracked_models().items() if kind in (None, key)
        }

    def __len__(self):
        return sum(model.history.count() for _label, model in self.models.values())

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop = index.start or 0, index.stop
            streams = [
                (
                    (record.history_date, key, record)
                    for record in model.history.order_by("-history_date", "-history_id")
                    .select_related("history_user")[: stop]
                )
                for key, (_label, model) in self.models.items()
            ]
            merged = merge(*streams, key=lambda item: item[0], reverse=True)
            return [
                Change(key, str(self.models[key][0]), record, describe(record))
                for _date, key, record in islice(merged, start, stop)
            ]
        return self[index : index + 1][0]


def recent_changes(kind=None):
    return _LazyChanges(kind=kind)
