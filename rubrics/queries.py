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


#: What a survey's composite rate is called in a drafted 评分过程 (满意度93.32%…).
SURVEY_RATE_LABEL = "满意度"


@dataclass(frozen=True)
class BoundValue:
    """A value an indicator takes from the budget figures (or a survey) instead of typing it.

    ``label`` is what the drafted sentence calls it, ``title`` what the page
    shows as its source, ``worked`` the figures it was computed from.
    """

    origin: str
    title: str
    label: str
    value: Decimal | None
    worked: str

    @property
    def for_engine(self) -> scoring.Bound:
        return scoring.Bound(self.label, self.value)


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
            values[row.code] = BoundValue("预算数据", ratio.label, ratio.label, value, ratio.worked)
        elif group and group in survey_rates:
            rate = survey_rates[group]
            value = None if rate is None else round_half_up(rate)
            title = f"{group}综合满意度"
            worked = f"{title} = {format_percent(rate)}（见满意度问卷：{group}）"
            values[row.code] = BoundValue("满意度问卷", title, SURVEY_RATE_LABEL, value, worked)
    return values


def fed_input(row: Indicator, bound: BoundValue | None) -> str | None:
    """The input a live bound value feeds (the engine derives it from the rule kind); typed inputs never replace it."""
    if bound is None or bound.value is None:
        return None
    return scoring.bound_input(scoring.rule_kind_of(row.rule))


def judgment_entry(
    inputs: Mapping,
    bound: BoundValue | None,
    override_score: Decimal | None = None,
    override_reason: str = "",
) -> scoring.Judgment:
    """The engine's judgment of one leaf: the typed inputs, the bound value with its name, the override.

    The one place an entry is built (stored judgments, saving, the live
    preview); the engine lays the bound value over the input its rule takes and
    decides whether the override stands.
    """
    override = None if override_score is None else scoring.Override(override_score, override_reason or "")
    return scoring.Judgment(
        inputs=dict(inputs or {}), override=override, bound=bound.for_engine if bound is not None else None
    )


def stored_entry(row: Indicator, bound: BoundValue | None) -> scoring.Judgment | None:
    """The entry of a saved judgment (``None`` when nothing is saved and nothing is bound)."""
    judgment = judgment_of(row)
    if judgment is None:
        return judgment_entry({}, bound) if bound is not None else None
    return judgment_entry(judgment.inputs, bound, judgment.override_score, judgment.override_reason)


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


@dataclass(frozen=True)
class ScoringContext:
    """What scoring a judgment reads besides the judgment: bound values and settings, read once."""

    bound: dict[str, BoundValue]
    settings: scoring.ScoringSettings


def scoring_context(
    evaluation: Evaluation, rows: Iterable[Indicator], figures: fiscal.Figures | None = None
) -> ScoringContext:
    """Figures, surveys and settings read once for ``rows`` (however many there are)."""
    figures = figures if figures is not None else figures_for(evaluation)
    return ScoringContext(
        bound_values(rows, figures, composite_rates(evaluation)),
        scoring_settings(rubric_of(evaluation), figures),
    )


def evaluation_result(evaluation: Evaluation, figures: fiscal.Figures | None = None) -> Scored:
    """Score the evaluation with the engine; ``result`` is None until it has an indicator system."""
    rows = indicator_rows(evaluation)
    if not rows:
        return Scored(None, [], {})
    context = scoring_context(evaluation, rows, figures)
    tree = build_tree(rows)
    parents = {row.parent_id for row in rows}
    judgments = {}
    for row in rows:
        if row.pk not in parents:
            entry = stored_entry(row, context.bound.get(row.code))
            if entry is not None:
                judgments[row.code] = entry
    return Scored(scoring.score(tree, judgments, context.settings), rows, context.bound, context.settings)


def with_scoring_data(queryset):
    """Prefetch what :func:`evaluation_result` reads, so a list of evaluations costs a fixed number of queries."""
    return queryset.select_related("department", "budget", "rubric").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.select_related("judgment")),
        "economic_lines",
        "projects",
        prefetch_questionnaires(),
    )
