"""附件1 指标体系评分表 as a document table: the report's annex, and therefore every download of it.

One builder serves the printed annex (DOCX, PDF), the sheet of the report
workbook, the evaluation's 指标体系评分表 download and the template library's
export of a template without scores. Columns, headers and labels are
:mod:`rubrics.indicator_sheet`'s, so the importer reads every one of them
back; scores, rates and the closing rows (合计, 折算…) are the engine's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reports import narrative, report_tables
from reports.document_model import Cell, Document, Table
from reports.placeholders import fill
from rubrics import indicator_sheet, scoring
from rubrics.indicator_sheet import WHEN_FILLED

PRINTED_KEY = "annex1"
SHEET_KEY = "annex1_sheet"


def _leaves(result: scoring.EvaluationResult) -> list[scoring.NodeResult]:
    return [leaf for node in result.nodes for second in node.children for leaf in second.children]


def _columns(
    result: scoring.EvaluationResult, texts: Mapping[str, Any], printed: Sequence[str] | None
) -> list[indicator_sheet.Column]:
    """Every column on a sheet (``printed`` None); in print the profile's columns, in their order on the sheet,
    without an optional column nobody filled."""
    if printed is None:
        return list(indicator_sheet.COLUMNS)
    leaves = _leaves(result)
    return [
        column
        for column in indicator_sheet.COLUMNS
        if column.key in printed
        and (column.printed != WHEN_FILLED or any(getattr(texts[leaf.code], column.key) for leaf in leaves))
    ]


def indicator_table(
    result: scoring.EvaluationResult,
    texts: Mapping[str, Any],
    processes: Mapping[str, str],
    *,
    printed: Sequence[str] | None,
    caption: str = "",
    with_scores: bool = True,
) -> Table:
    """One row per third-level indicator, first and second levels merged down, then the engine's closing rows.

    ``texts`` maps a leaf code to anything with the leaf's ``explanation``,
    ``basis``, ``target`` and ``criteria``; ``processes`` a leaf code to its
    filled 评分过程. ``printed``: the column keys the report prints (its
    profile's), or ``None`` for the sheet of every column. Without scores (a
    template) the 得分 and 得分率 cells stay empty.
    """
    columns = _columns(result, texts, printed)
    keys = [column.key for column in columns]
    align = {column.key: column.align for column in columns}
    header = (tuple(report_tables.head(column.header) for column in columns),)
    rows: list[tuple[Cell, ...]] = []
    blank = report_tables.text_cell("")
    seq = 0
    for first in result.nodes:
        first_leaves = sum(len(second.children) for second in first.children)
        first_label = indicator_sheet.group_label(first.code, first.name, first.weight, first.kind)
        for second_index, second in enumerate(first.children):
            second_label = indicator_sheet.group_label(second.code, second.name, second.weight, second.kind)
            for leaf_index, leaf in enumerate(second.children):
                seq += 1
                text = texts[leaf.code]
                negative = leaf.kind == scoring.DEDUCTION
                cells: dict[str, Cell | None] = {
                    "seq": report_tables.count_cell(seq),
                    "level1": report_tables.text_cell(first_label, rowspan=first_leaves)
                    if second_index == 0 and leaf_index == 0
                    else None,
                    "level2": report_tables.text_cell(second_label, rowspan=len(second.children))
                    if leaf_index == 0
                    else None,
                    "level3": report_tables.text_cell(indicator_sheet.leaf_label(leaf.code, leaf.name), align="left"),
                    "weight": report_tables.weight_cell(leaf),
                    "process": report_tables.text_cell(narrative.clean(processes.get(leaf.code, "")), align="left"),
                    "score": blank,
                    "rate": blank,
                }
                for key in indicator_sheet.TEXT_KEYS:
                    cells[key] = report_tables.text_cell(narrative.clean(getattr(text, key)), align=align.get(key, "center"))
                if with_scores and not leaf.applicable:
                    cells["score"] = report_tables.text_cell(indicator_sheet.NOT_APPLICABLE)
                    cells["rate"] = report_tables.no_value_cell()
                elif with_scores:
                    cells["score"] = report_tables.score_cell(leaf.score, negative=negative)
                    cells["rate"] = report_tables.rate_cell(leaf)
                rows.append(tuple(cells[key] for key in keys if cells[key] is not None))
    label_span = sum(1 for key in keys if key in indicator_sheet.LABEL_KEYS)
    blank_span = sum(1 for key in keys if key not in (*indicator_sheet.LABEL_KEYS, "weight", "score", "rate"))
    for closing in result.closing_rows:
        total: list[Cell] = [report_tables.text_cell(closing.name, colspan=label_span, bold=True)]
        total.append(report_tables.score_cell(closing.weight, True))
        if blank_span:
            total.append(report_tables.text_cell("", colspan=blank_span))
        if with_scores:
            total += [report_tables.score_cell(closing.score, True), report_tables.percent_cell(closing.rate, True)]
        else:
            total += [blank, blank]
        rows.append(tuple(total))
    has_deduction = any(node.kind == scoring.DEDUCTION for node in result.walk())
    return Table(
        caption,
        header,
        tuple(rows),
        widths=tuple(column.width for column in columns),
        note="" if printed is not None or not has_deduction else indicator_sheet.DEDUCTION_NOTE,
        key=SHEET_KEY if printed is None else PRINTED_KEY,
        sheet=indicator_sheet.SHEET_NAME if printed is None else "",
        compact=True,
    )


def evaluation_annex(
    data,
    values: Mapping[str, str],
    *,
    printed: bool,
    columns: Sequence[str] = (),
    processes: Mapping[str, str] | None = None,
) -> Table:
    """附件1 of an evaluation (``reports.queries.ReportData``).

    The sheet (``printed`` False) holds every column and each 评分过程 as written, filled through the
    placeholders (it imports back); the printed annex has the profile's ``columns`` and the 评分过程 the
    report prints (``processes``: leaf code → text, ended on the score and any adjustment's reason).
    """
    texts = {row.code: row for row in data.scored.rows}
    if processes is None or not printed:
        processes = {code: fill(judgment.process, values) for code, judgment in data.judgments.items()}
    caption = "" if printed else indicator_sheet.title(data.department.name)
    return indicator_table(
        data.scored.result, texts, processes, printed=tuple(columns) if printed else None, caption=caption
    )


def system_annex(
    name: str,
    tree: list[dict],
    settings: Mapping[str, Any] | None = None,
    judgments: Mapping[str, Mapping[str, Any]] | None = None,
) -> Table:
    """附件1 of a system in the ``rubrics/RULES.md`` shape, captioned ``name``; raise ``scoring.RuleError``.

    Without ``judgments`` (a template of the library) the score columns stay
    empty; with them (a scores file's entries) the engine scores the tree and
    each entry's ``process`` is the 评分过程.
    """
    indicators = scoring.indicators_from_dicts(tree)
    result = scoring.score(indicators, judgments or {}, scoring.settings_from_dict(settings))
    texts = {node.code: node for node in _walk(indicators)}
    processes = {code: str(entry.get("process") or "") for code, entry in (judgments or {}).items()}
    return indicator_table(result, texts, processes, printed=None, caption=name, with_scores=judgments is not None)


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def annex_workbook(table: Table, *, draft: bool, author: str = "") -> Document:
    """附件1 alone, as the document the XLSX renderer writes."""
    return Document(title=table.caption, blocks=(), draft=draft, sheets=(table,), author=author)
