"""What changed, who changed it and when: old → new per field, read from django-simple-history.

Every record the team edits keeps its history (``HistoricalRecords`` on the
model). This module turns one kind of record's historical rows into
:class:`Change` rows with ``diff_against``, field by field, labelled and
printed in Chinese. A stored record whose shown fields did not change makes no
row (the write services do not save unchanged records in the first place).
Pages show these to the team, never to the bureau.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from django.db import models

from evalsite.lib.numbers import NO_VALUE, format_amount

ACTIONS = {"+": "新增", "~": "修改", "-": "删除"}
#: The most changes a page lists (newest first); older ones stay in the database.
SHOWN = 200


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    """One stored save: when, by whom, what it did to which record, and each field's old → new."""

    when: datetime.datetime
    who: str
    action: str
    subject: str
    fields: tuple[FieldChange, ...]


def shown(field: models.Field, value) -> str:
    """A stored value as a page prints it: choices by label, amounts with their decimals, lists joined."""
    if value is None or value == "" or value == [] or value == {}:
        return NO_VALUE
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format_amount(value, getattr(field, "decimal_places", 2) or 0)
    if isinstance(value, list | tuple):
        return "、".join(str(item) for item in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    display = getattr(value, "display_name", None)
    return str(display if display is not None else value)


def who(record) -> str:
    user = record.history_user
    return user.display_name if user is not None else "系统"


def _value(record, field: models.Field):
    return getattr(record, field.name)


def object_changes(records: Sequence, fields: Sequence[str], subject: Callable[[object], str]) -> list[Change]:
    """The changes of one object; ``records`` are its historical rows, oldest first.

    A creation lists the fields it set, a deletion the values it removed, a
    change each field ``diff_against`` finds changed (in ``fields`` order).
    A changed row with no earlier row (history kept from later on) is the
    baseline and shows nothing.
    """
    if not records:
        return []
    meta = records[0].instance_type._meta
    model_fields = [meta.get_field(name) for name in fields]
    changes = []
    previous = None
    for record in records:
        if record.history_type == "+":
            pairs = [(f, None, _value(record, f)) for f in model_fields]
        elif record.history_type == "-":
            pairs = [(f, _value(record, f), None) for f in model_fields]
        elif previous is None:
            pairs = []
        else:
            delta = record.diff_against(previous, included_fields=fields, foreign_keys_are_objs=True)
            by_name = {change.field: change for change in delta.changes}
            pairs = [(f, by_name[f.name].old, by_name[f.name].new) for f in model_fields if f.name in by_name]
        previous = record
        printed = tuple(
            FieldChange(str(field.verbose_name), shown(field, old), shown(field, new)) for field, old, new in pairs
        )
        printed = tuple(change for change in printed if change.old != change.new)
        if printed:
            changes.append(Change(record.history_date, who(record), ACTIONS[record.history_type], subject(record), printed))
    return changes


def changes_of(history: models.QuerySet, fields: Sequence[str], subject: Callable[[object], str]) -> list[Change]:
    """The changes of every object in ``history`` (a model's historical rows), newest first."""
    rows = history.select_related("history_user").order_by("id", "history_date", "history_id")
    changes = []
    for _pk, records in groupby(rows, key=lambda record: record.id):
        changes += object_changes(list(records), fields, subject)
    return newest_first(changes)


def newest_first(*groups: Iterable[Change]) -> list[Change]:
    merged = [change for group in groups for change in group]
    return sorted(merged, key=lambda change: change.when, reverse=True)


def editable_fields(model: type[models.Model], excluded: Iterable[str] = ()) -> list[str]:
    """The fields of ``model`` a person edits (concrete, editable, not the key), for its history."""
    skip = {"id", *excluded}
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in skip
        and not isinstance(field, models.DateTimeField | models.AutoField)
    ]


def baseline_rows(app_label: str, *model_names: str):
    """A migration step for models that start keeping history: one baseline row per existing record.

    The row is a change ("~") without an earlier row, so it shows nothing itself (see
    :func:`object_changes`); the first change after it then shows old → new.
    """

    def run(apps, schema_editor):
        from django.utils import timezone

        now = timezone.now()
        for name in model_names:
            model = apps.get_model(app_label, name)
            historical = apps.get_model(app_label, f"Historical{name}")
            names = [field.attname for field in historical._meta.fields if not field.name.startswith("history_")]
            historical.objects.bulk_create(
                historical(**{attname: getattr(row, attname) for attname in names}, history_date=now, history_type="~",
                           history_change_reason="记录开始")
                for row in model.objects.all().iterator()
            )

    return run
