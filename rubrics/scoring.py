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
    NO_VALUE,
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
#: What a total is called while indicators are unscored (it has no grade yet).
PROVISIONAL_LABEL = "暂计"

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
    """An indicator system, a rule or a setting that cannot be read; ``field`` names the rule field concerned."""

    def __init__(self, messages: str | Sequence[str], field: str | None = None) -> None:
        super().__init__(messages)
        self.field = field


class InputError(ScoringError):
    """JudgmentEntry inputs or an override that cannot be scored."""


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


@dataclass(frozen=True)
class Part:
    """One part of a composite rule: scored by its own rule on its share of W, with its own data source."""

    name: str
    share: Fraction
    rule: Any  # any rule but a composite one
    binding: Mapping[str, str] | None = None


@dataclass(frozen=True)
class CompositeRule:
    """Several parts (分项), each scored by its own rule on W × its share; the leaf's score is their sum."""

    kind: ClassVar[str] = "composite"
    parts: tuple[Part, ...]


Rule = (
    ChecklistRule | DeductRule | RatioRule | RateDeviationRule | BandsRule | YesNoRule | TierRule | JudgmentRule
    | CompositeRule
)


class _RuleFields:
    """Reads the fields of one rule dict; every error names the indicator code and the field (with its label)."""

    def __init__(self, data: Mapping[str, Any], code: str, labels: Mapping[str, str] | None = None,
                 points: int = 0) -> None:
        self.data = data
        self.code = code
        self.labels = labels or {}
        self.points = points  # how many 评价要点 the indicator lists (0: none)

    def named(self, name: str) -> str:
        """A field as messages name it: ``达标线（%）（threshold）``, the label an editor shows and the key a file uses."""
        label = self.labels.get(name)
        return f"{label}（{name}）" if label else name

    def error(self, text: str, name: str | None = None) -> RuleError:
        return RuleError(f"{self.code}：{text}", field=name)

    def has(self, name: str) -> bool:
        return self.data.get(name) not in (None, "")

    def required(self, name: str) -> Any:
        if not self.has(name):
            raise self.error(f"规则缺少{self.named(name)}", name)
        return self.data[name]

    def exact_value(self, value: Any, name: str) -> Fraction:
        try:
            return _parse_exact(value)
        except NumberError:
            raise self.error(f"规则字段{self.named(name)}不是有效的数字：{value!r}", name) from None

    def exact(self, name: str, default: Fraction | None = None) -> Fraction:
        if not self.has(name) and default is not None:
            return default
        value = self.exact_value(self.required(name), name)
        if value < 0:
            raise self.error(f"规则字段{self.named(name)}不能为负数", name)
        return value

    def decimal_value(self, value: Any, name: str) -> Decimal:
        try:
            return to_decimal(value)
        except NumberError:
            raise self.error(f"规则字段{self.named(name)}不是有效的数字：{value!r}", name) from None

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
            raise self.error(f"规则字段{self.named(name)}应为正整数", name)
        return int(number)

    def point_count(self, *, required: bool = True) -> int | None:
        """``items``, or the number of 评价要点 the indicator lists; both given must agree."""
        items = self.positive_integer("items", required=required and not self.points)
        if items is None:
            return self.points or None
        if self.points and items != self.points:
            raise self.error(f"评价要点有{self.points}项，与{self.named('items')}（{items}）不一致", "items")
        return items

    def choice(self, name: str, options: Sequence[str], default: str | None = None) -> str:
        if not self.has(name) and default is not None:
            return default
        value = self.required(name)
        if value not in options:
            allowed = "、".join(options[:-1]) + f"或{options[-1]}"
            raise self.error(f"规则字段{self.named(name)}应为{allowed}", name)
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            raise self.error(f"规则字段{self.named(name)}应为true或false", name)
        return value

    def text(self, name: str) -> str:
        value = self.data.get(name) or ""
        if not isinstance(value, str):
            raise self.error(f"规则字段{self.named(name)}应为文字", name)
        return value.strip()

    def list_of(self, name: str) -> list[Any]:
        value = self.required(name)
        if not isinstance(value, list) or not value:
            raise self.error(f"规则字段{self.named(name)}应为非空列表", name)
        return value


def _parse_shares(fields: _RuleFields, count: int, name: str = "shares") -> tuple[Fraction, ...]:
    shares = tuple(fields.exact_value(value, name) for value in fields.list_of(name))
    if len(shares) != count:
        raise fields.error(f"{fields.named(name)}的个数（{len(shares)}）应与要点数（{count}）一致", name)
    if any(share < 0 for share in shares):
        raise fields.error(f"{fields.named(name)}不能为负数", name)
    if sum(shares) != 1:
        raise fields.error(f"{fields.named(name)}之和应为1，现为{_show(sum(shares))}", name)
    return shares


def _parse_checklist(fields: _RuleFields) -> ChecklistRule:
    items = fields.point_count()
    if not fields.has("shares"):
        return ChecklistRule(items=items)
    return ChecklistRule(items=items, shares=_parse_shares(fields, items))


def _parse_deduct(fields: _RuleFields) -> DeductRule:
    return DeductRule(
        per_failure=fields.exact("per_failure"),
        unit=fields.choice("unit", UNITS),
        items=fields.point_count(required=False),
    )


def _parse_ratio(fields: _RuleFields) -> RatioRule:
    return RatioRule(direction=fields.choice("direction", (POSITIVE, NEGATIVE), POSITIVE))


def _parse_rate_deviation(fields: _RuleFields) -> RateDeviationRule:
    per = fields.decimal("per", Decimal("1"))
    if per <= 0:
        raise fields.error(f"规则字段{fields.named('per')}应大于0", "per")
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
        raise fields.error(f"{fields.named('bands')}的每一档应包含min和score", "bands")
    band_score = fields.exact_value(value["score"], "bands")
    if band_score < 0:
        raise fields.error(f"{fields.named('bands')}的得分不能为负数", "bands")
    return Band(min=fields.decimal_value(value["min"], "bands"), score=band_score)


def _parse_bands(fields: _RuleFields) -> BandsRule:
    bands = tuple(_parse_band(fields, value) for value in fields.list_of("bands"))
    if any(lower.min >= higher.min for higher, lower in itertools.pairwise(bands)):
        raise fields.error(f"{fields.named('bands')}应按下限从高到低排列且不重复", "bands")
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
        raise fields.error(str(exc), "tiers") from None


PART_FIELDS = frozenset({"name", "share", "rule", "binding"})


def _parse_part(fields: _RuleFields, data: Any, number: int) -> Part:
    where = f"第{number}个分项"
    path = f"parts.{number - 1}"
    if not isinstance(data, Mapping):
        raise fields.error(f"{where}应为对象", path)
    unknown = sorted(set(data) - PART_FIELDS)
    if unknown:
        raise fields.error(f"{where}含有未知字段{'、'.join(unknown)}", path)
    name = str(data.get("name") or "").strip()
    if not name:
        raise fields.error(f"{where}缺少名称（name）", f"{path}.name")
    if data.get("share") in (None, ""):
        raise fields.error(f"{where}缺少占权重分的比例（share）", f"{path}.share")
    share = fields.exact_value(data["share"], f"{path}.share")
    if not 0 < share <= 1:
        raise fields.error(f"{where}占权重分的比例应大于0且不超过1", f"{path}.share")
    rule_data = data.get("rule")
    if not isinstance(rule_data, Mapping) or not rule_data.get("kind"):
        raise fields.error(f"{where}缺少评分规则（rule）", f"{path}.rule")
    if rule_data.get("kind") == CompositeRule.kind:
        raise fields.error(f"{where}不能再分项", f"{path}.rule")
    try:
        rule = rule_from_dict(rule_data, f"{fields.code}{where}“{name}”")
    except RuleError as exc:
        raise RuleError(exc.messages, field=f"{path}.{exc.field or 'rule'}") from None
    try:
        binding = checked_source(data.get("binding"), rule, f"{fields.code}{where}“{name}”")
    except RuleError as exc:
        raise RuleError(exc.messages, field=f"{path}.binding") from None
    return Part(name, share, rule, binding)


def _parse_composite(fields: _RuleFields) -> CompositeRule:
    raw = fields.list_of("parts")
    if len(raw) < 2:
        raise fields.error("分项计分至少应有两个分项", "parts")
    parts = tuple(_parse_part(fields, data, number) for number, data in enumerate(raw, start=1))
    total = sum((part.share for part in parts), Fraction(0))
    if total != 1:
        raise fields.error(f"各分项占权重分的比例之和应为1，现为{_show(total)}", "parts")
    names = [part.name for part in parts]
    if len(set(names)) != len(names):
        raise fields.error("分项名称重复", "parts")
    return CompositeRule(parts)


def _parse_nothing(rule: Rule) -> Callable[[_RuleFields], Rule]:
    return lambda fields: rule


def rule_from_dict(data: Mapping[str, Any], code: str = "", points: int = 0) -> Rule:
    """Parse one ``rule`` object of RULES.md; raise :class:`RuleError` naming ``code``.

    ``points`` is how many 评价要点 the indicator lists: a checklist or deduction
    rule then needs no ``items`` (and one given must agree).
    """
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
    return spec.parse(_RuleFields(data, code, {param.name: param.label for param in spec.params}, points))


# --------------------------------------------------------------------------
# The indicator tree
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorSpec:
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
    children: tuple[IndicatorSpec, ...] = ()
    binding: Mapping[str, str] | None = None
    explanation: str = ""
    basis: str = ""
    target: str = ""
    criteria: str = ""
    points: tuple[str, ...] = ()
    not_applicable_reason: str = ""

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "weight", to_decimal(self.weight))
        except NumberError:
            raise RuleError(f"{self.code}：权重不是有效的数字：{self.weight!r}") from None
        if self.kind not in INDICATOR_KINDS:
            raise RuleError(f"{self.code}：未知的指标类型“{self.kind}”")
        object.__setattr__(self, "children", tuple(self.children))
        object.__setattr__(self, "points", checked_points(self.points, self.code))
        if isinstance(self.rule, Mapping):
            object.__setattr__(self, "rule", rule_from_dict(self.rule, self.code, len(self.points)))
        if self.binding and self.children:
            raise RuleError(f"{self.code}：有下级指标的指标不能设置数据来源")
        object.__setattr__(self, "binding", checked_source(self.binding, self.rule, self.code))

    @property
    def is_leaf(self) -> bool:
        return not self.children


def checked_points(points: Any, code: str) -> tuple[str, ...]:
    """The 评价要点 of an indicator: one line of text each, blank lines dropped."""
    if not points:
        return ()
    if isinstance(points, str) or not all(isinstance(point, str) for point in points):
        raise RuleError(f"{code}：评价要点（points）应为文字列表，每项一行")
    return tuple(point.strip() for point in points if point.strip())


def checked_source(binding: Any, rule: Rule | None, code: str) -> Mapping[str, str] | None:
    """A binding naming one source (``{"ratio": key}`` or ``{"survey": group}``) for a rule that takes a bound input."""
    if not binding:
        return None
    if not isinstance(binding, Mapping):
        raise RuleError(f"{code}：数据来源应为对象")
    unknown = sorted(set(binding) - set(BINDING_SOURCES))
    if unknown:
        raise RuleError(f"{code}：数据来源含有未知字段{'、'.join(unknown)}")
    named = [key for key in BINDING_SOURCES if binding.get(key)]
    if len(named) != 1 or not isinstance(binding[named[0]], str):
        raise RuleError(f"{code}：数据来源应写明一个ratio或survey")
    kind = rule_kind_of(rule)
    if bound_input(kind) is None:
        raise RuleError(f"{code}：评分规则“{RULE_KINDS[kind].label}”没有可取自数据的输入，不能设置数据来源")
    return {named[0]: binding[named[0]]}


_TEXT_FIELDS = ("explanation", "basis", "target", "criteria")


def _indicator_from_dict(data: Any, errors: list[str], where: str) -> IndicatorSpec | None:
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
        return IndicatorSpec(
            code=code,
            name=str(data.get("name") or ""),
            weight=data["weight"],
            kind=data.get("kind") or NORMAL,
            rule=data.get("rule"),
            applicable=applicable,
            children=tuple(child for child in children if child is not None),
            binding=data.get("binding"),
            points=data.get("points") or (),
            not_applicable_reason=str(data.get("not_applicable_reason") or ""),
            **{name: str(data.get(name) or "") for name in _TEXT_FIELDS},
        )
    except ScoringError as exc:
        errors.extend(exc.messages)
        return None


def indicators_from_dicts(items: Sequence[Mapping[str, Any]]) -> list[IndicatorSpec]:
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
    nodes: Sequence[IndicatorSpec], level: int = 1, parent: IndicatorSpec | None = None
) -> Iterator[tuple[IndicatorSpec, int, IndicatorSpec | None]]:
    for node in nodes:
        yield node, level, parent
        yield from _walk_indicators(node.children, level + 1, node)


def _structure_errors(node: IndicatorSpec, level: int, parent: IndicatorSpec | None) -> list[str]:
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


def _weight_errors(node: IndicatorSpec) -> list[str]:
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


def _rule_weight_errors(node: IndicatorSpec) -> list[str]:
    """A rule that could never fit its weight (a band above W)."""
    rule = node.rule
    if isinstance(rule, BandsRule):
        limit = Fraction(1) if rule.unit == SHARE else Fraction(node.weight)
        for band_score in [band.score for band in rule.bands] + [rule.else_score]:
            if band_score > limit:
                return [f"{node.code}：分档得分{_show(band_score)}超过权重{format_plain(node.weight)}"]
    return []


def validate_tree(tree: Sequence[IndicatorSpec]) -> list[str]:
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
    one, ``missing`` then says why (``上年末结转结余未填写，无法计算``): the leaf
    is not scored (no typed number replaces a bound one) unless overridden.
    """

    label: str
    value: Decimal | None = None
    missing: str = ""

    def __post_init__(self) -> None:
        if self.value is not None:
            object.__setattr__(self, "value", to_decimal(self.value))

    @property
    def unavailable(self) -> str:
        """Why no value can be read ("" when there is one), as the page and the engine say it."""
        if self.value is not None:
            return ""
        return f"{self.label}：{self.missing or '无法取得'}"


def with_bound(inputs: Mapping[str, Any], rule_kind: str, bound: Bound | None) -> Mapping[str, Any]:
    """The inputs a rule of ``rule_kind`` reads: a typed value for the bound input is dropped, the bound value laid over it."""
    key = bound_input(rule_kind)
    if key is None or bound is None:
        return inputs
    typed = {name: value for name, value in inputs.items() if name != key}
    return typed if bound.value is None else {**typed, key: bound.value}


@dataclass(frozen=True)
class JudgmentEntry:
    """The inputs typed for one leaf (per RULES.md), the values bound from data, and an optional override.

    ``bound`` is the leaf's bound value; ``part_bounds`` those of a composite
    rule's parts, by position (``None`` for a part that is typed).
    """

    inputs: Mapping[str, Any] = field(default_factory=dict)
    override: Override | None = None
    bound: Bound | None = None
    part_bounds: tuple[Bound | None, ...] = ()

    def inputs_for(self, rule_kind: str) -> Mapping[str, Any]:
        """The inputs a rule of ``rule_kind`` reads: the typed ones with the bound value laid over its input."""
        return with_bound(self.inputs, rule_kind, self.bound)


def _bound_from_dict(data: Any, code: str) -> Bound | None:
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise InputError(f"{code}：bound应为对象")
    try:
        return Bound(str(data.get("label") or ""), data.get("value"), str(data.get("missing") or ""))
    except NumberError:
        raise InputError(f"{code}：取自数据的值不是有效的数字：{data.get('value')!r}") from None


def inputs_given(inputs: Any) -> bool:
    """Whether anything was entered: a value other than blank, ``None`` or an empty list/object, at any depth.

    An unanswered checklist (``{"met": [null, null]}``) or a composite rule's
    empty parts (``{"parts": [{}, {}]}``) give nothing.
    """
    if isinstance(inputs, Mapping):
        return any(inputs_given(value) for value in inputs.values())
    if isinstance(inputs, (list, tuple)):
        return any(inputs_given(value) for value in inputs)
    return inputs not in (None, "")


def judgment_from_dict(data: Mapping[str, Any], code: str = "") -> JudgmentEntry:
    """Parse one entry of a scores file's ``judgments`` (``inputs``, ``bound``, ``part_bounds``, ``override``;
    ``process`` ignored)."""
    if not isinstance(data, Mapping):
        raise InputError(f"{code}：评分记录应为对象")
    inputs = data.get("inputs") or {}
    if not isinstance(inputs, Mapping):
        raise InputError(f"{code}：inputs应为对象")
    bound = _bound_from_dict(data.get("bound"), code)
    raw_parts = data.get("part_bounds") or ()
    if not isinstance(raw_parts, (list, tuple)):
        raise InputError(f"{code}：part_bounds应为列表")
    part_bounds = tuple(_bound_from_dict(item, code) for item in raw_parts)
    raw_override = data.get("override")
    if raw_override is None:
        return JudgmentEntry(inputs=inputs, bound=bound, part_bounds=part_bounds)
    if not isinstance(raw_override, Mapping) or raw_override.get("score") in (None, ""):
        raise InputError(f"{code}：调整得分缺少score")
    try:
        override = Override(raw_override["score"], str(raw_override.get("reason") or ""))
    except NumberError:
        raise InputError(f"{code}：调整得分不是有效的数字：{raw_override['score']!r}") from None
    return JudgmentEntry(inputs=inputs, override=override, bound=bound, part_bounds=part_bounds)


def judgments_from_dict(data: Mapping[str, Any]) -> dict[str, JudgmentEntry]:
    """Parse a scores file's ``judgments`` object; raise :class:`InputError` listing every problem."""
    errors: list[str] = []
    judgments: dict[str, JudgmentEntry] = {}
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
    ``pending`` says what a leaf still waits for before it can be scored (the
    要点 not yet judged, the figure a bound value needs); it is not an error.
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
    pending: str = ""
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


def progress_percent(scored: int, applicable: int) -> int:
    """``scored`` of ``applicable`` third-level indicators as a whole percent (0 when none applies)."""
    if not applicable:
        return 0
    return int(round_half_up(Decimal(scored * 100) / applicable, 0))


@dataclass(frozen=True)
class EvaluationResult:
    """Everything a view, a check or a renderer needs; no caller adds numbers itself.

    ``base_score`` is the sum of the applicable first-level normal rows and
    ``applicable_weight`` the sum of their applicable weights. ``scaled_score``
    equals ``base_score`` unless something was not applicable, in which case it
    is ``base_score / applicable_weight × 100`` rounded once. Then
    ``total_before_cap = scaled_score + bonus − deduction`` and ``total`` is
    that, capped by the 自评表 execution cap when the setting is on.

    While a leaf is unscored the result is ``provisional``: ``total`` is the
    sum so far (暂计) and ``grade`` is ``None``; every page and the report
    print it so.
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
    grade: str | None
    unscored: tuple[str, ...]
    flagged: tuple[str, ...]
    errors: tuple[str, ...]
    execution_rate_used: Decimal | None = None
    input_errors: tuple[str, ...] = ()  # the tree's and the judgments' own errors (``errors`` adds the nodes')

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
        return progress_percent(self.scored_count, self.applicable_leaf_count)

    @property
    def incomplete(self) -> bool:
        """True while a leaf has no score or anything is in error: not ready for sign-off."""
        return bool(self.unscored or self.errors)

    @property
    def provisional(self) -> bool:
        """True until every applicable leaf is scored: the total is 暂计 and there is no grade."""
        return bool(self.unscored)

    @property
    def complete(self) -> bool:
        return not self.provisional

    @property
    def total_label(self) -> str:
        """What the total is called: 总分, or 暂计 while indicators are unscored."""
        return PROVISIONAL_LABEL if self.provisional else "总分"

    @property
    def grade_text(self) -> str:
        """The grade, or — while the total is provisional."""
        return self.grade or NO_VALUE

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
        if self.provisional:
            parts.append(
                f"{PROVISIONAL_LABEL}得分：{format_amount(self.total)}分（尚有{len(self.unscored)}项指标未评分，暂不评定等级）。"
            )
        else:
            parts.append(f"最终评分结果：{format_amount(self.total)}分，绩效评级为“{self.grade}”。")
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
    points: tuple[str, ...] = ()
    part_bounds: tuple[Bound | None, ...] = ()


class _Pending(Exception):
    """A leaf that cannot be scored yet (要点 not judged, a bound figure missing); the message says what it waits for."""


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


def input_label(rule_kind: str, key: str) -> str:
    """The Chinese name of a judgment input (``标杆值（目标值）``); the key itself when the kind has no such input."""
    spec = RULE_KINDS.get(rule_kind)
    return spec.inputs.get(key, key) if spec else key


def _missing(leaf: _Leaf, key: str) -> InputError:
    return InputError(f"{leaf.code}：未填写{input_label(leaf.rule.kind, key)}")


def _number_input(leaf: _Leaf, key: str) -> Fraction:
    value = leaf.inputs.get(key)
    if value is None or value == "":
        raise _missing(leaf, key)
    try:
        return _parse_exact(value)
    except NumberError:
        raise InputError(f"{leaf.code}：{input_label(leaf.rule.kind, key)}不是有效的数字：{value!r}") from None


def _bool_input(leaf: _Leaf, key: str) -> bool:
    value = leaf.inputs.get(key)
    if value is None:
        raise _missing(leaf, key)
    if not isinstance(value, bool):
        raise InputError(f"{leaf.code}：{input_label(leaf.rule.kind, key)}应为true或false")
    return value


def _point_names(leaf: _Leaf, numbers: Sequence[int]) -> str:
    """Points by number, with their text when the indicator lists its 评价要点: 第2项“…”、第4项“…”."""
    if len(leaf.points) >= max(numbers):
        return "、".join(f"第{number}项“{leaf.points[number - 1]}”" for number in numbers)
    return f"第{'、'.join(str(number) for number in numbers)}项"


def _answers(leaf: _Leaf, count: int) -> list[bool]:
    """``met``: one answer per point, ``True`` 符合 / ``False`` 不符合 / ``None`` not yet judged (never read as failed)."""
    value = leaf.inputs.get("met")
    if value is None:
        raise _missing(leaf, "met")
    if not isinstance(value, (list, tuple)) or len(value) != count:
        raise InputError(f"{leaf.code}：应对{count}项评价要点逐项判断符合或不符合")
    if not all(item is None or isinstance(item, bool) for item in value):
        raise InputError(f"{leaf.code}：评价要点的判断应为符合（true）、不符合（false）或未判断（null）")
    waiting = [number for number, answer in enumerate(value, start=1) if answer is None]
    if waiting:
        raise _Pending(f"尚有{len(waiting)}项评价要点未判断：{_point_names(leaf, waiting)}")
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
        raise InputError(f"{leaf.code}：{input_label(leaf.rule.kind, key)}应为非负整数")
    return int(number)


def _missed(met: Sequence[bool]) -> list[int]:
    return [number for number, ok in enumerate(met, start=1) if not ok]


def _score_checklist(leaf: _Leaf) -> _Outcome:
    rule: ChecklistRule = leaf.rule
    met = _answers(leaf, rule.items)
    shares_met = sum((share for share, ok in zip(rule.share_list(), met, strict=True) if ok), Fraction(0))
    value = _finish(leaf.weight * shares_met, leaf)
    text = f"{rule.items}项评价要点中符合{sum(met)}项"
    missed = _missed(met)
    if missed:
        text += f"，{_point_names(leaf, missed)}不符合"
    return _Outcome(value, f"{text}，{_gained(leaf, value)}。")


def _score_deduct(leaf: _Leaf) -> _Outcome:
    """Failures counted from the points answered one by one (``met``), or typed as a count (``failures``)."""
    rule: DeductRule = leaf.rule
    missed: list[int] = []
    if rule.items is not None and "met" in leaf.inputs:
        missed = _missed(_answers(leaf, rule.items))
        failures = len(missed)
    else:
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
    where = f"（{_point_names(leaf, missed)}）" if missed else ""
    return _Outcome(value, f"存在{failures}处不符{where}，{each}，{taken}，{_gained(leaf, value)}。")


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


#: How points and parts are numbered in the seeds' texts: ① to ⑳.
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def circled(number: int) -> str:
    """The seeds' marker of point or part ``number`` (1-based): ①, ②…, or （21） past ⑳."""
    return CIRCLED[number - 1] if 0 < number <= len(CIRCLED) else f"（{number}）"


def _score_composite(leaf: _Leaf) -> _Outcome:
    """Each part scored by its own rule on W × its share (rounded once, as a leaf), the parts summed."""
    rule: CompositeRule = leaf.rule
    given = leaf.inputs.get("parts") or []
    if not isinstance(given, (list, tuple)) or len(given) > len(rule.parts):
        raise InputError(f"{leaf.code}：各分项的输入应为{len(rule.parts)}项的列表")
    waiting: list[str] = []
    scored: list[tuple[Part, _Outcome]] = []
    for index, part in enumerate(rule.parts):
        typed = given[index] if index < len(given) else {}
        if not isinstance(typed, Mapping):
            raise InputError(f"{leaf.code}：分项“{part.name}”的输入应为对象")
        bound = leaf.part_bounds[index] if index < len(leaf.part_bounds) else None
        inputs = with_bound(typed, part.rule.kind, bound)
        if bound is not None and bound.unavailable and bound_input(part.rule.kind):
            waiting.append(f"{part.name}（{bound.unavailable}）")
            continue
        if not inputs:
            waiting.append(f"{part.name}（未填写）")
            continue
        weight = leaf.weight * part.share
        sub = _Leaf(
            code=f"{leaf.code}“{part.name}”",
            kind=leaf.kind,
            weight=weight,
            weight_decimal=_round(weight),
            rule=part.rule,
            inputs=inputs,
            settings=leaf.settings,
            label=getattr(part.rule, "label", "") or part.name,
        )
        scored.append((part, RULE_KINDS[part.rule.kind].score(sub)))
    if waiting:
        raise _Pending(f"尚有分项不能计分：{'；'.join(waiting)}")
    value = _finish(sum((Fraction(outcome.score) for _, outcome in scored), Fraction(0)), leaf)
    pieces = []
    for number, (part, outcome) in enumerate(scored, start=1):
        text = outcome.sentence.rstrip("。")
        if not text.startswith(part.name):
            text = f"{part.name}：{text}"
        pieces.append(f"{circled(number)}{text}")
    notes = tuple(note for _, outcome in scored for note in outcome.notes)
    flagged = any(outcome.flagged for _, outcome in scored)
    return _Outcome(value, f"{'；'.join(pieces)}；{len(scored)}项合计{_gained(leaf, value)}。", None, flagged, notes)


# --------------------------------------------------------------------------
# The rule kinds: one registry
# --------------------------------------------------------------------------


#: The types of rule fields, as the template editor builds a form field for each.
INTEGER = "integer"  # a whole number: 4
NUMBER = "number"  # a decimal: 95, -10
AMOUNT = "amount"  # a decimal or a fraction: 1, 0.2, 1/3
CHOICE = "choice"
FLAG = "flag"  # true/false
TEXT = "text"
AMOUNTS = "amounts"  # a list of decimals or fractions: 1/2, 1/4, 1/4
BANDS = "bands"  # rows of {min, score}
TIERS = "tiers"  # rows of [name, low, high]
PARTS = "parts"  # the parts of a composite rule
PARAM_TYPES = (INTEGER, NUMBER, AMOUNT, CHOICE, FLAG, TEXT, AMOUNTS, BANDS, TIERS, PARTS)


@dataclass(frozen=True)
class Param:
    """One field of a rule: its key in the rule dict, its Chinese label, its type and, for a choice, the options."""

    name: str
    label: str
    type: str
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    default: Any = None
    help: str = ""


UNIT_CHOICES = ((POINTS, "分"), (SHARE, "权重分的比例"))


@dataclass(frozen=True)
class RuleKind:
    """Everything about one kind of rule: its Chinese name, its fields, its inputs, how to read and apply it.

    ``params`` are the rule's fields (the template editor's form is built from
    them); ``inputs`` the judgment's inputs with their Chinese names (pages and
    messages use them); ``bound_input`` is the input a bound value (a fiscal
    ratio, a survey rate) feeds, ``None`` when the rule cannot take its input
    from data.
    """

    label: str
    params: tuple[Param, ...]
    parse: Callable[[_RuleFields], Rule]
    score: Callable[[_Leaf], _Outcome]
    inputs: Mapping[str, str]
    bound_input: str | None = None

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(param.name for param in self.params)


def _items_param(required_help: str) -> Param:
    return Param("items", "要点数", INTEGER, help=required_help)


#: Every rule kind the engine knows, in the order the editor offers them. The
#: template editor, the labels on pages and the parser all read this registry.
RULE_KINDS: dict[str, RuleKind] = {
    "checklist": RuleKind(
        "要点计分（符合一项得一项）",
        (
            _items_param("留空时等于评价要点的行数"),
            Param("shares", "各要点所占权重分的比例", AMOUNTS,
                  help="用逗号分隔，如 1/2, 1/4, 1/4，合计为1；留空为平均分配"),
        ),
        _parse_checklist,
        _score_checklist,
        {"met": "各评价要点是否符合"},
    ),
    "deduct": RuleKind(
        "每处不符扣分",
        (
            Param("per_failure", "每处不符扣", AMOUNT, required=True, help="分数（如 1）或权重分的比例（如 1/3、25/100）"),
            Param("unit", "扣分单位", CHOICE, required=True, choices=UNIT_CHOICES),
            _items_param("有评价要点时等于其行数；留空则按录入的不符处数计"),
        ),
        _parse_deduct,
        _score_deduct,
        {"met": "各评价要点是否符合", "failures": "不符合的要点数（处）"},
    ),
    "ratio": RuleKind(
        "实际值与目标值之比",
        (
            Param("direction", "方向", CHOICE, choices=((POSITIVE, "正向：实际完成值/标杆值"),
                                                      (NEGATIVE, "反向：标杆值/实际完成值（越低越好）")),
                  default=POSITIVE),
        ),
        _parse_ratio,
        _score_ratio,
        {"actual": "实际完成值", "target": "标杆值（目标值）"},
        "actual",
    ),
    "rate_deviation": RuleKind(
        "比率达标，偏离扣分",
        (
            Param("threshold", "达标线（%）", NUMBER, required=True),
            Param("direction", "满分条件", CHOICE, required=True,
                  choices=((AT_LEAST, "不低于达标线得满分"), (AT_MOST, "不高于达标线得满分"))),
            Param("step", "每档扣", AMOUNT, required=True, help="分数（如 0.2）或权重分的比例（如 5/100）"),
            Param("unit", "扣分单位", CHOICE, required=True, choices=UNIT_CHOICES),
            Param("per", "每档的百分点数", NUMBER, default="1", help="如“每偏离1%”为1，“每超过5%”为5"),
            Param("steps", "不足一档时", CHOICE, default=STEPS_EXACT,
                  choices=((STEPS_EXACT, "按比例扣"), (STEPS_CEIL, "按一档扣"), (STEPS_FLOOR, "不扣"))),
            Param("abs", "按绝对值比较", FLAG, default=False, help="调整率等可能为负数的比率"),
            Param("zero_above", "高于此值（%）不得分", NUMBER, help="如执行率大于100%不得分，填100"),
            Param("label", "评分过程中比率的名称", TEXT, help="留空时用数据来源的名称或指标名称"),
        ),
        _parse_rate_deviation,
        _score_rate_deviation,
        {"rate": "比率（%）"},
        "rate",
    ),
    "bands": RuleKind(
        "分档计分",
        (
            Param("bands", "分档", BANDS, required=True, help="每行一档，从高到低：“下限 得分”，如“90 6”"),
            Param("unit", "得分单位", CHOICE, default=POINTS, choices=UNIT_CHOICES),
            Param("else", "低于最低一档的得分", AMOUNT, default="0"),
            Param("label", "评分过程中取值的名称", TEXT, help="留空时用数据来源的名称或指标名称"),
            Param("percent", "取值是百分比", FLAG, default=True),
        ),
        _parse_bands,
        _score_bands,
        {"value": "取值"},
        "value",
    ),
    "yes_no": RuleKind(
        "是否符合（满分或零分）", (), _parse_nothing(YesNoRule()), _score_yes_no, {"yes": "是否符合评价要点"}
    ),
    "tier": RuleKind(
        "定性分档（达成/部分达成/未达成）",
        (Param("tiers", "档次", TIERS, help="每行一档：“名称 下限 上限”，如“达成 80 100”；留空时用评价项目的设置"),),
        _parse_tier,
        _score_tier,
        {"tier": "达成情况", "share": "完成比例（%）"},
    ),
    "judgment": RuleKind(
        "评价人员综合判断", (), _parse_nothing(JudgmentRule()), _score_judgment, {"score": "得分"}
    ),
    "composite": RuleKind(
        "分项计分（各分项按各自规则计分后相加）",
        (Param("parts", "分项", PARTS, required=True,
               help="每个分项有名称、占权重分的比例、评分规则和数据来源；比例合计为1"),),
        _parse_composite,
        _score_composite,
        {"parts": "各分项的输入"},
    ),
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


def _label(indicator: IndicatorSpec, bound: Bound | None) -> str:
    """What a rate or value is called in a sentence: the rule's label, the bound value's, or the name."""
    own = getattr(indicator.rule, "label", "")
    if own:
        return own
    if bound is not None and bound.label:
        return bound.label
    return indicator.name


def _compute(indicator: IndicatorSpec, judgment: JudgmentEntry, settings: ScoringSettings) -> _Outcome | None:
    """What the rule gives for ``judgment``; ``None`` when nothing was given. Raises :class:`_Pending` when the
    leaf waits for a judgment of its points or a figure its bound value needs."""
    rule = indicator.rule or JudgmentRule()
    if judgment.bound is not None and judgment.bound.unavailable and bound_input(rule.kind):
        raise _Pending(judgment.bound.unavailable)
    inputs = judgment.inputs_for(rule.kind)
    part_values = any(bound is not None and bound.value is not None for bound in judgment.part_bounds)
    if not inputs and not (rule.kind == CompositeRule.kind and part_values):
        return None
    leaf = _Leaf(
        code=indicator.code,
        kind=indicator.kind,
        weight=Fraction(indicator.weight),
        weight_decimal=indicator.weight,
        rule=rule,
        inputs=inputs,
        settings=settings,
        label=_label(indicator, judgment.bound),
        points=indicator.points,
        part_bounds=judgment.part_bounds,
    )
    return RULE_KINDS[rule.kind].score(leaf)


def _checked_override(indicator: IndicatorSpec, override: Override) -> tuple[Decimal, str]:
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


def not_applicable_sentence(reason: str = "") -> str:
    reason = reason.strip().rstrip("。")
    if not reason:
        return NOT_APPLICABLE_SENTENCE
    return f"{NOT_APPLICABLE_SENTENCE[:-1]}（理由：{reason}）。"


def _leaf_result(
    indicator: IndicatorSpec,
    level: int,
    judgment: JudgmentEntry | InputError | None,
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
            sentence=not_applicable_sentence(indicator.not_applicable_reason),
        )
    common.update(applicable=True, applicable_weight=indicator.weight)
    outcome = None
    pending = ""
    try:
        if isinstance(judgment, InputError):
            raise judgment
        if judgment is not None:
            try:
                outcome = _compute(indicator, judgment, settings)
            except _Pending as waiting:
                pending = str(waiting)
        override = judgment.override if judgment is not None else None
        if override is not None:
            final, reason = _checked_override(indicator, override)
            pending = ""  # the evaluation team's score stands, with its reason
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
        pending=pending,
        unscored_count=0 if final is not None else 1,
    )


def _leaf_sentence(outcome: _Outcome | None, final: Decimal | None, reason: str, overridden: bool) -> str:
    """The drafted 评分过程, with the evaluation team's adjustment appended."""
    if not overridden:
        return outcome.sentence if outcome else UNSCORED_SENTENCE
    if outcome is None:
        return f"评价组评定为{format_amount(final)}分，理由：{reason}。"
    return f"{outcome.sentence}（评价组调整为{format_amount(final)}分，理由：{reason}）"


def _as_judgment(entry: JudgmentEntry | Mapping[str, Any] | None, code: str) -> JudgmentEntry | InputError | None:
    """A judgment dataclass from either shape, or the error reading it."""
    if entry is None or isinstance(entry, JudgmentEntry):
        return entry
    try:
        return judgment_from_dict(entry, code)
    except InputError as exc:
        return exc


def score_indicator(
    indicator: IndicatorSpec,
    judgment: JudgmentEntry | Mapping[str, Any] | None = None,
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
    indicator: IndicatorSpec,
    level: int,
    judgments: Mapping[str, JudgmentEntry | InputError],
    settings: ScoringSettings,
    applicable_above: bool = True,
) -> NodeResult:
    applicable = applicable_above and indicator.applicable
    if indicator.is_leaf:
        return _leaf_result(indicator, level, judgments.get(indicator.code), settings, applicable)
    children = tuple(_node_result(child, level + 1, judgments, settings, applicable) for child in indicator.children)
    return _parent_result(indicator.code, indicator.name, level, indicator.kind, indicator.weight, children, applicable)


def _parent_result(
    code: str, name: str, level: int, kind: str, weight: Decimal, children: tuple[NodeResult, ...], applicable: bool
) -> NodeResult:
    """A first- or second-level node summed up from its children's results."""
    common: dict[str, Any] = {
        "code": code,
        "name": name,
        "level": level,
        "kind": kind,
        "weight": weight,
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
        if kind == ADJUSTMENT
        else sum((child.applicable_weight for child in counted if child.kind == NORMAL), ZERO)
    )
    value = sum((child.contribution for child in counted), ZERO)
    rate = percent(value, applicable_weight) if applicable_weight > 0 else None
    unscored = sum(child.unscored_count for child in counted)
    sentence = _parent_sentence(name, level, kind, applicable_weight, value, rate, children)
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
        composition=_composition(level, kind, children),
        unscored_count=unscored,
        deviation_flagged=any(child.deviation_flagged for child in counted),
    )


# --------------------------------------------------------------------------
# The entry point
# --------------------------------------------------------------------------


def _read_judgments(
    tree: Sequence[IndicatorSpec], judgments: Mapping[str, JudgmentEntry | Mapping[str, Any]]
) -> tuple[dict[str, JudgmentEntry | InputError], list[str]]:
    """Judgments by leaf code, plus errors for codes that are not leaves of the tree."""
    leaves = {node.code for node, _, _ in _walk_indicators(tree) if node.is_leaf}
    parents = {node.code for node, _, _ in _walk_indicators(tree) if not node.is_leaf}
    parsed: dict[str, JudgmentEntry | InputError] = {}
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
    tree: Sequence[IndicatorSpec],
    judgments: Mapping[str, JudgmentEntry | Mapping[str, Any]],
    settings: ScoringSettings | None = None,
) -> EvaluationResult:
    """Score a whole tree. Never raises on bad inputs: problems are in ``errors`` and on the nodes."""
    settings = settings or ScoringSettings()
    parsed, errors = _read_judgments(tree, judgments)
    nodes = tuple(_node_result(indicator, 1, parsed, settings) for indicator in tree)
    return _result(nodes, settings, tuple(validate_tree(tree) + errors))


def rescore_leaf(
    result: EvaluationResult,
    indicator: IndicatorSpec,
    judgment: JudgmentEntry | Mapping[str, Any] | None,
    settings: ScoringSettings,
) -> EvaluationResult | None:
    """``result`` after one leaf's judgment changed, its applicability unchanged: the leaf scored again and
    its ancestors and the total summed up again from the other nodes as they were. The same result as
    :func:`score` on the whole tree; ``None`` when the leaf is not an applicable leaf of ``result``."""
    try:
        previous = result.node(indicator.code)
    except KeyError:
        return None
    if not (previous.is_leaf and previous.applicable and indicator.applicable and indicator.is_leaf):
        return None
    leaf = _leaf_result(indicator, previous.level, _as_judgment(judgment, indicator.code), settings, True)

    def again(node: NodeResult) -> NodeResult:
        if node.is_leaf:
            return leaf if node.code == leaf.code else node
        children = tuple(again(child) for child in node.children)
        if all(new is old for new, old in zip(children, node.children, strict=True)):
            return node
        return _parent_result(node.code, node.name, node.level, node.kind, node.weight, children, node.applicable)

    return _result(tuple(again(node) for node in result.nodes), settings, result.input_errors)


def _result(nodes: tuple[NodeResult, ...], settings: ScoringSettings, input_errors: tuple[str, ...]) -> EvaluationResult:
    """The total and everything around it, from the first-level nodes' results."""
    errors = list(input_errors)
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
    unscored = tuple(node.code for node in leaves if node.score is None)
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
        grade=None if unscored else grade_for(total, settings.grade_bands),
        unscored=unscored,
        flagged=tuple(node.code for node in leaves if node.deviation_flagged),
        errors=tuple(errors),
        execution_rate_used=settings.execution_rate if settings.execution_cap else None,
        input_errors=input_errors,
    )


def _walk(nodes: Sequence[NodeResult]) -> Iterator[NodeResult]:
    for node in nodes:
        yield from node.walk()
