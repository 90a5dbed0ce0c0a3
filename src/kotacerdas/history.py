"""The change history of what decisions depend on (who, when, before, after).

One mechanism records every change: django-simple-history, declared on the model
(``history = HistoricalRecords()``; Django's own user model, which the project does not define,
with ``simple_history.register`` in accounts/models.py). This module reads the historical rows of
every model so recorded, whichever app it is in, and says for each change which fields went
from what to what; a model that gains a history appears on the history page with no change here.

One record is kept otherwise and read here too: a questionnaire submission's status changes
(``questionnaires.StatusChange``, who, when, from, to, why, with the reviewer's comments per
question). A submission is saved at every answer the region types (the deadline rush,
bench/questionnaires.py), so a historical row per save would record keystrokes; its status, the
part decisions depend on, has its own row per change, shown beside the others.
"""

from dataclasses import dataclass
from heapq import merge
from itertools import islice

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


# Short keys of the history page's filter (kept stable: links and bookmarks use them).
KEYS = {
    "regions.region": "region",
    "program.phase": "phase",
    "program.phasestage": "stage",
    "program.participation": "participation",
    "screening.eligibilityrule": "rule",
    "screening.administrativecheck": "check",
    "masterplans.masterplan": "masterplan",
    "masterplans.program": "plan_program",
}
# Fields never shown, even as "changed": secrets kept as hashes.
HIDDEN_FIELDS = {"password", "key_hash", "token_hash", "digest"}
# Apps along the program (DESIGN.md), so the filter lists models in the order of the stages.
APP_ORDER = ("regions", "accounts", "program", "indicators", "screening", "questionnaires", "assessment",
             "mentoring", "masterplans", "evaluation", "reports", "site")


def tracked_models():
    """{key: (label, model)} of every model whose changes are recorded, in the program's order."""
    from django.apps import apps
    from simple_history.models import registered_models

    recorded = set(registered_models.values())  # keyed by table name
    models = [model for model in apps.get_models() if model in recorded]

    def order(model):
        label = model._meta.app_label
        return (APP_ORDER.index(label) if label in APP_ORDER else len(APP_ORDER), model._meta.model_name)

    found = {}
    for model in sorted(models, key=order):
        key = KEYS.get(model._meta.label_lower, model._meta.label_lower)
        found[key] = (capfirst(model._meta.verbose_name_plural), model)
    return found


def _rule_text(rule_id, removed=None):
    """A rule's phase and description; a removed rule's from its last historical row."""
    from kotacerdas.program.models import Phase
    from kotacerdas.screening.models import EligibilityRule

    rule = EligibilityRule.objects.filter(pk=rule_id).select_related("indicator").first()
    if rule is None:
        latest = EligibilityRule.history.filter(id=rule_id).order_by("-history_date", "-history_id").first()
        rule = latest.instance if latest is not None else removed
    if rule is None:
        return f"#{rule_id}"
    phase = Phase.objects.filter(pk=rule.phase_id).first()
    return f"{phase.name}: {rule.describe()}" if phase else rule.describe()


def _rule_subject(record):
    return _rule_text(record.id, removed=record.instance)


def _check_subject(record):
    """A check's rule and region (``AdministrativeCheck`` has no text of its own)."""
    from kotacerdas.regions.models import Region

    region = Region.objects.filter(pk=record.region_id).first()
    rule_text = _rule_text(record.rule_id)
    return f"{rule_text} · {region.code} {region.name}" if region else rule_text


SUBJECTS = {"rule": _rule_subject, "check": _check_subject}


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
        subject = SUBJECTS.get(self.kind)
        return subject(self.record) if subject else str(self.record.instance)


def describe(record):
    """(field, before, after) for each field a historical record changed."""
    previous = record.prev_record
    if previous is None:
        return []
    delta = record.diff_against(previous)
    fields = [(record.instance._meta.get_field(change.field), change) for change in delta.changes if change.field not in HIDDEN_FIELDS]
    return [(field.verbose_name, shown(field, change.old), shown(field, change.new)) for field, change in fields]


def shown(field, value):
    """A recorded value as a person reads it: a choice by its label in the reader's language
    ("Terpilih", not "selected"), a yes/no as a word; anything else as recorded."""
    if value is None or value == "":
        return value
    if getattr(field, "choices", None):
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def _stream(key, model, stop):
    # A function of its own so that each stream keeps its own ``key`` (a generator expression
    # in a loop would read the loop's last one when merge() consumes it).
    records = model.history.order_by("-history_date", "-history_id").select_related("history_user")[:stop]
    return ((record.history_date, key, record) for record in records)


class _LazyChanges:
    """A sequence of changes across models, newest first, read one page at a time."""

    def __init__(self, kind=None):
        self.models = {
            key: value for key, value in tracked_models().items() if kind in (None, key)
        }
        self.status_changes = _StatusChanges() if kind in (None, STATUS_KEY) else None

    def __len__(self):
        count = sum(model.history.count() for _label, model in self.models.values())
        return count + (self.status_changes.count() if self.status_changes else 0)

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop = index.start or 0, index.stop
            streams = [_stream(key, model, stop) for key, (_label, model) in self.models.items()]
            if self.status_changes:
                streams.append(self.status_changes.stream(stop))
            merged = merge(*streams, key=lambda item: item[0], reverse=True)
            return [
                record if key == STATUS_KEY else Change(key, str(self.models[key][0]), record, describe(record))
                for _date, key, record in islice(merged, start, stop)
            ]
        return self[index : index + 1][0]


STATUS_KEY = "submission_status"


def history_kinds():
    """[(key, label)] of the history page's filter: every model with a history, then the
    questionnaires' status changes."""
    from kotacerdas.questionnaires.models import StatusChange

    kinds = [(key, label) for key, (label, _model) in tracked_models().items()]
    return kinds + [(STATUS_KEY, capfirst(StatusChange._meta.verbose_name_plural))]


@dataclass
class StatusChangeEntry:
    """A submission's status change, read like a ``Change`` by the history page."""

    kind: str
    kind_label: str
    record: object  # the StatusChange

    @property
    def when(self):
        return self.record.at

    @property
    def who(self):
        return self.record.by

    @property
    def action(self):
        return capfirst(self.record._meta.verbose_name)

    @property
    def reason(self):
        return self.record.comment

    @property
    def subject(self):
        return str(self.record.submission)

    @property
    def fields(self):
        return [(_("status"), self.record.get_from_status_display(), self.record.get_to_status_display())]


class _StatusChanges:
    """The status changes as one stream of the history page."""

    def __init__(self):
        from kotacerdas.questionnaires.models import StatusChange

        self.model = StatusChange
        self.label = str(capfirst(StatusChange._meta.verbose_name_plural))

    def count(self):
        return self.model.objects.count()

    def stream(self, stop):
        records = self.model.objects.order_by("-at", "-pk").select_related(
            "by", "submission__region", "submission__assignment__form")[:stop]
        return ((record.at, STATUS_KEY, StatusChangeEntry(STATUS_KEY, self.label, record)) for record in records)


def recent_changes(kind=None):
    """Every change (historical rows and status changes), newest first; ``kind`` filters one."""
    return _LazyChanges(kind=kind)
