"""The budget tables of a report (表2-1 收入, 表2-2 支出, 表2-3 基本支出) read with the budget importer's reader.

:mod:`evaluations.budget_xlsx` recognises the three shapes and reads their
lines, whatever file they come from; here a report's grid is handed to it as
a sheet. Its problems about printed totals are kept (with the row and column
they name); the lines it reads become :class:`evaluations.fiscal.Figures`, from
which every ratio is recomputed by :func:`evaluations.fiscal.ratios`. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from audits.facts.numbers import Number, read_number
from audits.read.model import Grid, squeeze
from evalsite.lib.sheet_problems import SheetProblem
from evaluations import budget_xlsx, fiscal
from evaluations.enums import EconomicCategory

#: The shapes whose lines the ratios are computed from (the importer also knows 项目支出 and 其他, which a
#: report's other tables resemble too often: a 绩效目标申报表 names 三公经费).
SHAPES = ("income", "expenditure", "economic")
SHARE_HEADER = "占比"
TOTAL_PROBLEM = re.compile(r"“(?P<what>[^”]+)”为(?P<found>-?[\d.]+)，按各行计算应为(?P<expected>-?[\d.]+)")


class GridSheet:
    """A grid in the shape of an openpyxl worksheet, as the budget reader reads one (title, values by row)."""

    def __init__(self, grid: Grid) -> None:
        self.title = grid.name
        self.grid = grid

    def iter_rows(self, values_only: bool = True):
        """Each row's values; a cell merged from the one to its left is blank, as in a worksheet."""
        for r, row in enumerate(self.grid.rows):
            yield tuple("" if self.grid.origin(r, c)[1] < c else text for c, text in enumerate(row))


@dataclass(frozen=True)
class TotalProblem:
    """A printed total the budget reader found different from the sum of its rows."""

    grid: Grid
    row: int | None
    column: int | None
    what: str
    found: str
    expected: str
    message: str


@dataclass
class BudgetFacts:
    grids: dict[str, Grid] = field(default_factory=dict)  # shape → grid
    amounts: dict[str, Decimal | None] = field(default_factory=dict)
    economic: list[tuple[str, str, Decimal]] = field(default_factory=list)
    problems: list[TotalProblem] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.grids)

    @property
    def figures(self) -> fiscal.Figures:
        items = tuple(
            fiscal.EconomicItem(category, EconomicCategory(category).label, name, amount)
            for category, name, amount in self.economic
        )
        return fiscal.Figures(lines=budget_xlsx.lines_from_amounts(self.amounts), economic=items)

    def ratios(self) -> list[fiscal.Ratio]:
        """The ratios the tables give; one whose figures the tables do not print is left out."""
        if not {"income", "expenditure"} & self.grids.keys():
            return []
        return [ratio for ratio in fiscal.ratios(self.figures) if ratio.value is not None]


def read_budget(grids: list[Grid]) -> BudgetFacts:
    facts = BudgetFacts()
    for grid in grids:
        problems: list[SheetProblem] = []
        reader = budget_xlsx.SheetReader(GridSheet(grid), problems)
        shape = budget_xlsx.classify(reader)
        if shape not in SHAPES or shape in facts.grids or (shape == "economic" and grid.approximate):
            continue  # 表2-3's classes are labels merged down, which a PDF may have lost
        parsed = budget_xlsx.ParsedBudget()
        budget_xlsx.READERS[shape](reader, parsed)
        facts.grids[shape] = grid
        facts.amounts.update(parsed.amounts)
        if parsed.economic:
            facts.economic = list(parsed.economic)
        for problem in problems:
            match = TOTAL_PROBLEM.search(problem.message)
            if match:
                facts.problems.append(
                    TotalProblem(grid, _index(problem.row), _index(problem.column), match["what"], match["found"],
                                 match["expected"], problem.message)
                )
    return facts


def _index(one_based: int | None) -> int | None:
    return None if one_based is None else one_based - 1


@dataclass(frozen=True)
class PrintedRate:
    """A share or completion rate printed in a budget table, with the one the lines give."""

    grid: Grid
    row: int
    column: int
    label: str
    printed: Number
    computed: Decimal | None


def economic_shares(facts: BudgetFacts) -> list[PrintedRate]:
    """表2-3's 结构占比 cells beside the shares :func:`evaluations.fiscal.economic_table` computes."""
    grid = facts.grids.get("economic")
    if grid is None or not facts.economic:
        return []
    header = next((r for r, row in enumerate(grid.rows) if any(SHARE_HEADER in squeeze(t) for t in row)), None)
    if header is None:
        return []
    column = next(c for c, text in enumerate(grid.rows[header]) if SHARE_HEADER in squeeze(text))
    computed: dict[tuple[str, str], Decimal | None] = {}
    for line in fiscal.economic_table(facts.figures):
        name = "总计" if line.is_total else line.name
        computed[(line.category_label, name)] = line.share
    rates = []
    category = ""
    for r in range(header + 1, len(grid.rows)):
        first, second = squeeze(grid.cell(r, 0)), squeeze(grid.cell(r, 1))
        printed = read_number(grid.cell(r, column))
        if first.startswith(("总计", "合计")):
            key = ("总计", "总计")
        else:
            category = first or category
            key = (category, second)
        if printed is None or not printed.percent or key not in computed:
            continue
        label = "总计" if key[0] == "总计" else f"{key[0]}·{key[1]}"
        rates.append(PrintedRate(grid, r, column, label, printed, computed[key]))
    return rates


def completion_rates(facts: BudgetFacts) -> list[PrintedRate]:
    """表2-2's 预算完成率 row beside 决算数 ÷ 调整预算数 of each column (when both are printed)."""
    grid = facts.grids.get("expenditure")
    if grid is None:
        return []
    table = fiscal.expenditure_table(facts.figures)
    computed = table.row("预算完成率").values
    for r, row in enumerate(grid.rows):
        if squeeze(row[0]).startswith(("预算完成率", "预算执行率", "完成率")) and len(row) - 1 == len(computed):
            return [
                PrintedRate(grid, r, c, fiscal.EXPENSE_COLUMNS[c - 1], printed, computed[c - 1])
                for c in range(1, len(row))
                if (printed := read_number(row[c])) is not None and printed.percent
            ]
    return []
