"""The 部门整体支出绩效自评表 (seed 001) as a document: one table, then the notes.

Layout of seed 001's department form: 部门（单位）名称; the budget block
(年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分 for 年度资金总额,
基本支出 and 项目支出); 年度总体目标 with 预期目标 and 实际完成情况; every
indicator with 年度指标值, 实际完成值, 分值, 得分 and 偏差原因分析及改进措施;
总分; 其他需要说明的问题; the notes. The 分值/得分 of the budget block are the
first-level indicator bound to 预算执行率 (the 自评表 templates have one);
every other number is the engine's or ``fiscal``'s.
"""

from __future__ import annotations

from evalsite.lib.numbers import NO_VALUE
from reports import narrative, report_tables
from reports.defaults import section_text
from reports.document_model import NOTE, Cell, Document, Table, paragraph
from reports.enums import SectionKey
from reports.placeholder_values import placeholder_values
from reports.placeholders import fill
from reports.queries import ReportData
from rubrics import scoring

WIDTHS = (2.4, 2.6, 4.2, 2.4, 2.4, 1.4, 1.4, 5.0)
EXECUTION_RATIO = "budget_execution_rate"


def selfeval_title(evaluation) -> str:
    return f"{evaluation.year}年{evaluation.department_name}整体支出绩效自评表"


def execution_node(data: ReportData) -> scoring.NodeResult | None:
    """The first-level indicator whose every leaf is bound to 预算执行率 (the budget block's 分值 and 得分)."""
    result = data.scored.result
    if result is None:
        return None
    bindings = {row.code: (row.binding or {}).get("ratio") for row in data.scored.rows}
    for node in result.nodes:
        leaves = [leaf for leaf in node.walk() if leaf.is_leaf]
        if leaves and all(bindings.get(leaf.code) == EXECUTION_RATIO for leaf in leaves):
            return node
    return None


def budget_rows(data: ReportData, execution: scoring.NodeResult | None) -> list[tuple[Cell, ...]]:
    head, text = report_tables.head, report_tables.text_cell
    amount, percent = report_tables.amount_cell, report_tables.percent_cell
    figures, ratios = data.figures, data.ratios
    lines = (
        ("年度资金总额", figures.expense_total, "budget_execution_rate"),
        ("其中：基本支出", figures.basic, "basic_execution_rate"),
        ("项目支出", figures.line("project"), "project_execution_rate"),
    )
    rows: list[tuple[Cell, ...]] = [
        (
            head("部门（单位）整体支出（万元）", rowspan=len(lines) + 1),
            head(""),
            head("年初预算数"),
            head("全年预算数（A）"),
            head("全年执行数（B）"),
            head("分值"),
            head("执行率（B/A）"),
            head("得分"),
        )
    ]
    for index, (label, triple, ratio) in enumerate(lines):
        first = index == 0
        weight = report_tables.score_cell(execution.applicable_weight) if first and execution else text(NO_VALUE)
        score = report_tables.score_cell(execution.score) if first and execution else text(NO_VALUE)
        rows.append(
            (
                text(label, align="left"),
                amount(triple.initial),
                amount(triple.adjusted),
                amount(triple.final),
                weight,
                percent(ratios[ratio].value),
                score,
            )
        )
    return rows


def goal_rows(data: ReportData, values: dict[str, str]) -> list[tuple[Cell, ...]]:
    head, text = report_tables.head, report_tables.text_cell
    goals = "\n".join(narrative.paragraphs_of(fill(section_text(SectionKey.SELFEVAL_GOALS, data), values)))
    outcome = "\n".join(narrative.paragraphs_of(fill(section_text(SectionKey.SELFEVAL_OUTCOME, data), values)))
    return [
        (head("年度总体目标", rowspan=2), head("预期目标", colspan=3), head("实际完成情况", colspan=4)),
        (text(goals or NO_VALUE, colspan=3, align="left"), text(outcome or NO_VALUE, colspan=4, align="left")),
    ]


def deviation_text(judgment, leaf: scoring.NodeResult) -> str:
    if judgment is not None and judgment.deviation_reason.strip():
        return narrative.clean(judgment.deviation_reason.strip())
    if leaf.score is not None and leaf.score == leaf.weight:
        return "无偏差"
    return ""


def indicator_rows(data: ReportData, execution: scoring.NodeResult | None) -> list[tuple[Cell, ...]]:
    head, text = report_tables.head, report_tables.text_cell
    rows: list[tuple[Cell, ...]] = [
        (
            head("一级指标"),
            head("二级指标"),
            head("三级指标"),
            head("年度指标值"),
            head("实际完成值"),
            head("分值"),
            head("得分"),
            head("偏差原因分析及改进措施"),
        )
    ]
    result = data.scored.result
    targets = {row.code: row.target for row in data.scored.rows}
    for first in result.nodes:
        if execution is not None and first.code == execution.code:
            continue
        leaves_in_first = sum(len(second.children) for second in first.children)
        for second_index, second in enumerate(first.children):
            for leaf_index, leaf in enumerate(second.children):
                judgment = data.judgments.get(leaf.code)
                cells: list[Cell] = []
                if second_index == 0 and leaf_index == 0:
                    cells.append(text(first.name, rowspan=leaves_in_first))
                if leaf_index == 0:
                    cells.append(text(second.name, rowspan=len(second.children)))
                negative = leaf.kind == scoring.DEDUCTION
                cells += [
                    text(leaf.name, align="left"),
                    text(narrative.clean(targets.get(leaf.code, "")) or NO_VALUE),
                    text(narrative.clean(judgment.actual) if judgment and judgment.actual else NO_VALUE),
                    report_tables.score_cell(leaf.weight, negative=negative),
                    report_tables.score_cell(leaf.score, negative=negative) if leaf.applicable else text("不适用"),
                    text(deviation_text(judgment, leaf), align="left"),
                ]
                rows.append(tuple(cells))
    closing = result.closing_rows
    for index, row in enumerate(closing):
        label = "总分" if index == len(closing) - 1 else row.name
        rows.append(
            (
                head(label, colspan=5),
                report_tables.score_cell(row.weight, bold=True),
                report_tables.score_cell(row.score, bold=True),
                text(""),
            )
        )
    return rows


def build_selfeval(data: ReportData, *, draft: bool | None = None) -> Document:
    evaluation = data.evaluation
    values = placeholder_values(data)
    title = selfeval_title(evaluation)
    head, text = report_tables.head, report_tables.text_cell
    blocks = []
    result = data.scored.result
    if result is None:
        blocks.append(paragraph("尚未选定指标体系，无法生成自评表。"))
        return Document(title=title, blocks=tuple(blocks), draft=not data.signed if draft is None else draft)
    execution = execution_node(data)
    rows: list[tuple[Cell, ...]] = [(head("部门（单位）名称"), text(evaluation.department_name, colspan=7))]
    rows += budget_rows(data, execution)
    rows += goal_rows(data, values)
    rows += indicator_rows(data, execution)
    other = "\n".join(narrative.paragraphs_of(fill(section_text(SectionKey.OTHER, data), values))) or "无"
    rows.append((head("其他需要说明的问题"), text(other, colspan=7, align="left")))
    table = Table(title, (), tuple(rows), widths=WIDTHS, key="selfeval", sheet="自评表")
    blocks.append(table)
    if result.capped:
        blocks.append(paragraph(result.conclusion, NOTE))
    for line in narrative.paragraphs_of(fill(section_text(SectionKey.SELFEVAL_NOTES, data), values)):
        blocks.append(paragraph(line, NOTE))
    return Document(
        title=title,
        blocks=tuple(blocks),
        draft=(not data.signed) if draft is None else draft,
        landscape=True,
        sheets=(table,),
        author=evaluation.firm.name,
    )
