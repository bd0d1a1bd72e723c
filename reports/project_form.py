"""A 项目支出绩效自评表 (seed 001) as a document: the form of one project, and the report's annex of them.

Layout of seed 001's project form: 项目名称; 主管部门 and 实施单位; the funds
block (年度资金总额 / 其中：当年财政拨款 / 上年结转资金 / 其他资金 × 年初预算数,
全年预算数, 全年执行数, 分值, 执行率, 得分); 年度总体目标 with 预期目标 and
实际完成情况; the 绩效指标 table (一级/二级/三级指标, 年度指标值, 实际完成值,
分值, 得分, 偏差原因分析及改进措施); 总分; 说明; the notes. The funds
block's 分值 and 得分 are the first-level 预算资金执行率 of the project's tree;
every score and total is the engine's (``rubrics.selfeval_form.score_project``).
The labels are :mod:`rubrics.selfeval_form`'s, which the importer reads, so a
rendered form imports back to the same project.

:func:`project_form_document` is the file of one project (XLSX, DOCX: the
exporters of ``reports.exports``); :func:`project_annex_blocks` is a
self-contained annex block the report adds when it holds project forms.
"""

from __future__ import annotations

from collections.abc import Sequence

from evalsite.lib.numbers import NO_VALUE
from reports import narrative, report_tables
from reports.document_model import NOTE, TITLE, Block, Cell, Document, Heading, PageBreak, Table, paragraph
from reports.selfeval_values import deviation_text, shown
from rubrics import scoring, selfeval_form
from rubrics.models import ProjectForm

WIDTHS = (1.6, 2.2, 2.4, 4.6, 2.4, 2.4, 1.4, 1.4, 5.0)
PERFORMANCE = "绩效指标"
ANNEX_TITLE = "重点项目支出绩效自评表"


def form_title(project: ProjectForm) -> str:
    """The form's heading, as the seed prints it: ``2022年武威市政府政务服务中心预算项目支出绩效自评表``."""
    evaluation = project.evaluation
    return f"{evaluation.year}年{evaluation.department_name}预算项目支出绩效自评表"


def file_title(project: ProjectForm) -> str:
    """The file's name: one per project (``2022年政务服务经费项目支出绩效自评表``)."""
    return f"{project.evaluation.year}年{project.name}项目支出绩效自评表"


def _execution_first(result: scoring.EvaluationResult, code: str) -> scoring.NodeResult | None:
    for node in result.nodes:
        if any(leaf.code == code for leaf in node.walk()):
            return node
    return None


def funds_rows(project: ProjectForm, result: scoring.EvaluationResult) -> list[tuple[Cell, ...]]:
    head, text = report_tables.head, report_tables.text_cell
    amount, percent, score = report_tables.amount_cell, report_tables.percent_cell, report_tables.score_cell
    form = selfeval_form.SelfEvalForm.from_json({"kind": selfeval_form.PROJECT, "funds": project.funds})
    by_label = {narrative.clean(line.label).replace(":", "：").replace(" ", ""): line for line in form.funds}
    execution = _execution_first(result, project.execution_code)
    rows: list[tuple[Cell, ...]] = [
        (
            head(selfeval_form.PROJECT_BLOCK, rowspan=len(selfeval_form.PROJECT_LINES) + 1),
            head("", colspan=2),
            *(head(header) for header in selfeval_form.PROJECT_FUNDS_HEADERS),
        )
    ]
    lines = [by_label.get(label.replace(" ", "")) for label in selfeval_form.PROJECT_LINES]
    for index, line in enumerate(lines):  # a form that words a line otherwise keeps its place
        if line is None and index < len(form.funds) and form.funds[index] not in lines:
            lines[index] = form.funds[index]
    for index, (label, line) in enumerate(zip(selfeval_form.PROJECT_LINES, lines, strict=True)):
        first = index == 0
        rows.append(
            (
                text(label, colspan=2, align="left"),
                amount(line.initial if line else None),
                amount(line.adjusted if line else None),
                amount(line.final if line else None),
                score(execution.applicable_weight) if first and execution else text(NO_VALUE),
                percent(line.rate if line else None),
                score(execution.score) if first and execution else text(NO_VALUE),
            )
        )
    return rows


def indicator_rows(project: ProjectForm, result: scoring.EvaluationResult) -> list[tuple[Cell, ...]]:
    head, text = report_tables.head, report_tables.text_cell
    execution = _execution_first(result, project.execution_code)
    firsts = [node for node in result.nodes if execution is None or node.code != execution.code]
    leaf_count = sum(len(second.children) for first in firsts for second in first.children)
    rows: list[tuple[Cell, ...]] = [
        (
            head(PERFORMANCE, rowspan=leaf_count + 1),
            *(head(header) for header in ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")),
            head("偏差原因分析及改进措施"),
        )
    ]
    targets = {node["code"]: node.get("target") or "" for node in _walk(project.tree)}
    for first in firsts:
        in_first = sum(len(second.children) for second in first.children)
        for second_index, second in enumerate(first.children):
            for leaf_index, leaf in enumerate(second.children):
                entry = project.judgments.get(leaf.code) or {}
                cells: list[Cell] = []
                if second_index == 0 and leaf_index == 0:
                    cells.append(text(first.name, rowspan=in_first))
                if leaf_index == 0:
                    cells.append(text(second.name, rowspan=len(second.children)))
                cells += [
                    text(f"指标{leaf_index + 1}：{leaf.name}", align="left"),
                    text(shown(narrative.clean(targets.get(leaf.code, "")).strip())),
                    text(shown(narrative.clean(entry.get("actual") or "").strip())),
                    report_tables.score_cell(leaf.weight),
                    report_tables.score_cell(leaf.score) if leaf.applicable else text("不适用"),
                    text(deviation_text(entry.get("deviation_reason") or "", (entry.get("process") or "",), leaf),
                         align="left"),
                ]
                rows.append(tuple(cells))
    rows.append(
        (
            head(selfeval_form.TOTAL, colspan=6),
            report_tables.score_cell(result.designed_weight, bold=True),
            report_tables.score_cell(result.total, bold=True),
            text(""),
        )
    )
    return rows


def _walk(nodes: Sequence[dict]):
    for node in nodes:
        yield node
        yield from _walk(node.get("children") or [])


def form_table(project: ProjectForm, result: scoring.EvaluationResult, *, caption: str = "") -> Table:
    head, text = report_tables.head, report_tables.text_cell
    rows: list[tuple[Cell, ...]] = [
        (head("项目名称"), text(project.name, colspan=8, align="left")),
        (
            head("主管部门"),
            text(project.supervisor or NO_VALUE, colspan=3, align="left"),
            head("实施单位"),
            text(project.implementer or NO_VALUE, colspan=4, align="left"),
        ),
    ]
    rows += funds_rows(project, result)
    rows += [
        (
            head(selfeval_form.GOALS, rowspan=2),
            head(selfeval_form.EXPECTED, colspan=4),
            head(selfeval_form.OUTCOME, colspan=4),
        ),
        (
            text(narrative.clean(project.goals) or NO_VALUE, colspan=4, align="left"),
            text(narrative.clean(project.outcome) or NO_VALUE, colspan=4, align="left"),
        ),
    ]
    rows += indicator_rows(project, result)
    rows.append((head(selfeval_form.PROJECT_NOTE), text(narrative.clean(project.note) or "无", colspan=8, align="left")))
    return Table(caption or form_title(project), (), tuple(rows), widths=WIDTHS, key=f"project-{project.pk}",
                 sheet=project.name[:28])


def form_blocks(project: ProjectForm, result: scoring.EvaluationResult, *, caption: str = "") -> list[Block]:
    """The form and its notes."""
    blocks: list[Block] = [form_table(project, result, caption=caption)]
    blocks += [paragraph(line, NOTE) for line in selfeval_form.PROJECT_NOTES]
    return blocks


def project_form_document(project: ProjectForm, result: scoring.EvaluationResult) -> Document:
    """One project's 项目支出绩效自评表 (the XLSX holds the form's table)."""
    blocks = form_blocks(project, result)
    evaluation = project.evaluation
    return Document(
        title=file_title(project),
        blocks=tuple(blocks),
        draft=not evaluation.is_locked,
        landscape=True,
        sheets=(blocks[0],),
        author=evaluation.firm.name,
    )


def project_annex_blocks(parts: Sequence, number: int) -> list[Block]:
    """附件N 重点项目支出绩效自评表: every project form the report carries (``parts``: ``ReportData.projects``)."""
    chosen = [part for part in parts if part.project.in_report]
    if not chosen:
        return []
    blocks: list[Block] = [PageBreak(landscape=True), Heading(1, f"附件{number}", anchor=f"annex{number}"),
                           paragraph(ANNEX_TITLE, TITLE)]
    for index, part in enumerate(chosen, start=1):
        caption = f"{index}．{part.project.name}"
        blocks += form_blocks(part.project, part.result, caption=caption)
    return blocks
