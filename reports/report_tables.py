"""The report's tables as document tables: budget tables from ``fiscal``, score tables from the engine.

Each function only arranges numbers already computed (and rounded) elsewhere
into cells: a cell's text is what DOCX, HTML and PDF print, and its ``value``
with ``number_format`` is what the XLSX holds, the same number.
"""

from __future__ import annotations

from decimal import Decimal

from evalsite.lib.numbers import (
    AMOUNT_FORMAT,
    COUNT_FORMAT,
    HUNDRED,
    NO_VALUE,
    PERCENT_FORMAT,
    format_amount,
    format_percent,
    round_half_up,
)
from evaluations import fiscal
from reports.document_model import Cell, Table
from rubrics import scoring


def head(text: str, rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(text, rowspan=rowspan, colspan=colspan, bold=True, header=True)


def text_cell(text: str, *, align: str = "center", rowspan: int = 1, colspan: int = 1, bold: bool = False) -> Cell:
    return Cell(text or "", rowspan=rowspan, colspan=colspan, align=align, bold=bold)


def amount_cell(value: Decimal | None, bold: bool = False) -> Cell:
    """万元 with two decimals; :data:`NO_VALUE` when not given."""
    if value is None:
        return Cell(NO_VALUE, bold=bold)
    rounded = round_half_up(value)
    return Cell(str(rounded), bold=bold, value=rounded, number_format=AMOUNT_FORMAT)


def percent_cell(rate: Decimal | None, bold: bool = False) -> Cell:
    """A rate held in % (95.2381) as ``95.24%``; the XLSX holds 0.9524 formatted 0.00%."""
    if rate is None:
        return Cell(format_percent(None), bold=bold)
    rounded = round_half_up(rate)
    return Cell(format_percent(rate), bold=bold, value=rounded / HUNDRED, number_format=PERCENT_FORMAT)


def score_cell(value: Decimal | None, bold: bool = False, negative: bool = False) -> Cell:
    """A weight or score with two decimals like every score the report prints (``4.00``, ``2.50``)."""
    if value is None:
        return Cell(NO_VALUE, bold=bold)
    rounded = round_half_up(value)
    if negative and rounded != 0:
        rounded = -rounded
    return Cell(format_amount(rounded), bold=bold, value=rounded, number_format=AMOUNT_FORMAT)


def no_value_cell(bold: bool = False) -> Cell:
    return Cell(NO_VALUE, bold=bold)


def weight_cell(node: scoring.NodeResult, bold: bool = False) -> Cell:
    """A node's weight: a 加减分项目 container has none (it sits outside the 100); a deduction prints negative."""
    if node.kind == scoring.ADJUSTMENT:
        return no_value_cell(bold)
    weight = node.weight if node.is_leaf else node.applicable_weight
    return score_cell(weight, bold, negative=node.kind == scoring.DEDUCTION)


def rate_cell(node: scoring.NodeResult, bold: bool = False) -> Cell:
    """A node's 得分率; 加减分项 (bonus, deduction and their containers) have none, in every table."""
    if node.kind != scoring.NORMAL:
        return no_value_cell(bold)
    return percent_cell(node.rate, bold)


def count_cell(value: int, bold: bool = False) -> Cell:
    return Cell(str(value), bold=bold, value=value, number_format=COUNT_FORMAT)


# ---------------------------------------------------------------------------
# Budget tables (chapter 二)


def sheet_of(caption: str, label: str) -> str:
    """The XLSX sheet of a numbered table: its number as printed, then a short name (``表2-1 收入``)."""
    return f"{caption.split(' ', 1)[0]} {label}"


def income_table(figures: fiscal.Figures, caption: str) -> Table:
    """表2-1 收入预算执行情况表."""
    table = fiscal.income_table(figures)
    header = ((head("类别"), *(head(column) for column in table.columns)),)
    rows = tuple(
        (text_cell(row.label, align="left", bold=row.is_total), *(amount_cell(v, row.is_total) for v in row.values))
        for row in table.rows
    )
    return Table(caption, header, rows, widths=(4, 2, 2, 2), unit="单位：万元", key="income", sheet=sheet_of(caption, "收入"))


def expenditure_table(figures: fiscal.Figures, caption: str) -> Table:
    """表2-2 支出预算执行情况表 (two header rows, 基本支出 spanning three columns)."""
    table = fiscal.expenditure_table(figures)
    header = (
        (
            head("类别", rowspan=2),
            head("基本支出", colspan=3),
            head("项目支出"),
            head("本年支出合计", rowspan=2),
            head("年末结转和结余", rowspan=2),
            head("总计", rowspan=2),
        ),
        (head("人员经费"), head("公用经费"), head("小计"), head("小计")),
    )
    rows = []
    for row in table.rows:
        make = percent_cell if row.is_rate else amount_cell
        rows.append((text_cell(row.label), *(make(value) for value in row.values)))
    return Table(
        caption, header, tuple(rows), widths=(3, 2, 2, 2, 2, 2.2, 2.2, 2), unit="单位：万元", key="expenditure",
        sheet=sheet_of(caption, "支出"),
    )


def economic_table(figures: fiscal.Figures, caption: str) -> Table | None:
    """表2-3 基本支出情况表: classes merged down, 小计 per class, 总计."""
    table = fiscal.economic_table(figures)
    if not table:
        return None
    header = ((head("支出", colspan=2), head("支出金额（万元）"), head("结构占比")),)
    rows = []
    index = 0
    while index < len(table):
        row = table[index]
        if row.is_total:
            rows.append((text_cell("总计", colspan=2, bold=True), amount_cell(row.amount, True), percent_cell(row.share, True)))
            index += 1
            continue
        group = [r for r in table[index:] if r.category_label == row.category_label and not r.is_total]
        for offset, item in enumerate(group):
            category = (text_cell(row.category_label, rowspan=len(group)),) if offset == 0 else ()
            rows.append(
                (
                    *category,
                    text_cell(item.name, align="left" if not item.is_subtotal else "center", bold=item.is_subtotal),
                    amount_cell(item.amount, item.is_subtotal),
                    percent_cell(item.share, item.is_subtotal),
                )
            )
        index += len(group)
    return Table(caption, header, tuple(rows), widths=(3, 4, 2.5, 2), unit="单位：万元", key="economic", sheet=sheet_of(caption, "基本支出"))


def project_table(figures: fiscal.Figures, caption: str) -> Table | None:
    rows_data = fiscal.project_table(figures)
    if not rows_data:
        return None
    header = ((head("项目名称"), head("年初预算数"), head("调整预算数"), head("决算数"), head("预算执行率")),)
    rows = tuple(
        (
            text_cell(row.name, align="left", bold=row.is_total),
            amount_cell(row.budget.initial, row.is_total),
            amount_cell(row.budget.adjusted, row.is_total),
            amount_cell(row.budget.final, row.is_total),
            percent_cell(row.execution_rate, row.is_total),
        )
        for row in rows_data
    )
    return Table(caption, header, rows, widths=(5, 2, 2, 2, 2), unit="单位：万元", key="projects", sheet="项目支出")


# ---------------------------------------------------------------------------
# Score tables (chapters 四 and 五)


def summary_table(result: scoring.EvaluationResult, caption: str, key: str = "summary", sheet: str = "") -> Table:
    """表4-1: one row per first-level indicator, then 合计 (the engine's summary rows)."""
    header = ((head("一级指标"), head("权重分"), head("得分"), head("得分率")),)
    kinds = {node.code: node.kind for node in result.nodes}
    rows = []
    for row in result.summary:
        total = not row.code  # 合计 and the engine's closing rows
        adjustment = kinds.get(row.code) == scoring.ADJUSTMENT
        rows.append(
            (
                text_cell(row.name, bold=total),
                no_value_cell() if adjustment else score_cell(row.weight, total),
                score_cell(row.score, total),
                no_value_cell() if adjustment else percent_cell(row.rate, total),
            )
        )
    return Table(caption, header, tuple(rows), widths=(4, 2, 2, 2), key=key, sheet=sheet)


def indicator_label(node: scoring.NodeResult) -> str:
    return f"{node.code}{node.name}"


def first_level_table(node: scoring.NodeResult, caption: str, key: str) -> Table:
    """表5-n: the second-level rows of one first-level indicator, each followed by its third-level rows, then 合计."""
    header = ((head("指标名称"), head("权重"), head("得分"), head("得分率")),)
    rows = []
    for second in node.children:
        if not second.applicable:
            continue
        rows.append(_score_row(second, bold=True))
        for leaf in second.children:
            if leaf.applicable:
                rows.append(_score_row(leaf))
    rows.append((text_cell("合计", bold=True), weight_cell(node, True), score_cell(node.score, True), rate_cell(node, True)))
    return Table(caption, header, tuple(rows), widths=(6, 1.5, 1.5, 2), key=key)


def _score_row(node: scoring.NodeResult, bold: bool = False) -> tuple[Cell, ...]:
    return (
        text_cell(indicator_label(node), align="left", bold=bold),
        weight_cell(node, bold),
        score_cell(node.score, bold, negative=node.kind == scoring.DEDUCTION),
        rate_cell(node, bold),
    )
