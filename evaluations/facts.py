"""The facts a report is built from, frozen at sign-off.

The department (name, functions, internal units, staffing, contact) is the
evaluation's own copy (``DepartmentFacts``, edited by its team and locked once
signed); the client bureau and the firm are the firm's records, edited for
later years. At sign-off ``reports.archive`` takes :func:`snapshot` of them into
the signed version and into ``Evaluation.facts``; from then on
:func:`with_frozen_facts` puts those values back on the evaluation it is given,
so every page of a signed evaluation (and any report rendered from it) shows
what was signed, whatever the records say now.
"""

from __future__ import annotations

from django.db import models

from evaluations.models import DepartmentProfile, Evaluation

#: The department's facts a report prints (the fields an evaluation copies from the firm's list).
DEPARTMENT_FACTS: tuple[str, ...] = DepartmentProfile.PROFILE_FIELDS


def snapshot(evaluation: Evaluation) -> dict:
    """The evaluation's department facts, bureau and firm as they are now (JSON-ready)."""
    department = evaluation.department_facts
    return {
        "department": {name: getattr(department, name) for name in DEPARTMENT_FACTS},
        "bureau": evaluation.bureau.name,
        "firm": evaluation.firm.name,
    }


def _copy_with(instance: models.Model, values: dict) -> models.Model:
    """An unsaved-looking copy of ``instance`` (same key) carrying ``values``; the original is left alone."""
    copy = type(instance)(**{field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields})
    copy._state.adding = False
    copy._state.db = instance._state.db
    for name, value in values.items():
        setattr(copy, name, value)
    return copy


def with_frozen_facts(evaluation: Evaluation) -> Evaluation:
    """The signed ``evaluation`` showing the facts it was signed with (unchanged when not signed)."""
    facts = evaluation.facts
    if not evaluation.is_signed or not facts:
        return evaluation
    department = {name: value for name, value in facts.get("department", {}).items() if name in DEPARTMENT_FACTS}
    evaluation.department_facts = _copy_with(evaluation.department_facts, department)
    if "bureau" in facts:
        evaluation.bureau = _copy_with(evaluation.bureau, {"name": facts["bureau"]})
    if "firm" in facts:
        evaluation.firm = _copy_with(evaluation.firm, {"name": facts["firm"]})
    return evaluation
