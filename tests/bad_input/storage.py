"""What the database holds, to prove a refused request changed nothing and an accepted one stored only what fits."""

from __future__ import annotations

from decimal import Decimal

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length

APPS = ("accounts", "evaluations", "rubrics", "surveys", "reports")
INTEGER_RANGE = {
    models.PositiveSmallIntegerField: (0, 32767),
    models.SmallIntegerField: (-32768, 32767),
    models.PositiveIntegerField: (0, 2147483647),
    models.IntegerField: (-2147483648, 2147483647),
}


def our_models() -> list[type[models.Model]]:
    return [model for label in APPS for model in apps.get_app_config(label).get_models()]


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table of the project's apps (history tables included), by model."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in our_models()}


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


def overflowing() -> list[str]:
    """Stored values that the field would not accept on PostgreSQL (SQLite stores anything): none may exist.

    One query per table finds whether anything is out of range; only then is each field asked.
    """
    found = []
    for model in our_models():
        checks = [(model_field, *_out_of_range(model_field)) for model_field in model._meta.concrete_fields]
        checks = [check for check in checks if check[1] is not None]
        if not checks:
            continue
        lengths = {alias: Length(name) for _field, _condition, alias, name in checks if alias}
        rows = model.objects.annotate(**lengths)
        anything = Q()
        for _field, condition, _alias, _name in checks:
            anything |= condition
        if rows.filter(anything).exists():
            found += [f"{model._meta.label}.{f.name}" for f, condition, _a, _n in checks if rows.filter(condition).exists()]
    return found


def _out_of_range(model_field):
    """(filter matching values outside the field, length alias to annotate or None, column), or (None, None, None)."""
    name = model_field.attname
    if isinstance(model_field, models.CharField | models.TextField) and model_field.max_length:
        alias = f"_length_{name}"
        return Q(**{f"{alias}__gt": model_field.max_length}), alias, name
    for kind, (low, high) in INTEGER_RANGE.items():
        if type(model_field) is kind:
            return Q(**{f"{name}__lt": low}) | Q(**{f"{name}__gt": high}), None, name
    if isinstance(model_field, models.DecimalField):
        bound = Decimal(10) ** (model_field.max_digits - model_field.decimal_places)
        return Q(**{f"{name}__gte": bound}) | Q(**{f"{name}__lte": -bound}), None, name
    return None, None, None
