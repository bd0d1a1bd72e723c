"""A questionnaire's results computed from its counts: pure Python, no Django.

Dataclasses in (:class:`SurveySpec`), a :class:`SurveyResult` out. Every view,
command, chart and annex table takes its numbers from here.

* **Share** of an option = its count ÷ the question's answers × 100, kept at
  full precision and rounded half up (四舍五入) on its own for display, as a
  reader checking 57/78 = 73.08% expects. Rounded shares are never adjusted to
  add up to 100; the 合计 row shows the count total and 100.00%.
* **Satisfaction of a question**, by the questionnaire's method:
  - ``weighted`` (加权得分法): Σ(count × weight) ÷ Σ count over all options;
    an option weighted 0 (很不满意, or 不了解) stays in the denominator;
  - ``top_two`` (前两项占比法): the answers of the first two options not marked
    ``excluded`` ÷ the answers of all options not marked ``excluded``
    (不了解 is typically excluded).
* **Composite rate** over the questions marked ``counted``:
  - ``mean``: the arithmetic mean of their satisfaction (full precision);
  - ``pooled``: all their answers taken together (Σ numerators ÷ Σ denominators).
* **有效回收率** = valid ÷ issued × 100.
* **Totals only** (仅有汇总数): a questionnaire known only by its 发放/回收/有效
  numbers and a stated satisfaction rate has no questions; its composite is
  the stated rate, and the method text says it cannot be recomputed.

Rates are percentages at full precision (``93.8461…``): each is computed as
an exact fraction and turned into a Decimal by one division, so a mean that is
exactly 90.425 rounds half up to 90.43 for display (through
:func:`evalsite.lib.numbers.format_percent`), never 90.42 from an accumulated
rounding error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from evalsite.lib.numbers import ZERO, format_percent, format_plain, percent, round_half_up

WEIGHTED = "weighted"
TOP_TWO = "top_two"
METHODS = (WEIGHTED, TOP_TWO)
METHOD_LABELS = {WEIGHTED: "加权得分法", TOP_TWO: "前两项占比法"}

TOTALS_ONLY_LABEL = "仅有汇总数"

MEAN = "mean"
POOLED = "pooled"
AGGREGATIONS = (MEAN, POOLED)

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


# --------------------------------------------------------------------------
# Input


@dataclass(frozen=True)
class OptionSpec:
    label: str
    weight: Decimal
    count: int = 0
    excluded: bool = False


@dataclass(frozen=True)
class QuestionSpec:
    title: str
    options: tuple[OptionSpec, ...]
    counted: bool = True
    multiple: bool = False  # several options per answer: shares are of ``answered``, never counted
    answered: int | None = None  # a multiple-choice question's answers (at least one option chosen)


@dataclass(frozen=True)
class SurveySpec:
    group: str
    questions: tuple[QuestionSpec, ...]
    method: str = WEIGHTED
    aggregation: str = MEAN
    issued: int = 0
    returned: int = 0
    valid: int = 0
    title: str = ""
    totals_only: bool = False
    stated_rate: Decimal | None = None  # percent, only for a questionnaire known by its totals


# --------------------------------------------------------------------------
# Output


def letter(index: int) -> str:
    return LETTERS[index] if index < len(LETTERS) else str(index + 1)


@dataclass(frozen=True)
class OptionResult:
    letter: str
    label: str
    count: int
    share: Decimal | None
    weight: Decimal
    excluded: bool
    top: bool  # one of the two options that count as satisfied (top-two method)

    @property
    def share_text(self) -> str:
        return format_percent(self.share)

    @property
    def heading(self) -> str:
        """``A.很满意``: the column heading of the annex table."""
        return f"{self.letter}.{self.label}"


@dataclass(frozen=True)
class QuestionResult:
    number: int
    title: str
    counted: bool
    options: tuple[OptionResult, ...]
    total: int
    satisfaction: Decimal | None  # percent, full precision; None when not counted or undefined
    numerator: Decimal  # Σ count × weight, or the top-two answers
    denominator: int  # the answers the satisfaction is taken over
    multiple: bool = False  # a multiple-choice question: ``total`` is its answers, shares do not add up to 100

    @property
    def total_share_text(self) -> str:
        return format_percent(Decimal(100) if self.total and not self.multiple else None)

    @property
    def satisfaction_text(self) -> str:
        return format_percent(self.satisfaction)

    @property
    def heading(self) -> str:
        return f"{self.number}.{self.title}"


@dataclass(frozen=True)
class SurveyResult:
    group: str
    title: str
    method: str
    aggregation: str
    issued: int
    returned: int
    valid: int
    questions: tuple[QuestionResult, ...]
    composite: Decimal | None
    notes: tuple[str, ...] = field(default_factory=tuple)
    totals_only: bool = False

    @property
    def recovery_rate(self) -> Decimal | None:
        """有效回收率 = 有效问卷 ÷ 发放问卷 × 100."""
        return percent(self.valid, self.issued) if self.issued else None

    @property
    def recovery_rate_text(self) -> str:
        return format_percent(self.recovery_rate)

    @property
    def composite_text(self) -> str:
        return format_percent(self.composite)

    @property
    def counted_questions(self) -> tuple[QuestionResult, ...]:
        return tuple(q for q in self.questions if q.counted)

    @property
    def method_label(self) -> str:
        return TOTALS_ONLY_LABEL if self.totals_only else METHOD_LABELS.get(self.method, self.method)

    @property
    def method_text(self) -> str:
        return method_text(self)


# --------------------------------------------------------------------------
# Computation


def top_indexes(options: tuple[OptionSpec, ...]) -> tuple[int, ...]:
    """The positions of the first two options not marked excluded."""
    return tuple(i for i, option in enumerate(options) if not option.excluded)[:2]


def question_result(number: int, spec: QuestionSpec, method: str) -> tuple[QuestionResult, list[str]]:
    if spec.multiple:
        return multiple_result(number, spec), []
    notes: list[str] = []
    total = sum(option.count for option in spec.options)
    tops = top_indexes(spec.options)
    options = tuple(
        OptionResult(
            letter=letter(i),
            label=option.label,
            count=option.count,
            share=percent(option.count, total) if total else None,
            weight=option.weight,
            excluded=option.excluded,
            top=i in tops,
        )
        for i, option in enumerate(spec.options)
    )
    if method == TOP_TWO:
        numerator = Decimal(sum(spec.options[i].count for i in tops))
        denominator = sum(option.count for option in spec.options if not option.excluded)
        if spec.counted and len(tops) < 2:
            notes.append(f"第{number}题可计入的选项不足两项，无法按前两项占比计算满意度")
            denominator = 0
    else:
        numerator = sum((Decimal(option.count) * option.weight for option in spec.options), ZERO)
        denominator = total
    satisfaction = as_decimal(exact_rate(numerator, denominator, method))
    if spec.counted and total == 0:
        notes.append(f"第{number}题没有回答，未计入综合满意度")
    elif spec.counted and satisfaction is None and method == TOP_TWO and len(tops) == 2:
        notes.append(f"第{number}题的回答都是不计入的选项，未计入综合满意度")
    return (
        QuestionResult(
            number=number,
            title=spec.title,
            counted=spec.counted,
            options=options,
            total=total,
            satisfaction=satisfaction if spec.counted else None,
            numerator=numerator,
            denominator=denominator,
        ),
        notes,
    )


def multiple_result(number: int, spec: QuestionSpec) -> QuestionResult:
    """A multiple-choice question: each option's share of the answers to the question; no satisfaction."""
    total = spec.answered if spec.answered is not None else max((option.count for option in spec.options), default=0)
    options = tuple(
        OptionResult(
            letter=letter(i), label=option.label, count=option.count,
            share=percent(option.count, total) if total else None,
            weight=option.weight, excluded=option.excluded, top=False,
        )
        for i, option in enumerate(spec.options)
    )
    return QuestionResult(
        number=number, title=spec.title, counted=False, options=options, total=total, satisfaction=None,
        numerator=ZERO, denominator=0, multiple=True,
    )


def compute(spec: SurveySpec) -> SurveyResult:
    """The whole questionnaire: shares, per-question satisfaction, composite rate, notes."""
    if spec.method not in METHODS:
        raise ValueError(f"unknown method: {spec.method!r}")
    if spec.aggregation not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation: {spec.aggregation!r}")
    if spec.totals_only:  # known by its totals: no questions, the stated rate as its composite
        questions: list[QuestionResult] = []
        composite = spec.stated_rate
        notes = count_notes(spec) + ([] if composite is not None else ["仅有汇总数的问卷尚未录入满意度"])
    else:
        questions, composite, notes = counted_result(spec)
    return SurveyResult(
        group=spec.group,
        title=spec.title,
        method=spec.method,
        aggregation=spec.aggregation,
        issued=spec.issued,
        returned=spec.returned,
        valid=spec.valid,
        questions=tuple(questions),
        composite=composite,
        notes=tuple(notes),
        totals_only=spec.totals_only,
    )


def counted_result(spec: SurveySpec) -> tuple[list[QuestionResult], Decimal | None, list[str]]:
    """The questions' results, the composite rate and the notes of a questionnaire with its counts."""
    notes: list[str] = []
    questions: list[QuestionResult] = []
    for number, question in enumerate(spec.questions, start=1):
        result, question_notes = question_result(number, question, spec.method)
        questions.append(result)
        notes.extend(question_notes)
        if result.total > spec.valid:
            notes.append(f"第{number}题合计{result.total}份，多于有效问卷{spec.valid}份")
        elif result.total < spec.valid:
            notes.append(f"第{number}题合计{result.total}份，少于有效问卷{spec.valid}份（有{spec.valid - result.total}份未作答）")
    notes += count_notes(spec)
    counted = [q for q in questions if q.counted and q.satisfaction is not None]
    if not any(q.counted for q in questions):
        notes.append("没有计入满意度的题目，无法计算综合满意度")
    return questions, composite_rate(counted, spec.method, spec.aggregation), notes


def count_notes(spec: SurveySpec) -> list[str]:
    notes = []
    if spec.returned > spec.issued:
        notes.append(f"回收问卷{spec.returned}份，多于发放的{spec.issued}份")
    if spec.valid > spec.returned:
        notes.append(f"有效问卷{spec.valid}份，多于回收的{spec.returned}份")
    return notes


def exact_rate(numerator: Decimal, denominator: int, method: str) -> Fraction | None:
    """A satisfaction in % as an exact fraction: Σ(count × weight) ÷ answers, or top-two answers × 100 ÷ answers."""
    if not denominator:
        return None
    scale = 100 if method == TOP_TWO else 1
    return Fraction(numerator) * scale / denominator


def as_decimal(value: Fraction | None) -> Decimal | None:
    """One correctly rounded division, so that rounding half up for display sees the exact value."""
    return None if value is None else Decimal(value.numerator) / Decimal(value.denominator)


def composite_rate(counted: list[QuestionResult], method: str, aggregation: str) -> Decimal | None:
    """Computed exactly from the questions' numerators and denominators, converted to Decimal once."""
    if not counted:
        return None
    if aggregation == MEAN:
        return as_decimal(sum(exact_rate(q.numerator, q.denominator, method) for q in counted) / len(counted))
    numerator = sum((q.numerator for q in counted), ZERO)
    return as_decimal(exact_rate(numerator, sum(q.denominator for q in counted), method))


# --------------------------------------------------------------------------
# Words


def numbers_text(numbers: list[int]) -> str:
    return "、".join(str(n) for n in numbers)


def weights_text(result: SurveyResult) -> str:
    """``很满意100、满意80…`` from the counted questions' options, each label once."""
    seen: dict[str, Decimal] = {}
    for question in result.counted_questions:
        for option in question.options:
            if seen.setdefault(option.label, option.weight) != option.weight:
                return "各题选项权重见问卷设置"
    return "、".join(f"{label}{format_plain(weight)}" for label, weight in seen.items())


def method_text(result: SurveyResult) -> str:
    """The paragraph the report prints to state how the composite rate was obtained."""
    counted = result.counted_questions
    parts = [
        f"{result.title or result.group}共发放问卷{result.issued}份，回收{result.returned}份，"
        f"其中有效问卷{result.valid}份，有效回收率{result.recovery_rate_text}。"
    ]
    if result.totals_only:
        parts.append(
            f"满意度为{result.composite_text}（{TOTALS_ONLY_LABEL}：评价组取得的是问卷的汇总结果，没有各题的份数，"
            "满意度按汇总结果录入，无法由份数复算）。"
        )
        return "".join(parts)
    if not counted:
        parts.append("问卷中没有计入满意度的题目。")
        return "".join(parts)
    if result.method == TOP_TWO:
        tops = sorted({o.label for q in counted for o in q.options if o.top}, key=_first_position(counted))
        excluded = sorted({o.label for q in counted for o in q.options if o.excluded}, key=_first_position(counted))
        rule = f"每题满意度=选择前两项（{'、'.join(tops)}）的份数÷该题回答份数"
        if excluded:
            rule += f"，其中选择{'、'.join(f'“{label}”' for label in excluded)}的回答不计入分母"
    else:
        rule = f"各选项按权重计分（{weights_text(result)}），每题满意度=Σ（选项份数×权重）÷该题回答份数"
    numbers = numbers_text([q.number for q in counted])
    if result.aggregation == POOLED:
        how = f"综合满意度将计入满意度的第{numbers}题的全部回答合并计算"
    else:
        how = f"综合满意度取计入满意度的第{numbers}题满意度的算术平均值"
    parts.append(f"满意度采用{result.method_label}：{rule}；{how}，为{result.composite_text}。")
    not_counted = [q.number for q in result.questions if not q.counted]
    if not_counted:
        parts.append(f"第{numbers_text(not_counted)}题为情况调查，不计入满意度。")
    return "".join(parts)


def _first_position(questions):
    order: dict[str, int] = {}
    for question in questions:
        for index, option in enumerate(question.options):
            order.setdefault(option.label, index)
    return lambda label: order.get(label, 99)


# --------------------------------------------------------------------------
# Plain data (the survey_summary --json shape)


def summary_dict(result: SurveyResult) -> dict:
    """Rates as strings rounded half up to two decimals; ``None`` where undefined."""

    def rate(value: Decimal | None) -> str | None:
        return None if value is None else str(round_half_up(value))

    return {
        "group": result.group,
        "issued": result.issued,
        "returned": result.returned,
        "valid": result.valid,
        "composite": rate(result.composite),
        "questions": [
            {
                "title": question.title,
                "counted": question.counted,
                "satisfaction": rate(question.satisfaction),
                "options": [
                    {"label": option.label, "count": option.count, "share": rate(option.share)}
                    for option in question.options
                ],
            }
            for question in result.questions
        ],
    }
