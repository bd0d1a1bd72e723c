"""附件2 绩效评价调查问卷结果分析: each questionnaire's method and, per question, its table and chart.

Shares, counts, totals and composite rates come from ``surveys.results`` (via
``reports.queries.survey_part``); charts from ``surveys.charts``. Nothing is
computed here.
"""

from __future__ import annotations

from dataclasses import replace

from reports import narrative
from reports.document_model import PLAIN, SUBTITLE, TITLE, Block, Image, Table, paragraph
from reports.report_tables import count_cell, head, percent_cell, text_cell

CHART_WIDTH_CM = 11.5


def question_table(question, key: str) -> Table:
    """项目 | A.很满意 | … | 合计, then 满意度比率 and 份数 (seed 002 附件2)."""
    header = ((head("项 目"), *(head(option.heading) for option in question.options), head("合 计")),)
    shares = (text_cell("满意度比率"), *(percent_cell(option.share) for option in question.options))
    shares += (percent_cell(100 if question.total else None),)
    counts = (text_cell("份数"), *(count_cell(option.count) for option in question.options), count_cell(question.total))
    widths = (2.2, *(2.0 for _ in question.options), 1.8)
    return Table("", header, (shares, counts), widths=widths, key=key, compact=True)


def survey_annex_blocks(part, *, charts: bool = True) -> list[Block]:
    """The blocks of 附件2 for every questionnaire of ``part`` (a ``reports.queries.SurveyPart``)."""
    blocks: list[Block] = []
    for number, (questionnaire, result) in enumerate(part.results, start=1):
        blocks.append(paragraph("绩效评价调查问卷结果分析", TITLE))
        blocks.append(paragraph(f"（{narrative.clean(questionnaire.display_title)}）", TITLE))
        blocks.append(paragraph(narrative.clean(result.method_text)))
        for question in result.questions:
            note = "" if question.counted else "（情况调查，不计入满意度）"
            blocks.append(paragraph(narrative.clean(question.heading) + note, SUBTITLE))
            chart = charts and question.total
            table = question_table(question, key=f"survey{number}_q{question.number}")
            blocks.append(replace(table, keep_with_next=True) if chart else table)  # the chart stays with its table
            if chart:
                from surveys.charts import question_chart

                png = question_chart(question, "png")
                blocks.append(Image(png, CHART_WIDTH_CM, alt=f"第{question.number}题回答分布"))
        if result.notes:
            blocks.append(paragraph("说明：" + "；".join(result.notes) + "。", PLAIN))
    return blocks


