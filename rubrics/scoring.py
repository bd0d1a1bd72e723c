"""The one scoring engine: an indicator tree, judgments and settings in, a result out.

Pure Python (stdlib and :mod:`evalsite.lib.numbers` only, no Django), so views,
checks and every renderer call the same code and its tests need no database.
The data shapes follow ``rubrics/RULES.md``; the decisions taken here are
written down in its section "Engine decisions". In short:

* A leaf (third-level) score is computed exactly (``Fraction``), clamped to
  [0, W] and rounded half up to two decimals once. Parent scores are sums of
  the rounded children, so a total always equals the sum of its rows.
* A leaf without inputs is 未评分: its score is ``None``, it counts as 0 in
  every sum and the result says ``incomplete``.
* Indicators marked not applicable are left out; when that removes weight, the
  normal score is rescaled to 100 (sum of applicable scores / sum of
  applicable weights × 100), rounded once.
* 加分项 add to and 减分项 subtract from the total, outside the 100.
* Inputs that cannot be scored (an override without a reason, a judgment
  above W, a missing ``target`` …) never raise from :func:`score`; the node
  carries the message in ``error``, has no score and the result lists it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any, ClassVar

from evalsite.lib.numbers import (
    NumberError,
    format_amount,
    format_percent,
    format_plain,
    percent,
    round_half_up,
    to_decimal,
)

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

NORMAL = "normal"
BONUS = "bonus"
DEDUCTION = "deduction"
ADJUSTMENT = "adjustment"
#: The indicator kinds and their Chinese names (the model's choices are generated from this).
INDICATOR_KIND_LABELS: dict[str, str] = {
    NORMAL: "常规指标",
    BONUS: "加分项",
    DEDUCTION: "减分项",
    ADJUSTMENT: "加减分项目（分组）",
}
INDICATOR_KINDS = tuple(INDICATOR_KIND_LABELS)
#: The verb with which a score is stated for each kind of leaf: 得2分, 加2分, 扣2分.
SCORE_VERBS: dict[str, str] = {NORMAL: "得", BONUS: "加", DEDUCTION: "扣"}

#: What a binding may name as the source of a value: a fiscal ratio key or a survey group.
BINDING_SOURCES = ("ratio", "survey")

POINTS = "points"
SHARE = "share"
UNITS = (POINTS, SHARE)

POSITIVE = "positive"
NEGATIVE = "negative"
AT_LEAST = "at_least"
AT_MOST = "at_most"

STEPS_EXACT = "exact"  # partial steps count pro rata (the default)
STEPS_CEIL = "ceil"  # every started step counts in full
STEPS_FLOOR = "floor"  # only complete steps count
STEP_MODES = (STEPS_EXACT, STEPS_CEIL, STEPS_FLOOR)

MAX_DEPTH = 3
FULL_MARKS = Decimal("100")
ZERO = Decimal("0")

NOT_APPLICABLE_SENTENCE = "该指标不适用，不参与评分。"
UNSCORED_SENTENCE = "未评分。"

# The state of a scored node. Pages choose how to show a node from these, never
# by comparing the Chinese names (``NodeResult.status``).
SCORED = "scored"
OVERRIDDEN = "overridden"
UNSCORED = "unscored"
PARTLY_UNSCORED = "partly_unscored"
IN_ERROR = "error"
NOT_APPLICABLE = "not_applicable"
STATE_LABELS: dict[str, str] = {
    SCORED: "已评分",
    OVERRIDDEN: "已调整",
    UNSCORED: "未评分",
    PARTLY_UNSCORED: "部分未评分",
    IN_ERROR: "有误",
    NOT_APPLICABLE: "不适用",
}


class ScoringError(ValueError):
    """A problem the engine reports in Chinese; ``messages`` holds each one."""

    def __init__(self, messages: str | Sequence[str]) -> None:
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("；".join(self.messages))


class RuleError(ScoringError):
    """An indicator system, a rule or a setting that cannot be read."""


class InputError(ScoringError):
    """Judgment inputs or an override that cannot be scored."""


# --------------------------------------------------------------------------
# Exact numbers
# --------------------------------------------------------------------------


def _parse_exact(value: Any) -> Fraction:
    """Read a number, a decimal string or a fraction string (``"1/3"``) exactly."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, str) and "/" in value:
        top, _, bottom = value.partition("/")
        denominator = to_decimal(bottom)
        if denominator == ZERO:
            raise NumberError("分母为0")
        return Fraction(to_decimal(top)) / Fraction(denominator)
    return Fraction(to_decimal(value))


def _rounding_decimal(value: Fraction) -> Decimal:
    """Exact for terminating fractions; 60 digits otherwise, enough to round to 2 places correctly."""
    with localcontext() as context:
        context.prec = 60
        return Decimal(value.numerator) / Decimal(value.denominator)


def _full_decimal(value: Fraction) -> Decimal:
    """A fraction at the ordinary Decimal precision, for rates kept unrounded."""
    return Decimal(value.numerator) / Decimal(value.denominator)


def _round(value: Fraction) -> Decimal:
    """The single rounding of an exact value (half up, two decimals)."""
    return round_half_up(_rounding_decimal(value))


def _is_terminating(value: Fraction) -> bool:
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


def _show(value: Fraction | Decimal) -> str:
    """A rule or input number as written: ``4``, ``487.29``, ``1/3``."""
    if isinstance(value, Decimal):
        return format_plain(value)
    if _is_terminating(value):
        return format_plain(_rounding_decimal(value))
    return f"{value.numerator}/{value.denominator}"


def _show_share(share: Fraction) -> str:
    """A share of W in the seeds' wording: ``25%`` when exact, else ``1/3``."""
    hundredths = share * 100
    if (hundredths * 100).denominator == 1:
        return f"{format_plain(_rounding_decimal(hundredths))}%"
    return f"{share.numerator}/{share.denominator}"


def _show_percent(value: Fraction) -> str:
    """A rate with two decimals and a %: ``93.32%``."""
    return format_percent(_rounding_decimal(value))


# --------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeBand:
    """A grade reached at ``min`` points and above (the lower bound is included)."""

    min: Decimal
    grade: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "min", to_decimal(self.min))


@dataclass(frozen=True)
class Tier:
    """A qualitative tier and its range of shares (%), both ends included."""

    name: str
    low: Decimal
    high: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "low", to_decimal(self.low))
        object.__setattr__(self, "high", to_decimal(self.high))


@dataclass(frozen=True)
class ExecutionCap:
    """自评表: an execution rate (%) strictly below ``below`` caps the total at ``cap``."""

    below: Decimal
    cap: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "below", to_decimal(self.below))
        object.__setattr__(self, "cap", to_decimal(self.cap))


DEFAULT_GRADE_BANDS: tuple[GradeBand, ...] = (
    GradeBand(Decimal("90"), "优"),
    GradeBand(Decimal("80"), "良"),
    GradeBand(Decimal("60"), "中"),
    GradeBand(Decimal("0"), "差"),
)
DEFAULT_TIERS: tuple[Tier, ...] = (
    Tier("达成", Decimal("80"), Decimal("100")),
    Tier("部分达成", Decimal("60"), Decimal("80")),
    Tier("未达成", Decimal("0"), Decimal("60")),
)
DEFAULT_EXECUTION_CAPS: tuple[ExecutionCap, ...] = (
    ExecutionCap(Decimal("80"), Decimal("89")),
    ExecutionCap(Decimal("70"), Decimal("79")),
    ExecutionCap(Decimal("60"), Decimal("69")),
    ExecutionCap(Decimal("50"), Decimal("59")),
)


@dataclass(frozen=True)
class ScoringSettings:
    """Rules that vary by province or contract; the defaults are the national ones."""

    grade_bands: tuple[GradeBand, ...] = DEFAULT_GRADE_BANDS
    tiers: tuple[Tier, ...] = DEFAULT_TIERS
    over_achievement_threshold: Decimal = Decimal("30")
    execution_cap: bool = False
    execution_rate: Decimal | None = None
    execution_caps: tuple[ExecutionCap, ...] = DEFAULT_EXECUTION_CAPS

    def __post_init__(self) -> None:
        object.__setattr__(self, "grade_bands", tuple(self.grade_bands))
        object.__setattr__(self, "tiers", tuple(self.tiers))
        object.__setattr__(self, "execution_caps", tuple(self.execution_caps))
        object.__setattr__(self, "over_achievement_threshold", to_decimal(self.over_achievement_threshold))
        if self.execution_rate is not None:
            object.__setattr__(self, "execution_rate", to_decimal(self.execution_rate))


def grade_for(total: Decimal, bands: Sequence[GradeBand] = DEFAULT_GRADE_BANDS) -> str:
    """The grade of ``total``: the highest band whose lower bound it reaches (89.99 → 良)."""
    ordered = sorted(bands, key=lambda band: band.min, reverse=True)
    if not ordered:
        raise RuleError("设置：缺少等级划分")
    for band in ordered:
        if total >= band.min:
            return band.grade
    return ordered[-1].grade


def execution_cap_for(rate: Decimal, caps: Sequence[ExecutionCap] = DEFAULT_EXECUTION_CAPS) -> Decimal | None:
    """The lowest cap whose ``below`` the execution rate falls under; ``None`` when none applies."""
    caps_hit = [cap.cap for cap in caps if rate < cap.below]
    return min(caps_hit) if caps_hit else None


# --------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistRule:
    """W × the shares of the points met (equal shares when ``shares`` is absent)."""

    kind: ClassVar[str] = "checklist"
    items: int
    shares: tuple[Fraction, ...] | None = None

    def share_list(self) -> tuple[Fraction, ...]:
        return self.shares or (Fraction(1, self.items),) * self.items


@dataclass(frozen=True)
class DeductRule:
    """W − failures × amount, floor 0; the amount is points or a share of W."""

    kind: ClassVar[str] = "deduct"
    per_failure: Fraction
    unit: str
    items: int | None = None


@dataclass(frozen=True)
class RatioRule:
    """W × min(actual/target, 1), or target/actual for a ≤-target indicator."""

    kind: ClassVar[str] = "ratio"
    direction: str = POSITIVE


@dataclass(frozen=True)
class RateDeviationRule:
    """Full inside the threshold, else a deduction per ``per`` percentage points."""

    kind: ClassVar[str] = "rate_deviation"
    threshold: Decimal
    direction: str
    step: Fraction
    unit: str
    per: Decimal = Decimal("1")
    absolute: bool = False
    zero_above: Decimal | None = None
    steps: str = STEPS_EXACT
    label: str = ""


@dataclass(frozen=True)
class Band:
    """One row of a bands table: values at or above ``min`` score ``score``."""

    min: Decimal
    score: Fraction


@dataclass(frozen=True)
class BandsRule:
    """The score of the first band (highest first) whose ``min`` the value reaches."""

    kind: ClassVar[str] = "bands"
    bands: tuple[Band, ...]
    unit: str = POINTS
    else_score: Fraction = Fraction(0)
    label: str = ""
    percent: bool = True


@dataclass(frozen=True)
class YesNoRule:
    """W or 0."""

    kind: ClassVar[str] = "yes_no"


@dataclass(frozen=True)
class TierRule:
    """W × share / 100, the share lying inside the chosen tier's range."""

    kind: ClassVar[str] = "tier"
    tiers: tuple[Tier, ...] | None = None


@dataclass(frozen=True)
class JudgmentRule:
    """The evaluator's score, which must lie in [0, W]."""

    kind: ClassVar[str] = "judgment"


Rule = ChecklistRule | DeductRule | RatioRule | RateDeviationRule | BandsRule | YesNoRule | TierRule | JudgmentRule


class _RuleFields:
    """Reads the fields of one rule dict; every error names the indicator code."""

    def __init__(self, data: Mapping[str, Any], code: str) -> None:
        self.data = data
        self.code = code

    def error(self, text: str) -> RuleError:
        return RuleError(f"{self.code}：{text}")

    def has(self, name: str) -> bool:
        return self.data.get(name) not in (None, "")

    def required(self, name: str) -> Any:
        if not self.has(name):
            raise self.error(f"规则缺少{name}")
        return self.data[name]

    def exact_value(self, value: Any, name: str) -> Fraction:
        try:
            return _parse_exact(value)
        except NumberError:
            raise self.error(f"规则字段{name}不是有效的数字：{value!r}") from None

    def exact(self, name: str, default: Fraction | None = None) -> Fraction:
        if not self.has(name) and default is not None:
            return default
        value = self.exact_value(self.required(name), name)
        if value < 0:
            raise self.error(f"规则字段{name}不能为负数")
        return value

    def decimal_value(self, value: Any, name: str) -> Decimal:
        try:
            return to_decimal(value)
        except NumberError:
            raise self.error(f"规则字段{name}不是有效的数字：{value!r}") from None

    def decimal(self, name: str, default: Decimal | None = None) -> Decimal:
        if not self.has(name) and default is not None:
            return default
        return self.decimal_value(self.required(name), name)

    def optional_decimal(self, name: str) -> Decimal | None:
        return self.decimal(name) if self.has(name) else None

    def positive_integer(self, name: str, *, required: bool = True) -> int | None:
        if not required and not self.has(name):
            return None
        value = self.required(name)
        number = None if isinstance(value, bool) else self.exact_value(value, name)
        if number is None or number.denominator != 1 or number <= 0:
            raise self.error(f"规则字段{name}应为正整数")
        return int(number)

    def choice(self, name: str, options: Sequence[str], default: str | None = None) -> str:
        if not self.has(name) and default is not None:
            return default
        value = self.required(name)
        if value not in options:
            allowed = "、".join(options[:-1]) + f"或{options[-1]}"
            raise self.error(f"规则字段{name}应为{allowed}")
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            raise self.error(f"规则字段{name}应为true或false")
        return value

    def text(self, name: str) -> str:
        value = self.data.get(name) or ""
        if not isinstance(value, str):
            raise self.error(f"规则字段{name}应为文字")
        return value.strip()

    def list_of(self, name: str) -> list[Any]:
        value = self.required(name)
        if not isinstance(value, list) or not value:
            raise self.error(f"规则字段{name}应为非空列表")
        return value


def _parse_checklist(fields: _RuleFields) -> ChecklistRule:
    items = fields.positive_integer("items")
    if not fields.has("shares"):
        return ChecklistRule(items=items)
    shares = tuple(fields.exact_value(value, "shares") for value in fields.list_of("shares"))
    if len(shares) != items:
        raise fields.error(f"shares的个数（{len(shares)}）应与items（{items}）一致")
    if any(share < 0 for share in shares):
        raise fields.error("shares不能为负数")
    if sum(shares) != 1:
        raise fields.error(f"shares之和应为1，现为{_show(sum(shares))}")
    return ChecklistRule(items=items, shares=shares)


def _parse_deduct(fields: _RuleFields) -> DeductRule:
    return DeductRule(
        per_failure=fields.exact("per_failure"),
        unit=fields.choice("unit", UNITS),
        items=fields.positive_integer("items", required=False),
    )


def _parse_ratio(fields: _RuleFields) -> RatioRule:
    return RatioRule(direction=fields.choice("direction", (POSITIVE, NEGATIVE), POSITIVE))


def _parse_rate_deviation(fields: _RuleFields) -> RateDeviationRule:
    per = fields.decimal("per", Decimal("1"))
    if per <= 0:
        raise fields.error("规则字段per应大于0")
    return RateDeviationRule(
        threshold=fields.decimal("threshold"),
        direction=fields.choice("direction", (AT_LEAST, AT_MOST)),
        step=fields.exact("step"),
        unit=fields.choice("unit", UNITS),
        per=per,
        absolute=fields.flag("abs"),
        zero_above=fields.optional_decimal("zero_above"),
        steps=fields.choice("steps", STEP_MODES, STEPS_EXACT),
        label=fields.text("label"),
    )


def _parse_band(fields: _RuleFields, value: Any) -> Band:
    if not isinstance(value, Mapping) or "min" not in value or "score" not in value:
        raise fields.error("bands的每一档应包含min和score")
    band_score = fields.exact_value(value["score"], "bands.score")
    if band_score < 0:
        raise fields.error("bands的得分不能为负数")
    return Band(min=fields.decimal_value(value["min"], "bands.min"), score=band_score)


def _parse_bands(fields: _RuleFields) -> BandsRule:
    bands = tuple(_parse_band(fields, value) for value in fields.list_of("bands"))
    if any(lower.min >= higher.min for higher, lower in itertools.pairwise(bands)):
        raise fields.error("bands应按min从高到低排列且不重复")
    return BandsRule(
        bands=bands,
        unit=fields.choice("unit", UNITS, POINTS),
        else_score=fields.exact("else", Fraction(0)),
        label=fields.text("label"),
        percent=fields.flag("percent", True),
    )


def _parse_tier(fields: _RuleFields) -> TierRule:
    if not fields.has("tiers"):
        return TierRule()
    try:
        return TierRule(tiers=_tiers_from_lists(fields.list_of("tiers")))
    except RuleError as exc:
        raise fields.error(str(exc)) from None


def _parse_nothing(rule: Rule) -> Callable[[_RuleFields], Rule]:
    return lambda fields: rule


def rule_from_dict(data: Mapping[str, Any], code: str = "") -> Rule:
    """Parse one ``rule`` object of RULES.md; raise :class:`RuleError` naming ``code``."""
    if not isinstance(data, Mapping):
        raise RuleError(f"{code}：规则应为对象")
    kind = data.get("kind")
    if not kind:
        raise RuleError(f"{code}：规则缺少kind")
    spec = RULE_KINDS.get(kind)
    if spec is None:
        raise RuleError(f"{code}：未知的规则类型“{kind}”")
    unknown = sorted(set(data) - spec.fields - {"kind"})
    if unknown:
        raise RuleError(f"{code}：规则含有未知字段{'、'.join(unknown)}")
    return spec.parse(_RuleFields(data, code))


# --------------------------------------------------------------------------
# The indicator tree
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """One node of the tree; a node without children is scored by its rule.

    ``rule`` may be given as a RULES.md dict; it is parsed on construction.
    A leaf without a rule is scored as ``judgment``. ``binding`` names where
    a leaf's value comes from (``{"ratio": key}`` or ``{"survey": group}``);
    which input it feeds follows from the rule kind (:func:`bound_input`), and
    a rule that takes no bound input cannot be bound.
    """

    code: str
    name: str
    weight: Decimal
    kind: str = NORMAL
    rule: Rule | None = None
    applicable: bool = True
    children: tuple[Indicator, ...] = ()
    binding: Mapping[str, str] | None = None
    explanation: str = ""
    basis: str = ""
    target: str = ""
    criteria: str = ""

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "weight", to_decimal(self.weight))
        except NumberError:
            raise RuleError(f"{self.code}：权重不是有效的数字：{self.weight!r}") from None
        if self.kind not in INDICATOR_KINDS:
            raise RuleError(f"{self.code}：未知的指标类型“{self.kind}”")
        object.__setattr__(self, "children", tuple(self.children))
        if isinstance(self.rule, Mapping):
            object.__setattr__(self, "rule", rule_from_dict(self.rule, self.code))
        object.__setattr__(self, "binding", self._checked_binding())

    def _checked_binding(self) -> Mapping[str, str] | None:
        binding = self.binding
        if not binding:
            return None
        if not isinstance(binding, Mapping):
            raise RuleError(f"{self.code}：数据来源应为对象")
        unknown = sorted(set(binding) - set(BINDING_SOURCES))
        if unknown:
            raise RuleError(f"{self.code}：数据来源含有未知字段{'、'.join(unknown)}")
        named = [key for key in BINDING_SOURCES if binding.get(key)]
        if len(named) != 1 or not isinstance(binding[named[0]], str):
            raise RuleError(f"{self.code}：数据来源应写明一个ratio或survey")
        if self.children:
            raise RuleError(f"{self.code}：有下级指标的指标不能设置数据来源")
        kind = rule_kind_of(self.rule)
        if bound_input(kind) is None:
            raise RuleError(f"{self.code}：评分规则“{RULE_KINDS[kind].label}”没有可取自数据的输入，不能设置数据来源")
        return {named[0]: binding[named[0]]}

    @property
    def is_leaf(self) -> bool:
        return not self.children


_TEXT_FIELDS = ("explanation", "basis", "target", "criteria")


def _indicator_from_dict(data: Any, errors: list[str], where: str) -> Indicator | None:
    """One indicator dict and its children; problems go to ``errors``."""
    if not isinstance(data, Mapping):
        errors.append(f"{where}：应为对象")
        return None
    code = str(data.get("code") or "").strip()
    if not code:
        errors.append(f"{where}：缺少code")
        return None
    if data.get("weight") in (None, ""):
        errors.append(f"{code}：缺少weight")
        return None
    raw_children = data.get("children") or []
    if not isinstance(raw_children, list):
        errors.append(f"{code}：children应为列表")
        raw_children = []
    children = [
        _indicator_from_dict(child, errors, f"{code}的第{index}个下级指标")
        for index, child in enumerate(raw_children, start=1)
    ]
    applicable = data.get("applicable", True)
    if not isinstance(applicable, bool):
        errors.append(f"{code}：applicable应为true或false")
        return None
    try:
        return Indicator(
            code=code,
            name=str(data.get("name") or ""),
            weight=data["weight"],
            kind=data.get("kind") or NORMAL,
            rule=data.get("rule"),
            applicable=applicable,
            children=tuple(child for child in children if child is not None),
            binding=data.get("binding"),
            **{name: str(data.get(name) or "") for name in _TEXT_FIELDS},
        )
    except ScoringError as exc:
        errors.extend(exc.messages)
        return None


def indicators_from_dicts(items: Sequence[Mapping[str, Any]]) -> list[Indicator]:
    """Parse the ``indicators`` list of a system file; raise :class:`RuleError` listing every problem."""
    errors: list[str] = []
    tree = [_indicator_from_dict(item, errors, f"第{index}个一级指标") for index, item in enumerate(items, start=1)]
    if errors:
        raise RuleError(errors)
    return [indicator for indicator in tree if indicator is not None]


def _tiers_from_lists(rows: Any) -> tuple[Tier, ...]:
    if not isinstance(rows, (list, tuple)) or not rows:
        raise RuleError("档次应为非空列表")
    tiers = []
    for row in rows:
        if not isinstance(row, (list, tuple)) or len(row) != 3:
            raise RuleError("档次应写成[名称, 下限, 上限]")
        name, low, high = row
        try:
            tier = Tier(str(name), low, high)
        except NumberError:
            raise RuleError(f"档次“{name}”的区间不是有效的数字") from None
        if not ZERO <= tier.low <= tier.high <= FULL_MARKS:
            raise RuleError(f"档次“{name}”的区间应在0至100之间且下限不大于上限")
        tiers.append(tier)
    return tuple(tiers)


def _pairs(data: Mapping[str, Any], name: str) -> list[tuple[Any, Any]]:
    rows = data.get(name)
    if not isinstance(rows, list) or not all(isinstance(row, (list, tuple)) and len(row) == 2 for row in rows):
        raise RuleError(f"设置：{name}应为由两项组成的列表")
    return [tuple(row) for row in rows]


def settings_from_dict(data: Mapping[str, Any] | None) -> ScoringSettings:
    """Parse the ``settings`` object of a system file; absent keys keep the defaults."""
    if not data:
        return ScoringSettings()
    values: dict[str, Any] = {}
    try:
        if data.get("grade_bands"):
            values["grade_bands"] = tuple(GradeBand(low, str(grade)) for low, grade in _pairs(data, "grade_bands"))
        if data.get("execution_caps"):
            values["execution_caps"] = tuple(ExecutionCap(below, cap) for below, cap in _pairs(data, "execution_caps"))
        for name in ("over_achievement_threshold", "execution_rate"):
            if data.get(name) not in (None, ""):
                values[name] = to_decimal(data[name])
    except NumberError as exc:
        raise RuleError(f"设置：{exc}") from None
    if data.get("tiers"):
        try:
            values["tiers"] = _tiers_from_lists(data["tiers"])
        except RuleError as exc:
            raise RuleError(f"设置：{exc}") from None
    execution_cap = data.get("execution_cap", False)
    if not isinstance(execution_cap, bool):
        raise RuleError("设置：execution_cap应为true或false")
    return ScoringSettings(execution_cap=execution_cap, **values)


# --------------------------------------------------------------------------
# Tree validation
# --------------------------------------------------------------------------


def _walk_indicators(
    nodes: Sequence[Indicator], level: int = 1, parent: Indicator | None = None
) -> Iterator[tuple[Indicator, int, Indicator | None]]:
    for node in nodes:
        yield node, level, parent
        yield from _walk_indicators(node.children, level + 1, node)


def _structure_errors(node: Indicator, level: int, parent: Indicator | None) -> list[str]:
    """Kind, depth and placement problems of one node."""
    errors = []
    code = node.code
    if level > MAX_DEPTH:
        errors.append(f"{code}：指标层级超过三级")
    if node.children and node.rule is not None:
        errors.append(f"{code}：有下级指标的指标不能设置评分规则")
    if node.kind in (BONUS, DEDUCTION):
        if node.children:
            errors.append(f"{code}：加分项、减分项应为末级指标")
        if parent is not None and parent.kind != ADJUSTMENT:
            errors.append(f"{code}：加分项、减分项应放在加减分项之下")
    if node.kind == ADJUSTMENT:
        if not node.children:
            errors.append(f"{code}：加减分项应包含加分项或减分项")
        if node.weight != ZERO:
            errors.append(f"{code}：加减分项的权重应为0")
    if node.kind == NORMAL and parent is not None and parent.kind == ADJUSTMENT:
        errors.append(f"{code}：加减分项之下只能放加分项、减分项")
    if node.kind == ADJUSTMENT and parent is not None and parent.kind != ADJUSTMENT:
        errors.append(f"{code}：加减分项不能放在普通指标之下")
    return errors


def _weight_errors(node: Indicator) -> list[str]:
    errors = []
    code = node.code
    if node.weight < 0:
        errors.append(f"{code}：权重不能为负数")
    if node.weight != round_half_up(node.weight):
        errors.append(f"{code}：权重最多保留两位小数")
    if node.children and node.kind == NORMAL:
        total = sum((child.weight for child in node.children), ZERO)
        if total != node.weight:
            errors.append(f"{code}：下级指标权重之和为{format_plain(total)}，应等于本级权重{format_plain(node.weight)}")
    return errors


def _rule_weight_errors(node: Indicator) -> list[str]:
    """A rule that could never fit its weight (a band above W)."""
    rule = node.rule
    if isinstance(rule, BandsRule):
        limit = Fraction(1) if rule.unit == SHARE else Fraction(node.weight)
        for band_score in [band.score for band in rule.bands] + [rule.else_score]:
            if band_score > limit:
                return [f"{node.code}：分档得分{_show(band_score)}超过权重{format_plain(node.weight)}"]
    return []


def validate_tree(tree: Sequence[Indicator]) -> list[str]:
    """Every problem of a tree as a Chinese message; an empty list means valid."""
    errors: list[str] = []
    seen: set[str] = set()
    for node, level, parent in _walk_indicators(tree):
        if node.code in seen:
            errors.append(f"{node.code}：编码重复")
        seen.add(node.code)
        errors.extend(_structure_errors(node, level, parent))
        errors.extend(_weight_errors(node))
        errors.extend(_rule_weight_errors(node))
    first_level = sum((node.weight for node in tree if node.kind == NORMAL), ZERO)
    if first_level != FULL_MARKS:
        errors.append(f"一级指标权重之和为{format_plain(first_level)}，应为100")
    return errors


# --------------------------------------------------------------------------
# Judgments
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Override:
    """The evaluation team's score replacing the computed one, with its reason."""

    score: Decimal
    reason: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "score", to_decimal(self.score))


@dataclass(frozen=True)
class Bound:
    """A value a leaf takes from data instead of typing it (a fiscal ratio, a survey rate).

    The caller reads it from its source and passes it with the name the
    drafted sentence gives it (``预算执行率``, ``满意度``): the engine knows no
    source, only which input each rule kind lets a bound value feed
    (:func:`bound_input`). ``value`` is ``None`` when the source cannot give
    one; the evaluator's typed input is then used.
    """

    label: str
    value: Decimal | None = None

    def __post_init__(self) -> None:
        if self.value is not None:
            object.__setattr__(self, "value", to_decimal(self.value))


@dataclass(frozen=True)
class Judgment:
    """The inputs typed for one leaf (per RULES.md), the value bound from data, and an optional override."""

    inputs: Mapping[str, Any] = field(default_factory=dict)
    override: Override | None = None
    bound: Bound | None = None

    def inputs_for(self, rule_kind: str) -> Mapping[str, Any]:
        """The inputs a rule of ``rule_kind`` reads: the typed ones with the bound value laid over its input."""
        key = bound_input(rule_kind)
        if key is None or self.bound is None or self.bound.value is None:
            return self.inputs
        return {**self.inputs, key: self.bound.value}


def _bound_from_dict(data: Any, code: str) -> Bound | None:
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise InputError(f"{code}：bound应为对象")
    try:
        return Bound(str(data.get("label") or ""), data.get("value"))
    except NumberError:
        raise InputError(f"{code}：取自数据的值不是有效的数字：{data.get('value')!r}") from None


def judgment_from_dict(data: Mapping[str, Any], code: str = "") -> Judgment:
    """Parse one entry of a scores file's ``judgments`` (``inputs``, ``bound``, ``override``; ``process`` ignored)."""
    if not isinstance(data, Mapping):
        raise InputError(f"{code}：评分记录应为对象")
    inputs = data.get("inputs") or {}
    if not isinstance(inputs, Mapping):
        raise InputError(f"{code}：inputs应为对象")
    bound = _bound_from_dict(data.get("bound"), code)
    raw_override = data.get("override")
    if raw_override is None:
        return Judgment(inputs=inputs, bound=bound)
    if not isinstance(raw_override, Mapping) or raw_override.get("score") in (None, ""):
        raise InputError(f"{code}：调整得分缺少score")
    try:
        override = Override(raw_override["score"], str(raw_override.get("reason") or ""))
    except NumberError:
        raise InputError(f"{code}：调整得分不是有效的数字：{raw_override['score']!r}") from None
    return Judgment(inputs=inputs, override=override, bound=bound)


def judgments_from_dict(data: Mapping[str, Any]) -> dict[str, Judgment]:
    """Parse a scores file's ``judgments`` object; raise :class:`InputError` listing every problem."""
    errors: list[str] = []
    judgments: dict[str, Judgment] = {}
    for code, entry in data.items():
        try:
            judgments[code] = judgment_from_dict(entry, code)
        except InputError as exc:
            errors.extend(exc.messages)
    if errors:
        raise InputError(errors)
    return judgments


# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class NodeResult:
    """The result of one node, at any level.

    ``score`` is the final score (after an override; ``None`` when 未评分, not
    applicable or in error); ``computed_score`` is what the rule gave. For a
    deduction item both are the points taken off (see ``contribution``).
    ``rate`` is the 得分率 at full precision (score / applicable weight × 100),
    ``None`` for weight 0; print it with ``rate_text``. ``sentence`` is the
    drafted 评分过程 for a leaf and the summary sentence for a parent.
    """

    code: str
    name: str
    level: int
    kind: str
    weight: Decimal
    applicable: bool
    applicable_weight: Decimal
    score: Decimal | None
    computed_score: Decimal | None
    rate: Decimal | None
    sentence: str
    composition: str = ""
    overridden: bool = False
    override_reason: str = ""
    deviation: Decimal | None = None
    deviation_flagged: bool = False
    notes: tuple[str, ...] = ()
    error: str | None = None
    unscored_count: int = 0
    children: tuple[NodeResult, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def contribution(self) -> Decimal:
        """What the node adds to its parent: a deduction item counts negative, 未评分 counts 0."""
        value = self.score if self.score is not None and self.applicable else ZERO
        return ZERO - value if self.kind == DEDUCTION else value

    @property
    def rate_text(self) -> str:
        return format_percent(self.rate)

    @property
    def state(self) -> str:
        """One of the node states (``SCORED``, ``OVERRIDDEN``, ``UNSCORED``, ``PARTLY_UNSCORED``, ``IN_ERROR``, ``NOT_APPLICABLE``)."""
        if not self.applicable:
            return NOT_APPLICABLE
        if self.error:
            return IN_ERROR
        if self.unscored_count:
            return UNSCORED if self.is_leaf else PARTLY_UNSCORED
        return OVERRIDDEN if self.overridden else SCORED

    @property
    def status(self) -> str:
        """The state's Chinese name, as pages print it."""
        return STATE_LABELS[self.state]

    def walk(self) -> Iterator[NodeResult]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class SummaryRow:
    """One row of the first-level table (权重分, 得分, 得分率); the last row is 合计."""

    code: str
    name: str
    weight: Decimal
    score: Decimal
    rate: Decimal | None

    @property
    def rate_text(self) -> str:
        return format_percent(self.rate)


@dataclass(frozen=True)
class EvaluationResult:
    """Everything a view, a check or a renderer needs; no caller adds numbers itself.

    ``base_score`` is the sum of the applicable first-level normal rows and
    ``applicable_weight`` the sum of their applicable weights. ``scaled_score``
    equals ``base_score`` unless something was not applicable, in which case it
    is ``base_score / applicable_weight × 100`` rounded once. Then
    ``total_before_cap = scaled_score + bonus − deduction`` and ``total`` is
    that, capped by the 自评表 execution cap when the setting is on.
    """

    nodes: tuple[NodeResult, ...]
    base_score: Decimal
    applicable_weight: Decimal
    designed_weight: Decimal
    scaled_score: Decimal
    bonus: Decimal
    deduction: Decimal
    total_before_cap: Decimal
    total: Decimal
    cap: Decimal | None
    grade: str
    unscored: tuple[str, ...]
    flagged: tuple[str, ...]
    errors: tuple[str, ...]
    execution_rate_used: Decimal | None = None

    @property
    def rescaled(self) -> bool:
        return self.applicable_weight != self.designed_weight

    @property
    def capped(self) -> bool:
        return self.total != self.total_before_cap

    @property
    def unscored_count(self) -> int:
        return len(self.unscored)

    @property
    def applicable_leaf_count(self) -> int:
        return sum(1 for node in self.walk() if node.is_leaf and node.applicable)

    @property
    def scored_count(self) -> int:
        return self.applicable_leaf_count - len(self.unscored)

    @property
    def progress_percent(self) -> int:
        """Scored share of the applicable third-level indicators, a whole percent for a progress bar."""
        if not self.applicable_leaf_count:
            return 0
        return int(round_half_up(Decimal(self.scored_count * 100) / self.applicable_leaf_count, 0))

    @property
    def incomplete(self) -> bool:
        """True while a leaf has no score or anything is in error: not ready for sign-off."""
        return bool(self.unscored or self.errors)

    def walk(self) -> Iterator[NodeResult]:
        for node in self.nodes:
            yield from node.walk()

    def node(self, code: str) -> NodeResult:
        for candidate in self.walk():
            if candidate.code == code:
                return candidate
        raise KeyError(code)

    @property
    def closing_rows(self) -> tuple[SummaryRow, ...]:
        """The rows that close every score table, so a table's last figure is always ``total``.

        合计 is the sum of the rows above it (applicable normal weight; the
        leaves' contributions, 加减分 included). Only when they change the
        figure follow 折算为百分制 (not-applicable indicators left out) and the
        自评表 execution cap. Tables of the same result end the same way.
        """
        first_level = self._first_level_rows()
        weight = sum((row.weight for row in first_level), ZERO)
        row_total = sum((row.score for row in first_level), ZERO)
        rows = [SummaryRow("", "合计", weight, row_total, percent(row_total, weight))]
        if self.rescaled:
            rows.append(
                SummaryRow("", "折算为百分制", FULL_MARKS, self.total_before_cap, percent(self.total_before_cap, FULL_MARKS))
            )
        if self.capped:
            label = f"总分上限（预算执行率{format_percent(self.execution_rate_used)}）"
            rows.append(SummaryRow("", label, FULL_MARKS, self.total, percent(self.total, FULL_MARKS)))
        return tuple(rows)

    def _first_level_rows(self) -> list[SummaryRow]:
        return [_summary_row(node) for node in self.nodes if node.applicable]

    @property
    def summary(self) -> tuple[SummaryRow, ...]:
        """The first-level table: one row per applicable first-level node, then :attr:`closing_rows`."""
        return (*self._first_level_rows(), *self.closing_rows)

    @property
    def conclusion(self) -> str:
        """The result sentence in the seeds' voice."""
        parts = []
        if self.rescaled:
            parts.append(
                f"剔除不适用指标后，适用指标权重合计{format_amount(self.applicable_weight)}分，"
                f"得分{format_amount(self.base_score)}分，折算为百分制{format_amount(self.scaled_score)}分。"
            )
        if self.capped:
            parts.append(
                f"预算执行率{format_percent(self.execution_rate_used)}，总分上限为{format_amount(self.cap)}分。"
            )
        parts.append(f"最终评分结果：{format_amount(self.total)}分，绩效评级为“{self.grade}”。")
        if self.unscored:
            parts.append(f"（尚有{len(self.unscored)}项指标未评分）")
        return "".join(parts)


def _summary_row(node: NodeResult) -> SummaryRow:
    """A first-level row; 加减分 rows carry no weight (they sit outside the 100) and no rate."""
    if node.kind == NORMAL:
        return SummaryRow(node.code, node.name, node.applicable_weight, node.contribution, node.rate)
    return SummaryRow(node.code, node.name, ZERO, node.contribution, None)


# --------------------------------------------------------------------------
# Leaf scoring: one scorer per rule kind
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Leaf:
    """What a scorer needs about one leaf."""

    code: str
    kind: str
    weight: Fraction
    weight_decimal: Decimal
    rule: Any
    inputs: Mapping[str, Any]
    settings: ScoringSettings
    label: str


@dataclass(frozen=True)
class _Outcome:
    score: Decimal
    sentence: str
    deviation: Decimal | None = None
    flagged: bool = False
    notes: tuple[str, ...] = ()


def _finish(raw: Fraction, leaf: _Leaf) -> Decimal:
    """Clamp an exact score to [0, W] and round it once."""
    return _round(min(max(raw, Fraction(0)), leaf.weight))


def _gained(leaf: _Leaf, value: Decimal) -> str:
    return f"{SCORE_VERBS.get(leaf.kind, SCORE_VERBS[NORMAL])}{format_amount(value)}分"


def _full(leaf: _Leaf) -> str:
    if leaf.kind == NORMAL:
        return f"得满分{format_amount(leaf.weight_decimal)}分"
    return _gained(leaf, leaf.weight_decimal)


def _missing(leaf: _Leaf, key: str) -> InputError:
    return InputError(f"{leaf.code}：缺少输入{key}")


def _number_input(leaf: _Leaf, key: str) -> Fraction:
    value = leaf.inputs.get(key)
    if value is None or value == "":
        raise _missing(leaf, key)
    try:
        return _parse_exact(value)
    except NumberError:
        raise InputError(f"{leaf.code}：输入{key}不是有效的数字：{value!r}") from None


def _bool_input(leaf: _Leaf, key: str) -> bool:
    value = leaf.inputs.get(key)
    if value is None:
        raise _missing(leaf, key)
    if not isinstance(value, bool):
        raise InputError(f"{leaf.code}：输入{key}应为true或false")
    return value


def _flags_input(leaf: _Leaf, key: str, count: int) -> list[bool]:
    value = leaf.inputs.get(key)
    if value is None:
        raise _missing(leaf, key)
    if not isinstance(value, (list, tuple)) or len(value) != count:
        raise InputError(f"{leaf.code}：输入{key}应为{count}个true/false")
    if not all(isinstance(item, bool) for item in value):
        raise InputError(f"{leaf.code}：输入{key}应为{count}个true/false")
    return list(value)


def _count_input(leaf: _Leaf, key: str) -> int:
    value = leaf.inputs.get(key)
    if value is None or value == "":
        raise _missing(leaf, key)
    try:
        number = None if isinstance(value, bool) else _parse_exact(value)
    except NumberError:
        number = None
    if number is None or number.denominator != 1 or number < 0:
        raise InputError(f"{leaf.code}：输入{key}应为非负整数")
    return int(number)


def _score_checklist(leaf: _Leaf) -> _Outcome:
    rule: ChecklistRule = leaf.rule
    met = _flags_input(leaf, "met", rule.items)
    shares_met = sum((share for share, ok in zip(rule.share_list(), met, strict=True) if ok), Fraction(0))
    value = _finish(leaf.weight * shares_met, leaf)
    text = f"{rule.items}项评价要点中符合{sum(met)}项"
    missed = [str(index) for index, ok in enumerate(met, start=1) if not ok]
    if missed:
        text += f"，第{'、'.join(missed)}项不符合"
    return _Outcome(value, f"{text}，{_gained(leaf, value)}。")


def _score_deduct(leaf: _Leaf) -> _Outcome:
    rule: DeductRule = leaf.rule
    failures = _count_input(leaf, "failures")
    if rule.items is not None and failures > rule.items:
        raise InputError(f"{leaf.code}：不符点数{failures}超过评价要点数{rule.items}")
    amount = rule.per_failure * (leaf.weight if rule.unit == SHARE else 1)
    raw = leaf.weight - failures * amount
    value = _finish(raw, leaf)
    if failures == 0:
        return _Outcome(value, f"未发现不符情况，{_full(leaf)}。")
    if rule.unit == SHARE:
        each = f"每处扣除权重分的{_show_share(rule.per_failure)}"
    else:
        each = f"每处扣{_show(rule.per_failure)}分"
    taken = "扣完为止" if raw < 0 else f"扣{format_amount(leaf.weight_decimal - value)}分"
    return _Outcome(value, f"存在{failures}处不符，{each}，{taken}，{_gained(leaf, value)}。")


def _ratio_deviation(leaf: _Leaf, actual: Fraction, target: Fraction) -> tuple[Decimal | None, bool, tuple[str, ...]]:
    """How far actual is from target (signed %), and whether it reaches the flag threshold."""
    threshold = leaf.settings.over_achievement_threshold
    advice = "请评价组判断是否调整得分并说明理由。"
    if target == 0:
        if actual == 0:
            return None, False, ()
        return None, True, (f"标杆值为0，无法计算偏离程度，{advice}",)
    deviation = (actual - target) / abs(target) * 100
    if abs(deviation) < Fraction(threshold):
        return _full_decimal(deviation), False, ()
    side = "高于" if deviation > 0 else "低于"
    note = f"实际完成值{side}标杆值{_show_percent(abs(deviation))}，达到{format_plain(threshold)}%的提示线，{advice}"
    return _full_decimal(deviation), True, (note,)


def _score_ratio(leaf: _Leaf) -> _Outcome:
    rule: RatioRule = leaf.rule
    actual = _number_input(leaf, "actual")
    target = _number_input(leaf, "target")
    positive = rule.direction == POSITIVE
    dividend, divisor = (actual, target) if positive else (target, actual)
    deviation, flagged, notes = _ratio_deviation(leaf, actual, target)
    facts = f"实际完成值{_show(actual)}，标杆值{_show(target)}"
    if divisor == 0:
        reached = actual >= target if positive else actual <= target
        value = _finish(leaf.weight if reached else Fraction(0), leaf)
        verdict = f"达到标杆值，{_full(leaf)}" if reached else f"未达到标杆值，{_gained(leaf, value)}"
        return _Outcome(value, f"{facts}，{verdict}。", deviation, flagged, notes)
    ratio = dividend / divisor
    used = min(max(ratio, Fraction(0)), Fraction(1))
    value = _finish(leaf.weight * used, leaf)
    rate_name = "完成率" if positive else "完成率（标杆值/实际完成值）"
    used_text = f"{format_plain(_round(used * 100))}%"
    sentence = (
        f"{facts}，{rate_name}{_show_percent(ratio * 100)}，"
        f"得分={format_plain(leaf.weight_decimal)}×{used_text}={format_amount(value)}分。"
    )
    return _Outcome(value, sentence, deviation, flagged, notes)


def _count_steps(deviation: Fraction, rule: RateDeviationRule) -> Fraction:
    steps = deviation / Fraction(rule.per)
    if rule.steps == STEPS_CEIL:
        return Fraction(math.ceil(steps))
    if rule.steps == STEPS_FLOOR:
        return Fraction(math.floor(steps))
    return steps


def _score_rate_deviation(leaf: _Leaf) -> _Outcome:
    rule: RateDeviationRule = leaf.rule
    rate = _number_input(leaf, "rate")
    compared = abs(rate) if rule.absolute else rate
    shown = f"{leaf.label}{_show_percent(rate)}"
    prefix = "绝对值" if rule.absolute else ""
    threshold = format_plain(rule.threshold)
    if rule.zero_above is not None and compared > Fraction(rule.zero_above):
        value = _finish(Fraction(0), leaf)
        sentence = f"{shown}，{prefix}高于{format_plain(rule.zero_above)}%，不得分，{_gained(leaf, value)}。"
        return _Outcome(value, sentence)
    at_least = rule.direction == AT_LEAST
    deviation = Fraction(rule.threshold) - compared if at_least else compared - Fraction(rule.threshold)
    if deviation <= 0:
        within = "不低于" if at_least else "不高于"
        return _Outcome(_finish(leaf.weight, leaf), f"{shown}，{prefix}{within}{threshold}%，{_full(leaf)}。")
    steps = _count_steps(deviation, rule)
    deduction = steps * rule.step * (leaf.weight if rule.unit == SHARE else 1)
    value = _finish(leaf.weight - deduction, leaf)
    verb = "偏离" if at_least else "超出"
    parts = [
        shown,
        f"{prefix}{'低于' if at_least else '高于'}{threshold}%",
        f"{verb}{format_amount(_rounding_decimal(deviation))}个百分点",
    ]
    amount = f"扣除权重分的{_show_share(rule.step)}" if rule.unit == SHARE else f"扣{_show(rule.step)}分"
    parts.append(f"每{verb}{format_plain(rule.per)}%{amount}")
    if rule.steps != STEPS_EXACT:
        parts.append(f"计{steps}档")
    if deduction == 0:
        parts.append(f"不扣分，{_full(leaf)}")
    else:
        parts.append("扣完为止" if deduction > leaf.weight else f"扣{format_amount(leaf.weight_decimal - value)}分")
        parts.append(_gained(leaf, value))
    return _Outcome(value, "，".join(parts) + "。")


def _score_bands(leaf: _Leaf) -> _Outcome:
    rule: BandsRule = leaf.rule
    observed = _number_input(leaf, "value")
    sign = "%" if rule.percent else ""
    shown = leaf.label + (_show_percent(observed) if rule.percent else _show(observed))
    scale = leaf.weight if rule.unit == SHARE else Fraction(1)
    upper = None
    for band in rule.bands:
        if observed >= Fraction(band.min):
            value = _finish(band.score * scale, leaf)
            where = f"≥{format_plain(band.min)}{sign}"
            if upper is not None:
                where += f"且<{format_plain(upper)}{sign}"
            return _Outcome(value, f"{shown}，处于{where}区间，{_gained(leaf, value)}。")
        upper = band.min
    value = _finish(rule.else_score * scale, leaf)
    return _Outcome(value, f"{shown}，低于{format_plain(upper)}{sign}，{_gained(leaf, value)}。")


def _score_yes_no(leaf: _Leaf) -> _Outcome:
    yes = _bool_input(leaf, "yes")
    value = _finish(leaf.weight if yes else Fraction(0), leaf)
    full = format_amount(leaf.weight_decimal)
    sentences = {
        (NORMAL, True): f"符合评价要点，得满分{full}分。",
        (NORMAL, False): f"不符合评价要点，{_gained(leaf, value)}。",
        (BONUS, True): f"符合加分条件，加{full}分。",
        (BONUS, False): "不符合加分条件，不加分。",
        (DEDUCTION, True): f"存在扣分情况，扣{full}分。",
        (DEDUCTION, False): "不存在扣分情况，不扣分。",
    }
    return _Outcome(value, sentences[(leaf.kind, yes)])


def _score_tier(leaf: _Leaf) -> _Outcome:
    rule: TierRule = leaf.rule
    name = leaf.inputs.get("tier")
    if not name:
        raise _missing(leaf, "tier")
    tiers = {tier.name: tier for tier in (rule.tiers or leaf.settings.tiers)}
    if name not in tiers:
        raise InputError(f"{leaf.code}：未知的档次“{name}”，应为{'、'.join(tiers)}之一")
    tier = tiers[name]
    share = _number_input(leaf, "share")
    span = f"{format_plain(tier.low)}%—{format_plain(tier.high)}%"
    if not Fraction(tier.low) <= share <= Fraction(tier.high):
        raise InputError(f"{leaf.code}：完成比例{_show(share)}%不在“{name}”档的{span}区间内")
    value = _finish(leaf.weight * share / 100, leaf)
    sentence = (
        f"评价为“{name}”（{span}），按{_show(share)}%计，"
        f"得分={format_plain(leaf.weight_decimal)}×{_show(share)}%={format_amount(value)}分。"
    )
    return _Outcome(value, sentence)


def _score_judgment(leaf: _Leaf) -> _Outcome:
    given = _number_input(leaf, "score")
    if not 0 <= given <= leaf.weight:
        raise InputError(f"{leaf.code}：得分{_show(given)}超出0至{format_plain(leaf.weight_decimal)}分的范围")
    value = _finish(given, leaf)
    return _Outcome(value, f"评价人员综合判断，{_gained(leaf, value)}。")


# --------------------------------------------------------------------------
# The rule kinds: one registry
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleKind:
    """Everything about one kind of rule: its Chinese name, its fields, how to read and apply it.

    ``bound_input`` is the judgment input a bound value (a fiscal ratio, a
    survey rate) feeds; ``None`` when the rule cannot take its input from data.
    """

    label: str
    fields: frozenset[str]
    parse: Callable[[_RuleFields], Rule]
    score: Callable[[_Leaf], _Outcome]
    bound_input: str | None = None


#: Every rule kind the engine knows, in the order the editor offers them. The
#: template editor, the labels on pages and the parser all read this registry.
RULE_KINDS: dict[str, RuleKind] = {
    "checklist": RuleKind(
        "要点计分（符合一项得一项）", frozenset({"items", "shares"}), _parse_checklist, _score_checklist
    ),
    "deduct": RuleKind("每处不符扣分", frozenset({"per_failure", "unit", "items"}), _parse_deduct, _score_deduct),
    "ratio": RuleKind("实际值与目标值之比", frozenset({"direction"}), _parse_ratio, _score_ratio, "actual"),
    "rate_deviation": RuleKind(
        "比率达标，偏离扣分",
        frozenset({"threshold", "direction", "step", "unit", "per", "abs", "zero_above", "steps", "label"}),
        _parse_rate_deviation,
        _score_rate_deviation,
        "rate",
    ),
    "bands": RuleKind(
        "分档计分", frozenset({"bands", "unit", "else", "label", "percent"}), _parse_bands, _score_bands, "value"
    ),
    "yes_no": RuleKind("是否符合（满分或零分）", frozenset(), _parse_nothing(YesNoRule()), _score_yes_no),
    "tier": RuleKind("定性分档（达成/部分达成/未达成）", frozenset({"tiers"}), _parse_tier, _score_tier),
    "judgment": RuleKind("评价人员综合判断", frozenset(), _parse_nothing(JudgmentRule()), _score_judgment),
}
DEFAULT_RULE_KIND = "judgment"


def rule_kind_of(rule: Rule | Mapping[str, Any] | None) -> str:
    """The kind of a parsed rule or a rule dict; a leaf without a rule is scored as ``judgment``."""
    if not rule:
        return DEFAULT_RULE_KIND
    if isinstance(rule, Mapping):
        return rule.get("kind") or DEFAULT_RULE_KIND
    return rule.kind


def bound_input(rule_kind: str) -> str | None:
    """The input of ``rule_kind`` that a bound value feeds, or ``None`` when the kind takes none."""
    spec = RULE_KINDS.get(rule_kind)
    return spec.bound_input if spec else None


def _label(indicator: Indicator, bound: Bound | None) -> str:
    """What a rate or value is called in a sentence: the rule's label, the bound value's, or the name."""
    own = getattr(indicator.rule, "label", "")
    if own:
        return own
    if bound is not None and bound.label:
        return bound.label
    return indicator.name


def _compute(
    indicator: Indicator, inputs: Mapping[str, Any], settings: ScoringSettings, bound: Bound | None
) -> _Outcome:
    rule = indicator.rule or JudgmentRule()
    leaf = _Leaf(
        code=indicator.code,
        kind=indicator.kind,
        weight=Fraction(indicator.weight),
        weight_decimal=indicator.weight,
        rule=rule,
        inputs=inputs,
        settings=settings,
        label=_label(indicator, bound),
    )
    return RULE_KINDS[rule.kind].score(leaf)


def _checked_override(indicator: Indicator, override: Override) -> tuple[Decimal, str]:
    """The rounded override score and its reason; both must be valid."""
    reason = override.reason.strip().rstrip("。")
    if not reason:
        raise InputError(f"{indicator.code}：调整得分必须说明理由")
    if not ZERO <= override.score <= indicator.weight:
        raise InputError(
            f"{indicator.code}：调整后的得分{format_plain(override.score)}"
            f"超出0至{format_plain(indicator.weight)}分的范围"
        )
    return round_half_up(override.score), reason


def _leaf_result(
    indicator: Indicator,
    level: int,
    judgment: Judgment | InputError | None,
    settings: ScoringSettings,
    applicable: bool,
) -> NodeResult:
    """Score one leaf; ``judgment`` is an :class:`InputError` when its entry could not be read."""
    common: dict[str, Any] = {
        "code": indicator.code,
        "name": indicator.name,
        "level": level,
        "kind": indicator.kind,
        "weight": indicator.weight,
    }
    if not applicable:
        return NodeResult(
            **common,
            applicable=False,
            applicable_weight=ZERO,
            score=None,
            computed_score=None,
            rate=None,
            sentence=NOT_APPLICABLE_SENTENCE,
        )
    common.update(applicable=True, applicable_weight=indicator.weight)
    outcome = None
    try:
        if isinstance(judgment, InputError):
            raise judgment
        inputs = judgment.inputs_for(rule_kind_of(indicator.rule)) if judgment is not None else {}
        if inputs:
            outcome = _compute(indicator, inputs, settings, judgment.bound)
        override = judgment.override if judgment is not None else None
        if override is not None:
            final, reason = _checked_override(indicator, override)
        elif outcome is not None:
            final, reason = outcome.score, ""
        else:
            final, reason = None, ""
    except ScoringError as exc:
        return NodeResult(
            **common,
            score=None,
            computed_score=outcome.score if outcome else None,
            rate=None,
            sentence=UNSCORED_SENTENCE,
            error=str(exc),
            unscored_count=1,
        )
    return NodeResult(
        **common,
        score=final,
        computed_score=outcome.score if outcome else None,
        rate=percent(final, indicator.weight) if final is not None else None,
        sentence=_leaf_sentence(outcome, final, reason, override is not None),
        overridden=override is not None,
        override_reason=reason,
        deviation=outcome.deviation if outcome else None,
        deviation_flagged=outcome.flagged if outcome else False,
        notes=outcome.notes if outcome else (),
        unscored_count=0 if final is not None else 1,
    )


def _leaf_sentence(outcome: _Outcome | None, final: Decimal | None, reason: str, overridden: bool) -> str:
    """The drafted 评分过程, with the evaluation team's adjustment appended."""
    if not overridden:
        return outcome.sentence if outcome else UNSCORED_SENTENCE
    if outcome is None:
        return f"评价组评定为{format_amount(final)}分，理由：{reason}。"
    return f"{outcome.sentence}（评价组调整为{format_amount(final)}分，理由：{reason}）"


def _as_judgment(entry: Judgment | Mapping[str, Any] | None, code: str) -> Judgment | InputError | None:
    """A judgment dataclass from either shape, or the error reading it."""
    if entry is None or isinstance(entry, Judgment):
        return entry
    try:
        return judgment_from_dict(entry, code)
    except InputError as exc:
        return exc


def score_indicator(
    indicator: Indicator,
    judgment: Judgment | Mapping[str, Any] | None = None,
    settings: ScoringSettings | None = None,
    level: int = 3,
) -> NodeResult:
    """Score one leaf on its own (a form or service checking one judgment); never raises on bad inputs."""
    return _leaf_result(
        indicator,
        level,
        _as_judgment(judgment, indicator.code),
        settings or ScoringSettings(),
        indicator.applicable,
    )


# --------------------------------------------------------------------------
# Parent nodes and sentences
# --------------------------------------------------------------------------


def _leaves_of(node: NodeResult, kind: str) -> Decimal:
    return sum(
        (
            leaf.score
            for leaf in node.walk()
            if leaf.is_leaf and leaf.kind == kind and leaf.applicable and leaf.score is not None
        ),
        ZERO,
    )


def _only(node: NodeResult, kind: str) -> bool:
    """Whether every leaf under ``node`` (or ``node`` itself) is of ``kind``."""
    return all(leaf.kind == kind for leaf in node.walk() if leaf.is_leaf)


def _parent_sentence(
    node_name: str,
    level: int,
    kind: str,
    weight: Decimal,
    value: Decimal,
    rate: Decimal | None,
    children: Sequence[NodeResult],
) -> str:
    """The summary sentence of a first- or second-level node, in the seeds' voice."""
    applicable = [child for child in children if child.applicable]
    if kind == ADJUSTMENT:
        bonus = sum((_leaves_of(child, BONUS) for child in applicable), ZERO)
        deduction = sum((_leaves_of(child, DEDUCTION) for child in applicable), ZERO)
        if level == 2 and not deduction and all(_only(child, BONUS) for child in applicable):
            return f"加分项加{format_amount(bonus)}分。"
        if level == 2 and not bonus and all(_only(child, DEDUCTION) for child in applicable):
            return f"减分项扣{format_amount(deduction)}分。"
        return f"加减分项加{format_amount(bonus)}分，扣{format_amount(deduction)}分。"
    figures = f"{format_amount(weight)}分，得分{format_amount(value)}分，得分率"
    if level == 1:
        grandchildren = [grand for child in applicable for grand in child.children if grand.applicable]
        counts = f"共包含{len(applicable)}个二级指标"
        if grandchildren:
            counts += f"，{len(grandchildren)}个三级指标"
        title = node_name if node_name.endswith("类") else f"{node_name}类"
        return f"{title}指标{counts}，权重分{figures}为{format_percent(rate)}。"
    subject = "该二级指标" if level == 2 else "该指标"
    return f"{subject}满分{figures}{format_percent(rate)}。"


def _composition(level: int, kind: str, children: Sequence[NodeResult]) -> str:
    """The second-level follow-up: 包括…N个三级指标。 (none for 加减分 containers)"""
    names = [child.name for child in children if child.applicable]
    if level != 2 or kind == ADJUSTMENT or not names:
        return ""
    return f"包括{'、'.join(names)}{len(names)}个三级指标。"


def _node_result(
    indicator: Indicator,
    level: int,
    judgments: Mapping[str, Judgment | InputError],
    settings: ScoringSettings,
    applicable_above: bool = True,
) -> NodeResult:
    applicable = applicable_above and indicator.applicable
    if indicator.is_leaf:
        return _leaf_result(indicator, level, judgments.get(indicator.code), settings, applicable)
    children = tuple(_node_result(child, level + 1, judgments, settings, applicable) for child in indicator.children)
    common: dict[str, Any] = {
        "code": indicator.code,
        "name": indicator.name,
        "level": level,
        "kind": indicator.kind,
        "weight": indicator.weight,
        "children": children,
    }
    if not applicable:
        return NodeResult(
            **common,
            applicable=False,
            applicable_weight=ZERO,
            score=None,
            computed_score=None,
            rate=None,
            sentence=NOT_APPLICABLE_SENTENCE,
        )
    counted = [child for child in children if child.applicable]
    applicable_weight = (
        ZERO
        if indicator.kind == ADJUSTMENT
        else sum((child.applicable_weight for child in counted if child.kind == NORMAL), ZERO)
    )
    value = sum((child.contribution for child in counted), ZERO)
    rate = percent(value, applicable_weight) if applicable_weight > 0 else None
    unscored = sum(child.unscored_count for child in counted)
    sentence = _parent_sentence(indicator.name, level, indicator.kind, applicable_weight, value, rate, children)
    if unscored:
        sentence += f"其中{unscored}项指标尚未评分。"
    return NodeResult(
        **common,
        applicable=True,
        applicable_weight=applicable_weight,
        score=value,
        computed_score=value,
        rate=rate,
        sentence=sentence,
        composition=_composition(level, indicator.kind, children),
        unscored_count=unscored,
        deviation_flagged=any(child.deviation_flagged for child in counted),
    )


# --------------------------------------------------------------------------
# The entry point
# --------------------------------------------------------------------------


def _read_judgments(
    tree: Sequence[Indicator], judgments: Mapping[str, Judgment | Mapping[str, Any]]
) -> tuple[dict[str, Judgment | InputError], list[str]]:
    """Judgments by leaf code, plus errors for codes that are not leaves of the tree."""
    leaves = {node.code for node, _, _ in _walk_indicators(tree) if node.is_leaf}
    parents = {node.code for node, _, _ in _walk_indicators(tree) if not node.is_leaf}
    parsed: dict[str, Judgment | InputError] = {}
    errors: list[str] = []
    for code, entry in judgments.items():
        if code in parents:
            errors.append(f"{code}：只能对末级指标评分")
        elif code not in leaves:
            errors.append(f"{code}：指标体系中没有该指标")
        else:
            parsed[code] = _as_judgment(entry, code)
    return parsed, errors


def _rescale(base: Decimal, applicable_weight: Decimal, designed_weight: Decimal) -> Decimal:
    """Sum of applicable scores / sum of applicable weights × 100, rounded once."""
    if applicable_weight == designed_weight or applicable_weight == ZERO:
        return base
    return _round(Fraction(base) * 100 / Fraction(applicable_weight))


def _apply_cap(total: Decimal, settings: ScoringSettings, errors: list[str]) -> tuple[Decimal, Decimal | None]:
    if not settings.execution_cap:
        return total, None
    if settings.execution_rate is None:
        errors.append("已启用预算执行率封顶，但未提供预算执行率")
        return total, None
    cap = execution_cap_for(settings.execution_rate, settings.execution_caps)
    if cap is None or total <= cap:
        return total, cap
    return round_half_up(cap), cap


def score(
    tree: Sequence[Indicator],
    judgments: Mapping[str, Judgment | Mapping[str, Any]],
    settings: ScoringSettings | None = None,
) -> EvaluationResult:
    """Score a whole tree. Never raises on bad inputs: problems are in ``errors`` and on the nodes."""
    settings = settings or ScoringSettings()
    parsed, errors = _read_judgments(tree, judgments)
    errors = validate_tree(tree) + errors
    nodes = tuple(_node_result(indicator, 1, parsed, settings) for indicator in tree)
    errors.extend(node.error for node in _walk(nodes) if node.error)

    normal = [node for node in nodes if node.kind == NORMAL]
    designed_weight = sum((node.weight for node in normal), ZERO)
    applicable_weight = sum((node.applicable_weight for node in normal if node.applicable), ZERO)
    base = sum((node.contribution for node in normal), ZERO)
    if applicable_weight == ZERO:
        errors.append("没有适用的指标，无法计算总分")
    scaled = _rescale(base, applicable_weight, designed_weight)
    bonus = sum((_leaves_of(node, BONUS) for node in nodes if node.applicable), ZERO)
    deduction = sum((_leaves_of(node, DEDUCTION) for node in nodes if node.applicable), ZERO)
    before_cap = scaled + bonus - deduction
    total, cap = _apply_cap(before_cap, settings, errors)

    leaves = [node for node in _walk(nodes) if node.is_leaf and node.applicable]
    return EvaluationResult(
        nodes=nodes,
        base_score=base,
        applicable_weight=applicable_weight,
        designed_weight=designed_weight,
        scaled_score=scaled,
        bonus=bonus,
        deduction=deduction,
        total_before_cap=before_cap,
        total=total,
        cap=cap,
        grade=grade_for(total, settings.grade_bands),
        unscored=tuple(node.code for node in leaves if node.score is None),
        flagged=tuple(node.code for node in leaves if node.deviation_flagged),
        errors=tuple(errors),
        execution_rate_used=settings.execution_rate if settings.execution_cap else None,
    )


def _walk(nodes: Sequence[NodeResult]) -> Iterator[NodeResult]:
    for node in nodes:
        yield from node.walk()
