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
from reports.selfeval_values import execution_node, selfeval_lines, shown
from rubrics import scoring, selfeval_form

WIDTHS = (2.4, 2.6, 4.2, 2.4, 2.4, 1.4, 1.4, 5.0)


def selfeval_title(evaluation) -> str:
    return f"{evaluation.year}年{evaluation.department_name}整体支出绩效自评表"


def budget_rows(data: ReportData, execution: scoring.NodeResult | None) -> list[tuple[Cell, ...]]:
    head, text = report_tables.head, report_tables.text_cell
    amount, percent = report_tables.amount_cell, report_tables.percent_cell
    figures, ratios = data.figures, data.ratios
    total, basic, project = selfeval_form.DEPARTMENT_LINES
    lines = (
        (total, figures.expense_total, "budget_execution_rate"),
        (basic, figures.basic, "basic_execution_rate"),
        (project, figures.line("project"), "project_execution_rate"),
    )
    rows: list[tuple[Cell, ...]] = [
        (
            head(selfeval_form.DEPARTMENT_BLOCK, rowspan=len(lines) + 1),
            head(""),
            *(head(header) for header in selfeval_form.DEPARTMENT_FUNDS_HEADERS),
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
        (
            head(selfeval_form.GOALS, rowspan=2),
            head(selfeval_form.EXPECTED, colspan=3),
            head(selfeval_form.OUTCOME, colspan=4),
        ),
        (text(goals or NO_VALUE, colspan=3, align="left"), text(outcome or NO_VALUE, colspan=4, align="left")),
    ]


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
    lines = selfeval_lines(data)
    for first in result.nodes:
        if execution is not None and first.code == execution.code:
            continue
        leaves_in_first = sum(len(second.children) for second in first.children)
        for second_index, second in enumerate(first.children):
            for leaf_index, leaf in enumerate(second.children):
                line = lines[leaf.code]
                cells: list[Cell] = []
                if second_index == 0 and leaf_index == 0:
                    cells.append(text(first.name, rowspan=leaves_in_first))
                if leaf_index == 0:
                    cells.append(text(second.name, rowspan=len(second.children)))
                negative = leaf.kind == scoring.DEDUCTION
                cells += [
                    text(leaf.name, align="left"),
                    text(shown(line.target)),
                    text(shown(line.actual)),
                    report_tables.score_cell(leaf.weight, negative=negative),
                    report_tables.score_cell(leaf.score, negative=negative) if leaf.applicable else text("不适用"),
                    text(line.deviation, align="left"),
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
    rows: list[tuple[Cell, ...]] = [(head(selfeval_form.DEPARTMENT_NAME), text(evaluation.department_name, colspan=7))]
    rows += budget_rows(data, execution)
    rows += goal_rows(data, values)
    rows += indicator_rows(data, execution)
    other = "\n".join(narrative.paragraphs_of(fill(section_text(SectionKey.OTHER, data), values)))
    other = other or data.form_texts.get("note") or "无"
    rows.append((head(selfeval_form.DEPARTMENT_NOTE), text(other, colspan=7, align="left")))
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
