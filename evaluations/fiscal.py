"""Budget tables and fiscal ratios, computed from the entered figures.

Pure Python: plain dataclasses in, tables and ratios out. Every total,
subtotal, share and rate the product shows for a budget comes from here; no
template or renderer adds numbers itself. ``None`` means "not given" (printed
"-"); in sums it counts as zero, but a sum of nothing but ``None`` stays
``None``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from evalsite.lib.numbers import ZERO, format_amount, format_percent, percent

COLUMNS: tuple[tuple[str, str], ...] = (
    ("initial", "年初预算数"),
    ("adjusted", "调整预算数"),
    ("final", "决算数"),
)
INCOME_SOURCES: tuple[tuple[str, str], ...] = (
    ("general", "一、一般公共预算财政拨款收入"),
    ("fund", "二、政府性基金预算财政拨款收入"),
    ("other", "三、其他收入"),
)
CARRY_IN = ("carry_in", "年初结转结余")
EXPENSE_LINES: tuple[tuple[str, str], ...] = (
    ("personnel", "人员经费"),
    ("public", "公用经费"),
    ("basic", "基本支出"),
    ("project", "项目支出"),
    ("carry_out", "年末结转和结余"),
)
#: Every line stored as a triple, in the order the model holds them.
TRIPLE_LINES: tuple[str, ...] = (
    "general",
    "fund",
    "other",
    "carry_in",
    "personnel",
    "public",
    "basic",
    "project",
    "carry_out",
)


def add(values: Iterable[Decimal | None]) -> Decimal | None:
    """Sum, treating ``None`` as zero, but ``None`` when every value is ``None``."""
    given = [value for value in values if value is not None]
    if not given:
        return None
    return sum(given, ZERO)


def zero_if_none(value: Decimal | None) -> Decimal:
    return ZERO if value is None else value


@dataclass(frozen=True)
class Triple:
    initial: Decimal | None = None
    adjusted: Decimal | None = None
    final: Decimal | None = None

    def column(self, key: str) -> Decimal | None:
        return getattr(self, key)

    @classmethod
    def total(cls, triples: Iterable[Triple]) -> Triple:
        triples = list(triples)
        return cls(*(add(t.column(key) for t in triples) for key, _ in COLUMNS))

    @property
    def is_empty(self) -> bool:
        return all(self.column(key) is None for key, _ in COLUMNS)


@dataclass(frozen=True)
class EconomicItem:
    category: str
    category_label: str
    name: str
    amount: Decimal


@dataclass(frozen=True)
class ProjectItem:
    name: str
    budget: Triple


@dataclass(frozen=True)
class Figures:
    """Everything the budget tables and ratios are computed from."""

    lines: dict[str, Triple] = field(default_factory=dict)
    three_public_budget: Decimal | None = None
    three_public_actual: Decimal | None = None
    prev_three_public_budget: Decimal | None = None
    prev_three_public_actual: Decimal | None = None
    prev_carryover: Decimal | None = None
    procurement_budget: Decimal | None = None
    procurement_actual: Decimal | None = None
    staff_authorized: int | None = None
    staff_actual: int | None = None
    economic: tuple[EconomicItem, ...] = ()
    projects: tuple[ProjectItem, ...] = ()

    def line(self, key: str) -> Triple:
        return self.lines.get(key, Triple())

    # Derived lines -------------------------------------------------------
    @property
    def income_total(self) -> Triple:
        """本年收入合计."""
        return Triple.total(self.line(key) for key, _ in INCOME_SOURCES)

    @property
    def income_grand_total(self) -> Triple:
        """总计 of 表2-1: 本年收入合计 + 年初结转结余."""
        return Triple.total([self.income_total, self.line("carry_in")])

    @property
    def basic(self) -> Triple:
        """基本支出: 人员经费 + 公用经费, or the unsplit figure when neither is given."""
        personnel, public = self.line("personnel"), self.line("public")
        if personnel.is_empty and public.is_empty:
            return self.line("basic")
        return Triple.total([personnel, public])

    @property
    def basic_is_split(self) -> bool:
        return not (self.line("personnel").is_empty and self.line("public").is_empty)

    @property
    def expense_total(self) -> Triple:
        """本年支出合计: 基本支出 + 项目支出."""
        return Triple.total([self.basic, self.line("project")])

    @property
    def expense_grand_total(self) -> Triple:
        """总计 of 表2-2: 本年支出合计 + 年末结转和结余."""
        return Triple.total([self.expense_total, self.line("carry_out")])


# Tables ------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[Decimal | None, ...]
    is_total: bool = False
    is_rate: bool = False

    @property
    def cells(self) -> list[str]:
        formatter = format_percent if self.is_rate else format_amount_or_dash
        return [formatter(value) for value in self.values]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[Row, ...]

    def row(self, label: str) -> Row:
        for row in self.rows:
            if row.label == label:
                return row
        raise KeyError(label)


def format_amount_or_dash(value: Decimal | None) -> str:
    return "-" if value is None else format_amount(value)


def _triple_values(triple: Triple) -> tuple[Decimal | None, ...]:
    return tuple(triple.column(key) for key, _ in COLUMNS)


def income_table(figures: Figures) -> Table:
    """表2-1 收入预算执行情况表."""
    rows = [Row(label, _triple_values(figures.line(key))) for key, label in INCOME_SOURCES]
    rows.append(Row("本年收入合计", _triple_values(figures.income_total), is_total=True))
    rows.append(Row(CARRY_IN[1], _triple_values(figures.line(CARRY_IN[0]))))
    rows.append(Row("总计", _triple_values(figures.income_grand_total), is_total=True))
    return Table(tuple(label for _, label in COLUMNS), tuple(rows))


EXPENSE_COLUMNS = ("人员经费", "公用经费", "基本支出小计", "项目支出小计", "本年支出合计", "年末结转和结余", "总计")


def expenditure_table(figures: Figures) -> Table:
    """表2-2 支出预算执行情况表: one row per column of the budget, plus 预算完成率."""
    parts = [
        figures.line("personnel"),
        figures.line("public"),
        figures.basic,
        figures.line("project"),
        figures.expense_total,
        figures.line("carry_out"),
        figures.expense_grand_total,
    ]
    rows = [Row(label, tuple(part.column(key) for part in parts)) for key, label in COLUMNS]
    completion = tuple(percent_or_none(part.final, part.adjusted) for part in parts)
    rows.append(Row("预算完成率", completion, is_rate=True))
    return Table(EXPENSE_COLUMNS, tuple(rows))


def percent_or_none(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator / denominator as a percentage; ``None`` (printed "—") when either is not given or the divisor is 0."""
    if numerator is None or denominator is None or denominator == ZERO:
        return None
    return percent(numerator, denominator)


@dataclass(frozen=True)
class EconomicRow:
    category_label: str
    name: str
    amount: Decimal
    share: Decimal | None
    is_subtotal: bool = False
    is_total: bool = False


def economic_table(figures: Figures) -> list[EconomicRow]:
    """表2-3 基本支出情况表: lines grouped by class, 小计 per class, 总计, 结构占比 of each."""
    total = add(item.amount for item in figures.economic) or ZERO
    rows: list[EconomicRow] = []
    for category_label, items in _group_by_category(figures.economic):
        for item in items:
            rows.append(
                EconomicRow(category_label, item.name, item.amount, percent_or_none(item.amount, total))
            )
        subtotal = add(item.amount for item in items) or ZERO
        rows.append(
            EconomicRow(category_label, "小计", subtotal, percent_or_none(subtotal, total), is_subtotal=True)
        )
    if rows:
        rows.append(EconomicRow("总计", "", total, percent_or_none(total, total), is_total=True))
    return rows


def _group_by_category(items: Sequence[EconomicItem]) -> list[tuple[str, list[EconomicItem]]]:
    groups: dict[str, tuple[str, list[EconomicItem]]] = {}
    for item in items:
        groups.setdefault(item.category, (item.category_label, []))[1].append(item)
    return list(groups.values())


@dataclass(frozen=True)
class ProjectRow:
    name: str
    budget: Triple
    execution_rate: Decimal | None
    is_total: bool = False


def project_table(figures: Figures) -> list[ProjectRow]:
    rows = [
        ProjectRow(item.name, item.budget, percent_or_none(item.budget.final, item.budget.adjusted))
        for item in figures.projects
    ]
    if rows:
        total = Triple.total(item.budget for item in figures.projects)
        rows.append(ProjectRow("合计", total, percent_or_none(total.final, total.adjusted), is_total=True))
    return rows


# Ratios ------------------------------------------------------------------


@dataclass(frozen=True)
class Ratio:
    """A computed fiscal ratio with the formula and the figures it used."""

    key: str
    label: str
    formula: str
    value: Decimal | None
    expression: str
    note: str = ""

    @property
    def display(self) -> str:
        return format_percent(self.value)

    @property
    def name(self) -> str:
        """The label as running text writes it, without typographic quotes: ``三公经费控制率``."""
        return self.label.replace("“", "").replace("”", "")

    @property
    def worked(self) -> str:
        """The ratio worked out as the reports write it: ``预算调整率 = (a − b) / b = -5.18%``."""
        if self.value is None:
            return f"{self.label} = {self.formula}：{self.note}"
        return f"{self.label} = {self.expression} = {self.display}"


@dataclass(frozen=True)
class Operand:
    """One figure a ratio is computed from, with the name a "cannot compute" note gives it."""

    name: str
    value: Decimal | int | None


def _unusable(*operands: Operand, divisor: Operand) -> str:
    """Why a ratio cannot be computed, naming each missing figure (or the zero divisor); "" when it can."""
    missing = [operand.name for operand in (*operands, divisor) if operand.value is None]
    if missing:
        return f"{'、'.join(dict.fromkeys(missing))}未填写，无法计算"
    if divisor.value == 0:
        return f"{divisor.name}为0，无法计算"
    return ""


def _quotient(key, label, formula, numerator: Operand, denominator: Operand) -> Ratio:
    note = _unusable(numerator, divisor=denominator)
    if note:
        return Ratio(key, label, formula, None, "", note)
    value = percent(numerator.value, denominator.value)
    return Ratio(key, label, formula, value, f"{_shown(numerator.value)} / {_shown(denominator.value)}")


def _change(key, label, formula, current: Operand, base: Operand) -> Ratio:
    note = _unusable(current, divisor=base)
    if note:
        return Ratio(key, label, formula, None, "", note)
    value = percent(current.value - base.value, base.value)
    expression = f"({_shown(current.value)} − {_shown(base.value)}) / {_shown(base.value)}"
    return Ratio(key, label, formula, value, expression)


def _shown(value: Decimal | int) -> str:
    """An operand as the worked formula prints it: amounts with two decimals, head counts as they are."""
    return str(value) if isinstance(value, int) else format_amount(value)


def ratios(figures: Figures) -> list[Ratio]:
    """The fiscal ratios of DOMAIN.md, in the order the budget page shows them.

    A ratio is ``None`` (printed "—") when a figure it needs is not given or its
    divisor is 0; its note names the missing figure. A blank figure is never read as 0.
    """
    expense = figures.expense_total
    basic = figures.basic
    project = figures.line("project")
    public = figures.line("public")
    carry_out = figures.line("carry_out")
    return [
        _quotient(
            "budget_execution_rate", "预算执行率", "决算数 / 调整预算数",
            Operand("支出决算数", expense.final), Operand("支出调整预算数", expense.adjusted),
        ),
        _change(
            "budget_adjustment_rate", "预算调整率", "(调整预算数 − 年初预算数) / 年初预算数",
            Operand("支出调整预算数", expense.adjusted), Operand("支出年初预算数", expense.initial),
        ),
        _quotient(
            "carryover_rate", "结转结余率", "年末结转和结余 / 调整预算数",
            Operand("年末结转和结余决算数", carry_out.final), Operand("支出调整预算数", expense.adjusted),
        ),
        _change(
            "carryover_change_rate", "结转结余变动率", "(本年末结转结余 − 上年末结转结余) / 上年末结转结余",
            Operand("年末结转和结余决算数", carry_out.final), Operand("上年末结转结余", figures.prev_carryover),
        ),
        _quotient(
            "basic_execution_rate", "基本支出预算执行率", "基本支出决算数 / 基本支出调整预算数",
            Operand("基本支出决算数", basic.final), Operand("基本支出调整预算数", basic.adjusted),
        ),
        _change(
            "basic_adjustment_rate", "基本支出预算调整率",
            "(基本支出调整预算数 − 基本支出年初预算数) / 基本支出年初预算数",
            Operand("基本支出调整预算数", basic.adjusted), Operand("基本支出年初预算数", basic.initial),
        ),
        _quotient(
            "project_execution_rate", "项目支出预算执行率", "项目支出决算数 / 项目支出调整预算数",
            Operand("项目支出决算数", project.final), Operand("项目支出调整预算数", project.adjusted),
        ),
        _change(
            "project_adjustment_rate", "项目支出预算调整率",
            "(项目支出调整预算数 − 项目支出年初预算数) / 项目支出年初预算数",
            Operand("项目支出调整预算数", project.adjusted), Operand("项目支出年初预算数", project.initial),
        ),
        _quotient(
            "public_expense_control_rate", "公用经费控制率", "公用经费决算数 / 公用经费调整预算数",
            Operand("公用经费决算数", public.final), Operand("公用经费调整预算数", public.adjusted),
        ),
        _change(
            "public_expense_adjustment_rate", "公用经费调整率",
            "(公用经费调整预算数 − 公用经费年初预算数) / 公用经费年初预算数",
            Operand("公用经费调整预算数", public.adjusted), Operand("公用经费年初预算数", public.initial),
        ),
        _quotient(
            "three_public_control_rate", "“三公”经费控制率", "“三公”经费决算数 / “三公”经费预算数",
            Operand("“三公”经费决算数", figures.three_public_actual),
            Operand("“三公”经费预算数", figures.three_public_budget),
        ),
        _change(
            "three_public_change_rate", "“三公”经费变动率", "(本年“三公”经费预算数 − 上年“三公”经费预算数) / 上年“三公”经费预算数",
            Operand("本年“三公”经费预算数", figures.three_public_budget),
            Operand("上年“三公”经费预算数", figures.prev_three_public_budget),
        ),
        _quotient(
            "staff_control_rate", "在职人员控制率", "实有人数 / 编制数",
            Operand("实有人数", figures.staff_actual), Operand("编制数", figures.staff_authorized),
        ),
        _quotient(
            "procurement_execution_rate", "政府采购执行率", "政府采购实际数 / 政府采购预算数",
            Operand("政府采购实际数", figures.procurement_actual), Operand("政府采购预算数", figures.procurement_budget),
        ),
        _quotient(
            "personnel_share", "人员经费占基本支出比例", "人员经费决算数 / 基本支出决算数",
            Operand("人员经费决算数", figures.line("personnel").final), Operand("基本支出决算数", basic.final),
        ),
    ]


def ratio_by_key(figures: Figures) -> dict[str, Ratio]:
    return {ratio.key: ratio for ratio in ratios(figures)}


#: Every ratio :func:`ratios` computes, without figures: the one list of keys, labels and formulas.
RATIO_SPECS: tuple[Ratio, ...] = tuple(ratios(Figures()))
RATIO_LABELS: dict[str, str] = {ratio.key: ratio.label for ratio in RATIO_SPECS}


# Consistency -------------------------------------------------------------


def consistency_warnings(figures: Figures) -> list[str]:
    """Disagreements between tables that a reader of the report would notice."""
    warnings: list[str] = []
    income, expense = figures.income_grand_total, figures.expense_grand_total
    for key, label in COLUMNS:
        left, right = income.column(key), expense.column(key)
        if left is not None and right is not None and left != right:
            warnings.append(
                f"收入总计与支出总计不一致（{label}）：收入{format_amount(left)}万元，支出{format_amount(right)}万元。"
            )
    if figures.economic:
        economic_total = add(item.amount for item in figures.economic)
        basic_final = figures.basic.final
        if basic_final is not None and economic_total != basic_final:
            warnings.append(
                f"表2-3基本支出明细合计{format_amount(economic_total)}万元，"
                f"与表2-2基本支出决算数{format_amount(basic_final)}万元不一致。"
            )
    if figures.projects:
        project_total = Triple.total(item.budget for item in figures.projects)
        project_line = figures.line("project")
        for key, label in COLUMNS:
            left, right = project_total.column(key), project_line.column(key)
            if left is not None and right is not None and left != right:
                warnings.append(
                    f"项目支出明细合计（{label}）{format_amount(left)}万元，"
                    f"与表2-2项目支出{format_amount(right)}万元不一致。"
                )
    basic_line = figures.line("basic")
    if figures.basic_is_split and not basic_line.is_empty:
        warnings.append("已填写人员经费/公用经费，未分项的基本支出数不再使用，请清空。")
    return warnings
