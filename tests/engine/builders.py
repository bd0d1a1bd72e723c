"""Small builders so each engine test reads as one row of a table."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rubrics.scoring import (
    Bound,
    IndicatorSpec,
    JudgmentEntry,
    NodeResult,
    Override,
    ScoringSettings,
    score_indicator,
)


def make_leaf(
    rule: dict[str, Any] | None,
    weight: str = "2",
    *,
    code: str = "X11",
    name: str = "指标",
    kind: str = "normal",
    binding: dict[str, str] | None = None,
    applicable: bool = True,
) -> IndicatorSpec:
    return IndicatorSpec(
        code=code, name=name, weight=Decimal(weight), kind=kind, rule=rule, binding=binding, applicable=applicable
    )


def score_leaf(
    rule: dict[str, Any] | None,
    weight: str,
    inputs: dict[str, Any],
    *,
    override: tuple[str, str] | None = None,
    settings: ScoringSettings | None = None,
    bound: Bound | None = None,
    **leaf_options: Any,
) -> NodeResult:
    judgment = JudgmentEntry(inputs=inputs, override=Override(*override) if override else None, bound=bound)
    return score_indicator(make_leaf(rule, weight, **leaf_options), judgment, settings)


def parent(code: str, name: str, weight: str, *children: IndicatorSpec, **options: Any) -> IndicatorSpec:
    return IndicatorSpec(code=code, name=name, weight=Decimal(weight), children=children, **options)


JUDGMENT_RULE = {"kind": "judgment"}


def judged(code: str, weight: str, name: str | None = None, **options: Any) -> IndicatorSpec:
    """A leaf scored by the evaluator's judgment."""
    return make_leaf(JUDGMENT_RULE, weight, code=code, name=name or f"{code}指标", **options)


def given(value: str) -> dict[str, Any]:
    """A judgment entry giving a score directly."""
    return {"inputs": {"score": value}}
