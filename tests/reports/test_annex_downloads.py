"""Every download of an annex is the report's own table, and every workbook wears the same header style.

One evaluation that uses a library template: its 附件1 downloaded alone, inside
the report workbook and as the template itself (no scores), and printed in the
report (DOCX); its 附件2 downloaded and printed. Header and label cells must be
the same wherever the annex appears, and every header cell of every download
must carry the one fill and font of ``evalsite.lib.write_xlsx``.
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.enums import TeamRole
from rubrics import services as rubric_services
from rubrics.models import IndicatorSystem
from surveys import services as survey_services
from surveys.models import Question
from tests.factories import EvaluationFactory, team
from tests.reports.conftest import open_docx

pytestmark = pytest.mark.django_db

TEMPLATE = "decision-management-performance"  # seed 000's system: a 加减分 block and a 减分项
ANNEX1_SHEET = "附件1 指标体系评分表"
PRINTED_ALWAYS = {"一级指标", "二级指标", "三级指标", "权重", "指标解释", "评分标准", "得分", "得分率"}


@pytest.fixture
def engagement(client):
    evaluation = EvaluationFactory()
    rubric_services.install_builtin_systems(evaluation.firm)
    template = IndicatorSystem.objects.get(firm=evaluation.firm, slug=TEMPLATE)
    rubric_services.copy_system_into(evaluation, template.tree, source_name=template.name, settings=template.settings)
    survey_services.load_demo_surveys(evaluation)
    people = team(evaluation)
    client.force_login(people[TeamRole.LEAD])
    return evaluation, template


def fetch(client, name: str, *args) -> bytes:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def grid(sheet) -> list[list]:
    """The sheet's values with every merged cell's value in each cell it covers (as a reader sees the table)."""
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    for merged in sheet.merged_cells.ranges:
        top = values[merged.min_row - 1][merged.min_col - 1]
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                values[row - 1][column - 1] = top
    return values


def annex1_parts(sheet) -> tuple[list, list[list], set[str]]:
    """附件1 on a sheet: the header row, each body row's 序号…权重 cells down to 合计, the merges below the title."""
    values = grid(sheet)
    header = values[1]
    end = next(index for index, row in enumerate(values) if row[0] == "合计")
    body = [row[:5] for row in values[2 : end + 1]]
    merges = {str(r) for r in sheet.merged_cells.ranges if r.min_row > 1}
    return header, body, merges


def test_the_indicator_annex_downloads_have_the_same_header_and_label_cells(client, engagement):
    evaluation, template = engagement
    alone = workbook(fetch(client, "rubric_xlsx", evaluation.pk))
    in_report = workbook(fetch(client, "report_download", evaluation.pk, "xlsx"))
    of_template = workbook(fetch(client, "system_xlsx", template.pk))

    assert alone.sheetnames == of_template.sheetnames == [ANNEX1_SHEET]
    header, body, merges = annex1_parts(alone[ANNEX1_SHEET])
    assert annex1_parts(in_report[ANNEX1_SHEET]) == (header, body, merges)
    assert annex1_parts(of_template[ANNEX1_SHEET]) == (header, body, merges)
    assert header == ["序号", "一级指标", "二级指标", "三级指标", "权重", "指标解释", "评价依据", "标杆值", "评分标准", "评分过程", "得分", "得分率"]
    assert body[0] == [1, "A部门决策（15分）", "A1部门规划计划（5分）", "A11中长期规划科学合理性", 2]
    f2 = next(row for row in body if str(row[3]).startswith("F2"))
    assert f2[1:] == ["D加减分项目", "D2减分项", "F2部门或工作人员违法违纪情况", -2]


def test_the_printed_indicator_annex_has_the_downloads_header_and_labels(client, engagement):
    evaluation, _ = engagement
    header, body, _ = annex1_parts(workbook(fetch(client, "rubric_xlsx", evaluation.pk))[ANNEX1_SHEET])
    word = open_docx(fetch(client, "report_download", evaluation.pk, "docx"))
    printed = next(t for t in word.tables if {"三级指标", "指标解释"} <= {c.text for c in t.rows[0].cells})

    printed_header = [cell.text for cell in printed.rows[0].cells]
    assert printed_header == [name for name in header if name in printed_header]  # the same columns, in order
    assert PRINTED_ALWAYS <= set(printed_header)
    labels = [[cell.text for cell in row.cells[:3]] for row in printed.rows[1:]]
    assert labels[: len(body) - 1] == [row[1:4] for row in body[:-1]]
    assert labels[len(body) - 1][0] == "合计"


def survey_tables_of_sheets(book) -> list[tuple[list, list]]:
    """Each question table of the 附件2 workbook: its header cells and its row labels."""
    tables = []
    for sheet in book.worksheets:
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        for index, row in enumerate(rows):
            if row[0] == "项 目":
                width = len([value for value in row if value is not None])
                tables.append((row[:width], [rows[index + 1][0], rows[index + 2][0]]))
    return tables


def test_the_survey_annex_download_has_the_reports_header_and_label_cells(client, engagement):
    evaluation, _ = engagement
    downloaded = survey_tables_of_sheets(workbook(fetch(client, "survey_annex_xlsx", evaluation.pk)))
    word = open_docx(fetch(client, "report_download", evaluation.pk, "docx"))
    printed = [
        ([cell.text for cell in table.rows[0].cells], [row.cells[0].text for row in table.rows[1:]])
        for table in word.tables
        if table.rows[0].cells[0].text == "项 目"
    ]

    assert len(downloaded) == Question.objects.filter(questionnaire__evaluation=evaluation).count() == 17
    assert downloaded == printed
    assert downloaded[0] == (["项 目", "A.很满意", "B.满意", "C.一般", "D.不满意", "E.很不满意", "合 计"], ["满意度比率", "份数"])


def header_cells(book, texts: set[str]) -> list:
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value in texts]


@pytest.mark.parametrize(
    ("download", "headers"),
    [
        ("budget", {"类别", "支出类别", "项目名称", "金额（万元）"}),
        ("respondent", {"序号", "题号", "题目"}),
        ("annex1", {"一级指标", "三级指标", "得分率"}),
        ("template", {"一级指标", "三级指标", "得分率"}),
        ("annex2", {"项 目", "合 计"}),
        ("report", {"三级指标", "类别", "人员经费"}),
        ("selfeval", {"一级指标", "分值", "得分"}),
    ],
)
def test_every_download_wears_the_one_header_fill_and_font(client, engagement, download, headers):
    from evalsite.lib import write_xlsx

    evaluation, template = engagement
    questionnaire = evaluation.questionnaires.first()
    urls = {
        "budget": ("budget_xlsx", evaluation.pk),
        "respondent": ("survey_template_xlsx", evaluation.pk, questionnaire.pk),
        "annex1": ("rubric_xlsx", evaluation.pk),
        "template": ("system_xlsx", template.pk),
        "annex2": ("survey_annex_xlsx", evaluation.pk),
        "report": ("report_download", evaluation.pk, "xlsx"),
        "selfeval": ("report_download", evaluation.pk, "selfeval-xlsx"),
    }
    book = workbook(fetch(client, *urls[download]))

    named = header_cells(book, headers)
    assert {cell.value for cell in named} == headers
    assert all(cell.fill == write_xlsx.HEADER_FILL and cell.font == write_xlsx.HEADER_FONT for cell in named)
    filled = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.fill.fill_type]
    assert {(cell.fill.fgColor.rgb, cell.font.b) for cell in filled} == {(write_xlsx.HEADER_FILL.fgColor.rgb, True)}
