"""附件2 绩效评价调查问卷结果分析: each questionnaire's method and, per question, its table and chart.

The shape is :mod:`surveys.annex`'s; shares, counts, totals and composite
rates come from ``surveys.results`` (via ``reports.queries.survey_part``);
charts from ``surveys.charts``. Nothing is computed here. The report prints
these blocks; the 附件2 workbook holds the same blocks, one sheet per
questionnaire.
"""

from __future__ import annotations

from dataclasses import replace

from reports import narrative
from reports.document_model import PLAIN, SUBTITLE, TITLE, Block, Document, Image, Sheet, Table, paragraph
from reports.report_tables import count_cell, head, percent_cell, text_cell
from surveys import annex

CHART_WIDTH_CM = 11.5
WORKBOOK_TITLE = "问卷结果分析"


def question_table(question, key: str) -> Table:
    """项 目 | A.很满意 | … | 合 计, then 满意度比率 and 份数 (seed 002 附件2)."""
    options = question.options
    header = ((head(annex.ITEM_HEADER), *(head(option.heading) for option in options), head(annex.TOTAL_HEADER)),)
    shares = (text_cell(annex.SHARE_ROW), *(percent_cell(option.share) for option in options))
    shares += (percent_cell(100 if question.total else None),)
    counts = (text_cell(annex.COUNT_ROW), *(count_cell(option.count) for option in options), count_cell(question.total))
    widths = (2.2, *(2.0 for _ in options), 1.8)
    return Table("", header, (shares, counts), widths=widths, key=key, compact=True)


def questionnaire_blocks(number: int, questionnaire, result, *, charts: bool = True) -> list[Block]:
    """One questionnaire's part of 附件2: title, its name, the method, then per question heading, table and chart."""
    blocks: list[Block] = [
        paragraph(annex.TITLE, TITLE),
        paragraph(annex.subtitle(narrative.clean(questionnaire.display_title)), TITLE),
        paragraph(narrative.clean(result.method_text)),
    ]
    for question in result.questions:
        blocks.append(paragraph(narrative.clean(annex.question_heading(question)), SUBTITLE))
        chart = charts and question.total
        table = question_table(question, key=f"survey{number}_q{question.number}")
        blocks.append(replace(table, keep_with_next=True) if chart else table)  # the chart stays with its table
        if chart:
            from surveys.charts import stored_chart

            digest, png = stored_chart(question, "png")
            blocks.append(Image(png, CHART_WIDTH_CM, alt=f"第{question.number}题回答分布", digest=digest))
    if result.notes:
        blocks.append(paragraph(annex.notes_line(result.notes), PLAIN))
    return blocks


def survey_annex_blocks(part, *, charts: bool = True) -> list[Block]:
    """The blocks of 附件2 for every questionnaire of ``part`` (a ``reports.queries.SurveyPart``)."""
    blocks: list[Block] = []
    for number, (questionnaire, result) in enumerate(part.results, start=1):
        blocks.extend(questionnaire_blocks(number, questionnaire, result, charts=charts))
    return blocks


def survey_annex_document(part, *, title: str, draft: bool) -> Document:
    """附件2 as a workbook: the report's blocks of each questionnaire on a sheet named for its group."""
    sheets = tuple(
        Sheet(questionnaire.group or f"问卷{number}", tuple(questionnaire_blocks(number, questionnaire, result, charts=False)))
        for number, (questionnaire, result) in enumerate(part.results, start=1)
    )
    return Document(title=title, blocks=(), draft=draft, sheets=sheets)
