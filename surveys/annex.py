"""附件2 绩效评价调查问卷结果分析: its titles and the shape of each question's table, written down once.

Per questionnaire: the title, the questionnaire's name in brackets, the
method; per question its heading and a table ``项 目 | A.很满意 … | 合 计``
with the rows 满意度比率 and 份数 (seed 002). The report's annex
(``reports.survey_annex``), every download of it and the results page print
these. Pure: numbers come from :mod:`surveys.results`.
"""

from __future__ import annotations

from collections.abc import Sequence

TITLE = "绩效评价调查问卷结果分析"
ITEM_HEADER = "项 目"
TOTAL_HEADER = "合 计"
SHARE_ROW = "满意度比率"
COUNT_ROW = "份数"
NOT_COUNTED = "（情况调查，不计入满意度）"
MULTIPLE = "（多选题，比率为选择该项的份数÷作答份数，不计入满意度）"

#: The labels as one mapping, for templates (``{% annex_labels as annex %}``).
LABELS = {
    "title": TITLE,
    "item": ITEM_HEADER,
    "total": TOTAL_HEADER,
    "share": SHARE_ROW,
    "count": COUNT_ROW,
}


def subtitle(questionnaire_title: str) -> str:
    """``（企业和办事群众满意度调查）`` under the title."""
    return f"（{questionnaire_title}）"


def question_heading(question) -> str:
    """``1.您对大厅服务人员接待及协助是否满意?``; a question outside the rate says so."""
    if getattr(question, "multiple", False):
        return question.heading + MULTIPLE
    return question.heading + ("" if question.counted else NOT_COUNTED)


def notes_line(notes: Sequence[str]) -> str:
    return "说明：" + "；".join(notes) + "。"
