"""Choices for the models and forms, generated from the engine's vocabulary (``rubrics.scoring``).

The engine owns the kinds and their Chinese names; nothing here spells one again.
The rule kinds need no ``TextChoices``: forms and pages read ``scoring.RULE_KINDS``
itself, so a kind registered there is offered everywhere.
"""

from django.db import models

from rubrics import scoring

IndicatorKind = models.TextChoices(
    "IndicatorKind",
    [(kind.upper(), (kind, label)) for kind, label in scoring.INDICATOR_KIND_LABELS.items()],
    module=__name__,
)


def rule_kind_choices() -> list[tuple[str, str]]:
    """The rule kinds the engine knows, as (kind, Chinese name); read at each call."""
    return [(kind, spec.label) for kind, spec in scoring.RULE_KINDS.items()]
