"""Reads that feed the engine: an evaluation's tree, its judgments with bound inputs, its result.

Every score, total and grade a page or a report shows comes from
:func:`evaluation_result`, which calls the one engine in ``rubrics.scoring``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from evalsite.lib.numbers import format_percent, round_half_up
from evaluations import fiscal
from evaluations.models import Evaluation
from evaluations.queries import figures_for
from rubrics import scoring
from rubrics.models import Indicator, Judgment, Rubric
from surveys.queries import composite_rates, prefetch_questionnaires


def indicator_rows(evaluation: Evaluation) -> list[Indicator]:
    """The evaluation's indicators in tree order (prefetched when present), with their judgments."""
    cache = getattr(evaluation, "_prefetched_objects_cache", {})
    if "indicators" in cache:
        rows = list(evaluation.indicators.all())
    else:
        rows = list(evaluation.indicators.select_related("judgment"))
    return rows


def judgment_of(indicator: Indicator) -> Judgment | None:
    try:
        return indicator.judgment
    except Judgment.DoesNotExist:
        return None


def engine_indicator(row: Indicator, children: tuple[scoring.Indicator, ...] = ()) -> scoring.Indicator:
    """One row as the engine's indicator (a leaf unless ``children`` are given)."""
    return scoring.Indicator(
        code=row.code,
        name=row.name,
        weight=row.weight,
        kind=row.kind,
        rule=None if children else (row.rule or None),
        applicable=row.applicable,
        children=children,
        binding=row.binding,
        explanation=row.explanation,
        basis=row.basis,
        target=row.target,
        criteria=row.criteria,
    )


def build_tree(rows: Iterable[Indicator]) -> list[scoring.Indicator]:
    """Engine indicators from rows; children follow ``position`` order."""
    children: dict[int | None, list[Indicator]] = {}
    for row in sorted(rows, key=lambda r: r.position):
        children.setdefault(row.parent_id, []).append(row)

    def node(row: Indicator) -> scoring.Indicator:
        return engine_indicator(row, tuple(node(child) for child in children.get(row.pk, [])))

    return [node(row) for row in children.get(None, [])]


def rubric_of(evaluation: Evaluation) -> Rubric | None:
    try:
        return evaluation.rubric
    except Rubric.DoesNotExist:
        return None


@dataclass(frozen=True)
class BoundValue:
    """A value an indicator takes from the budget figures (or a survey) instead of typing it."""

    input: str
    label: str
    value: Decimal | None
    worked: str


def bound_values(
    rows: Iterable[Indicator], figures: fiscal.Figures, survey_rates: Mapping[str, Decimal | None]
) -> dict[str, BoundValue]:
    """The live value of every bound indicator, by code: a fiscal ratio or a survey's composite rate."""
    ratios = fiscal.ratio_by_key(figures)
    values: dict[str, BoundValue] = {}
    for row in rows:
        binding = row.binding or {}
        key, group = binding.get("ratio"), binding.get("survey")
        if key and key in ratios:
            ratio = ratios[key]
            value = None if ratio.value is None else round_half_up(ratio.value)
            values[row.code] = BoundValue(binding.get("input", "rate"), ratio.label, value, ratio.worked)
        elif group and group in survey_rates:
            rate = survey_rates[group]
            value = None if rate is None else round_half_up(rate)
            label = f"{group}综合满意度"
            worked = f"{label} = {format_percent(rate)}（见满意度问卷：{group}）"
            values[row.code] = BoundValue(binding.get("input", "value"), label, value, worked)
    return values


def engine_judgment(row: Indicator, bound: BoundValue | None) -> dict | None:
    """The engine's judgment dict: stored inputs, the bound value laid over them, the override."""
    judgment = judgment_of(row)
    inputs = dict(judgment.inputs) if judgment else {}
    if bound is not None and bound.value is not None:
        inputs[bound.input] = str(bound.value)
    if not inputs and not (judgment and judgment.override_score is not None):
        return None
    entry: dict = {"inputs": inputs}
    if judgment and judgment.override_score is not None:
        entry["override"] = {"score": str(judgment.override_score), "reason": judgment.override_reason}
    return entry


def scoring_settings(rubric: Rubric | None, figures: fiscal.Figures) -> scoring.ScoringSettings:
    data = dict(rubric.settings) if rubric else {}
    execution = fiscal.ratio_by_key(figures)["budget_execution_rate"].value
    if data.get("execution_cap") and execution is not None:
        data["execution_rate"] = str(round_half_up(execution))
    return scoring.settings_from_dict(data)


@dataclass(frozen=True)
class Scored:
    """An evaluation's engine result with what it was computed from."""

    result: scoring.EvaluationResult | None
    rows: list[Indicator]
    bound: dict[str, BoundValue]
    settings: scoring.ScoringSettings = field(default_factory=scoring.ScoringSettings)

    def row(self, code: str) -> Indicator:
        return next(row for row in self.rows if row.code == code)

    def needs_review(self, code: str) -> bool:
        """A bound value changed since the evaluator last saved the judgment."""
        bound = self.bound.get(code)
        judgment = judgment_of(self.row(code))
        if bound is None or judgment is None:
            return False
        return judgment.bound_value != bound.value

    @property
    def review_codes(self) -> list[str]:
        return [code for code in self.bound if self.needs_review(code)]


def evaluation_result(evaluation: Evaluation, figures: fiscal.Figures | None = None) -> Scored:
    """Score the evaluation with the engine; ``result`` is None until it has an indicator system."""
    rows = indicator_rows(evaluation)
    if not rows:
        return Scored(None, [], {})
    figures = figures if figures is not None else figures_for(evaluation)
    bound = bound_values(rows, figures, composite_rates(evaluation))
    tree = build_tree(rows)
    parents = {row.parent_id for row in rows}
    leaves = {row.code for row in rows if row.pk not in parents}
    judgments = {}
    for row in rows:
        if row.code in leaves:
            entry = engine_judgment(row, bound.get(row.code))
            if entry is not None:
                judgments[row.code] = entry
    settings = scoring_settings(rubric_of(evaluation), figures)
    return Scored(scoring.score(tree, judgments, settings), rows, bound, settings)


def with_scoring_data(queryset):
    """Prefetch what :func:`evaluation_result` reads, so a list of evaluations costs a fixed number of queries."""
    return queryset.select_related("department", "budget", "rubric").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.select_related("judgment")),
        "economic_lines",
        "projects",
        prefetch_questionnaires(),
    )
