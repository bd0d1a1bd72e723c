"""Reads that feed the engine: an evaluation's tree, its judgments with bound inputs, its result.

Every score, total and grade a page or a report shows comes from
:func:`evaluation_result`, which calls the one engine in ``rubrics.scoring``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Prefetch, prefetch_related_objects

from evalsite.lib.numbers import format_percent, round_half_up
from evaluations import fiscal
from evaluations.models import Evaluation
from evaluations.queries import figures_for
from rubrics import scoring, selfeval_form
from rubrics.models import Evidence, Indicator, Judgment, ProjectForm, Rubric
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


def engine_indicator(row: Indicator, children: tuple[scoring.IndicatorSpec, ...] = ()) -> scoring.IndicatorSpec:
    """One row as the engine's indicator (a leaf unless ``children`` are given)."""
    return scoring.IndicatorSpec(
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
        points=tuple(row.points or ()),
        not_applicable_reason=row.not_applicable_reason,
    )


def build_tree(rows: Iterable[Indicator]) -> list[scoring.IndicatorSpec]:
    """Engine indicators from rows; children follow ``position`` order."""
    children: dict[int | None, list[Indicator]] = {}
    for row in sorted(rows, key=lambda r: r.position):
        children.setdefault(row.parent_id, []).append(row)

    def node(row: Indicator) -> scoring.IndicatorSpec:
        return engine_indicator(row, tuple(node(child) for child in children.get(row.pk, [])))

    return [node(row) for row in children.get(None, [])]


def rubric_of(evaluation: Evaluation) -> Rubric | None:
    try:
        return evaluation.rubric
    except Rubric.DoesNotExist:
        return None


#: What a survey's composite rate is called in a drafted 评分过程 (满意度93.32%…).
SURVEY_RATE_LABEL = "满意度"
#: Where a bound value comes from, as pages name the place to correct it.
BUDGET_SOURCE = "ratio"
SURVEY_SOURCE = "survey"


@dataclass(frozen=True)
class BoundValue:
    """A value an indicator takes from the budget figures (or a survey) instead of typing it.

    ``source`` is ``"ratio"`` or ``"survey"`` (which page corrects it),
    ``origin`` names it (``预算数据``, ``满意度问卷：企业和办事群众``), ``label``
    is what the drafted sentence calls it, ``title`` what the page shows as
    its source, ``worked`` the figures it was computed from. ``value`` is
    ``None`` when it cannot be computed; ``missing`` then says why, naming the
    missing figure or questionnaire.
    """

    source: str
    origin: str
    title: str
    label: str
    value: Decimal | None
    worked: str
    missing: str = ""

    @property
    def for_engine(self) -> scoring.Bound:
        return scoring.Bound(self.label, self.value, self.missing)

    @property
    def changed_message(self) -> str:
        """The review flag: the source changed since the judgment was saved."""
        return f"所用的{self.origin}已变化"


def bound_value(
    binding: Mapping[str, str] | None, ratios: Mapping[str, fiscal.Ratio], survey_rates: Mapping[str, Decimal | None]
) -> BoundValue | None:
    """The live value a binding names: a fiscal ratio or a survey's composite rate (``None``: not bound)."""
    binding = binding or {}
    key, group = binding.get("ratio"), binding.get("survey")
    if key and key in ratios:
        ratio = ratios[key]
        value = None if ratio.value is None else round_half_up(ratio.value)
        return BoundValue(BUDGET_SOURCE, "预算数据", ratio.label, ratio.label, value, ratio.worked, ratio.note)
    if group:
        origin = f"满意度问卷：{group}"
        title = "综合满意度"
        if group not in survey_rates:
            missing = f"尚未建立调查对象为“{group}”的满意度问卷"
            return BoundValue(SURVEY_SOURCE, origin, title, SURVEY_RATE_LABEL, None, f"{title}：{missing}", missing)
        rate = survey_rates[group]
        if rate is None:
            missing = f"问卷“{group}”尚无可计算满意度的答卷份数"
            return BoundValue(SURVEY_SOURCE, origin, title, SURVEY_RATE_LABEL, None, f"{title}：{missing}", missing)
        worked = f"{group}{title} = {format_percent(rate)}（见{origin}）"
        return BoundValue(SURVEY_SOURCE, origin, title, SURVEY_RATE_LABEL, round_half_up(rate), worked)
    return None


def part_rules(row: Indicator) -> list[Mapping]:
    """The parts of a composite rule as written in the row (empty for any other rule)."""
    rule = row.rule or {}
    if rule.get("kind") != scoring.CompositeRule.kind:
        return []
    return [part for part in rule.get("parts") or [] if isinstance(part, Mapping)]


@dataclass(frozen=True)
class LeafSources:
    """The live values one leaf takes from data: its own binding's, or one per part of a composite rule."""

    own: BoundValue | None = None
    parts: tuple[BoundValue | None, ...] = ()

    @property
    def any(self) -> bool:
        return self.own is not None or any(part is not None for part in self.parts)

    @property
    def stored_parts(self) -> list[str | None]:
        """What a saved judgment records of its parts' values (``bound_parts``)."""
        return [None if part is None or part.value is None else str(part.value) for part in self.parts]


def bound_values(
    rows: Iterable[Indicator], figures: fiscal.Figures, survey_rates: Mapping[str, Decimal | None]
) -> dict[str, LeafSources]:
    """The live values of every bound leaf, by code: a fiscal ratio or a survey's composite rate, per part if composite."""
    ratios = fiscal.ratio_by_key(figures)
    values: dict[str, LeafSources] = {}
    for row in rows:
        sources = LeafSources(
            bound_value(row.binding, ratios, survey_rates),
            tuple(bound_value(part.get("binding"), ratios, survey_rates) for part in part_rules(row)),
        )
        if sources.any:
            values[row.code] = sources
    return values


NO_SOURCES = LeafSources()


def fed_inputs(row: Indicator, sources: LeafSources) -> tuple[str | None, list[str | None]]:
    """The inputs bound values feed (the leaf's own, and each part's): typed values for them are never used."""
    own = scoring.bound_input(scoring.rule_kind_of(row.rule)) if sources.own is not None else None
    parts = [
        scoring.bound_input(scoring.rule_kind_of(part.get("rule"))) if source is not None else None
        for part, source in zip(part_rules(row), sources.parts, strict=False)
    ]
    return own, parts


def untyped(inputs: Mapping, row: Indicator, sources: LeafSources) -> dict:
    """``inputs`` without the values bound inputs take from data (what a judgment stores)."""
    own, parts = fed_inputs(row, sources)
    kept = {key: value for key, value in (inputs or {}).items() if key != own}
    if isinstance(kept.get("parts"), list):
        kept["parts"] = [
            {key: value for key, value in (typed or {}).items() if key != (parts[index] if index < len(parts) else None)}
            for index, typed in enumerate(kept["parts"])
        ]
    return kept


def judgment_entry(
    inputs: Mapping,
    sources: LeafSources | None,
    override_score: Decimal | None = None,
    override_reason: str = "",
) -> scoring.JudgmentEntry:
    """The engine's judgment of one leaf: the typed inputs, the bound values with their names, the override.

    The one place an entry is built (stored judgments, saving, the live
    preview); the engine lays each bound value over the input its rule takes and
    decides whether the override stands.
    """
    sources = sources or NO_SOURCES
    override = None if override_score is None else scoring.Override(override_score, override_reason or "")
    return scoring.JudgmentEntry(
        inputs=dict(inputs or {}),
        override=override,
        bound=sources.own.for_engine if sources.own is not None else None,
        part_bounds=tuple(part.for_engine if part is not None else None for part in sources.parts),
    )


def stored_entry(row: Indicator, sources: LeafSources | None) -> scoring.JudgmentEntry | None:
    """The entry of a saved judgment; ``None`` when nothing is saved (a leaf nobody judged is unscored, bound or not)."""
    judgment = judgment_of(row)
    if judgment is None:
        return None
    return judgment_entry(judgment.inputs, sources, judgment.override_score, judgment.override_reason)


def scoring_settings(rubric: Rubric | None, figures: fiscal.Figures) -> scoring.ScoringSettings:
    data = dict(rubric.settings) if rubric else {}
    execution = fiscal.ratio_by_key(figures)["budget_execution_rate"].value
    if data.get("execution_cap") and execution is not None:
        data["execution_rate"] = str(round_half_up(execution))
    return scoring.settings_from_dict(data)


def changed_sources(judgment: Judgment | None, sources: LeafSources | None) -> list[BoundValue]:
    """The bound values that changed since ``judgment`` was saved (each names its source for the review flag)."""
    if judgment is None or sources is None:
        return []
    changed = []
    if sources.own is not None and judgment.bound_value != sources.own.value:
        changed.append(sources.own)
    stored = list(judgment.bound_parts or [])
    for index, part in enumerate(sources.parts):
        if part is None:
            continue
        before = stored[index] if index < len(stored) else None
        if (None if before is None else Decimal(before)) != part.value:
            changed.append(part)
    return changed


@dataclass(frozen=True)
class Scored:
    """An evaluation's engine result with what it was computed from."""

    result: scoring.EvaluationResult | None
    rows: list[Indicator]
    bound: dict[str, LeafSources]
    settings: scoring.ScoringSettings = field(default_factory=scoring.ScoringSettings)

    @cached_property
    def _rows_by_code(self) -> dict[str, Indicator]:
        return {row.code: row for row in self.rows}

    def row(self, code: str) -> Indicator:
        """The row of ``code`` (a lookup, not a scan: a page asks for every leaf's row)."""
        return self._rows_by_code[code]

    def changed(self, code: str) -> list[BoundValue]:
        """The bound values of ``code`` that changed since the evaluator last saved its judgment."""
        return changed_sources(judgment_of(self.row(code)), self.bound.get(code))

    def needs_review(self, code: str) -> bool:
        return bool(self.changed(code))

    @property
    def review_codes(self) -> list[str]:
        return [code for code in self.bound if self.needs_review(code)]

    @property
    def review_flags(self) -> list[tuple[str, str]]:
        """(code, what changed) for every leaf whose bound source changed, naming the source."""
        return [
            (code, "、".join(dict.fromkeys(value.changed_message for value in changed)))
            for code in self.bound
            if (changed := self.changed(code))
        ]


@dataclass(frozen=True)
class ScoringContext:
    """What scoring a judgment reads besides the judgment: bound values and settings, read once."""

    bound: dict[str, LeafSources]
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


def prefetch_scoring_data(evaluations: list[Evaluation]) -> None:
    """Prefetch what :func:`evaluation_result` reads for evaluations already read, so scoring a list of
    them costs a fixed number of queries."""
    prefetch_related_objects(
        evaluations,
        "department_facts",
        "budget",
        "rubric",
        Prefetch("indicators", queryset=Indicator.objects.select_related("judgment")),
        "economic_lines",
        "projects",
        prefetch_questionnaires(),
    )


def project_form_result(project: ProjectForm) -> scoring.EvaluationResult:
    """A 项目支出绩效自评表's tree scored by the engine, its 预算资金执行率 from the form's own funds."""
    form = selfeval_form.SelfEvalForm.from_json({"kind": selfeval_form.PROJECT, "funds": project.funds})
    return selfeval_form.score_project(project.tree, project.judgments, form.execution_rate, project.execution_code)


def evidence_of(evaluation: Evaluation):
    """The evaluation's working papers in tree order (indicator, then number), removed ones included."""
    return (
        Evidence.objects.filter(indicator__evaluation=evaluation)
        .select_related("indicator", "uploaded_by", "removed_by")
        .order_by("indicator__position", "number")
    )
