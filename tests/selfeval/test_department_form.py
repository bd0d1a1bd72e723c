"""Seed 001's department 自评表 as input, and the 自评表 rendered from it read back to the same form.

The form's indicators, 年度指标值, 实际完成值, 偏差原因 and scores go into the
evaluation (tree, 标杆值, judgments); its funds block becomes the budget
figures and the first-level 预算执行率 the engine scores from them; its
年度总体目标 texts come back in the 自评表.
"""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.enums import TeamRole
from evaluations.models import Evaluation
from evaluations.queries import figures_for
from reports.exports import EXPORTERS
from reports.queries import report_data
from reports.render_docx import render_docx
from reports.selfeval import build_selfeval
from rubrics.indicator_xlsx import read_indicator_workbook
from rubrics.models import Judgment
from rubrics.queries import evaluation_result
from tests.factories import EvaluationFactory, team
from tests.reports.conftest import open_docx
from tests.selfeval.seed_001 import DEPARTMENT, form_bytes

pytestmark = pytest.mark.django_db


def leaves_of(imported) -> list[tuple]:
    """Every third-level row as the form states it: names, weight, 年度指标值, 实际完成值, score."""
    rows = []
    for first in imported.system["indicators"]:
        for second in first["children"]:
            for leaf in second["children"]:
                judgment = imported.judgments.get(leaf["code"], {})
                rows.append((
                    first["name"], second["name"], leaf["name"], leaf["weight"], leaf.get("target", ""),
                    judgment.get("actual", ""), (judgment.get("inputs") or {}).get("score"),
                ))
    return rows


@pytest.fixture
def imported():
    return read_indicator_workbook(form_bytes(DEPARTMENT))


def test_the_form_reads_with_its_blocks(imported):
    form = imported.form
    assert (form.kind, form.weight, form.execution_rate) == ("department", Decimal(10), Decimal("100.00"))
    assert [(line.label, line.initial, line.adjusted, line.final) for line in form.funds] == [
        ("全年支出", Decimal("361.95"), Decimal("494.39"), Decimal("494.39")),
        ("其中:基本支出", Decimal("116.95"), Decimal("150.85"), Decimal("150.85")),
        ("项目支出", Decimal("245"), Decimal("343.54"), Decimal("343.54")),
    ]
    assert form.goals == DEPARTMENT.goals
    assert form.outcome == DEPARTMENT.outcome
    assert form.note == "无"
    first_level = [(n["code"], n["name"], n["weight"]) for n in imported.system["indicators"]]
    assert first_level == [("A", "预算执行率", "10"), ("B", "部门管理", "20"), ("C", "履职效果", "50"),
                           ("D", "能力建设", "10"), ("E", "服务对象满意度", "10")]
    execution = imported.system["indicators"][0]["children"][0]["children"][0]
    assert execution["binding"] == {"ratio": "budget_execution_rate"}
    assert len(leaves_of(imported)) == 1 + len(DEPARTMENT.rows)
    b11 = leaves_of(imported)[1]
    assert b11 == ("部门管理", "资金投入", "基本支出预算执行率", "2", "100%", "100%", "2")
    assert imported.judgments["C13"]["inputs"] == {"score": "4"}
    assert imported.judgments["C51"]["deviation_reason"].startswith("服务对象信息化程度提高")  # 社会效益指标/服务便利化水平


def test_the_printed_total_disagreeing_with_the_rows_is_a_warning(imported):
    assert [str(w) for w in imported.warnings] == [
        "工作表“自评表”第38行G列：合计得分88与各行得分与预算执行率得分合计98不一致；合计不导入，将按各行得分重新计算"
    ]


@pytest.fixture
def evaluation(client):
    evaluation = EvaluationFactory(year=2022)
    client.force_login(team(evaluation)[TeamRole.LEAD])
    preview = client.post(
        reverse("rubric_import", args=[evaluation.pk]),
        {"file": SimpleUploadedFile("自评表.xlsx", form_bytes(DEPARTMENT)), "with_scores": "on"},
    )
    page = preview.content.decode()
    assert "识别为部门整体支出绩效自评表" in page
    assert "预算执行块的基本支出和项目支出（年初预算数、全年预算数、全年执行数）将作为预算数据保存" in page
    token = page.split('name="token" value="')[1].split('"')[0]
    assert client.post(reverse("rubric_import_confirm", args=[evaluation.pk]), {"token": token}).status_code == 302
    return Evaluation.objects.get(pk=evaluation.pk)


def test_the_import_fills_the_evaluation(evaluation):
    result = evaluation_result(evaluation).result
    assert (result.total, result.grade) == (Decimal("98.00"), "优")
    assert result.node("A").score == Decimal("10.00")  # 预算执行率 from the budget figures the form gave
    figures = figures_for(evaluation)
    assert (figures.expense_total.adjusted, figures.expense_total.final) == (Decimal("494.39"), Decimal("494.39"))
    assert evaluation.indicators.get(name="“三公经费”控制率").target == "下降"
    judgment = Judgment.objects.get(indicator__name="群众来电咨询接听率")
    assert (judgment.actual, judgment.inputs) == ("87%", {"score": "4"})
    assert evaluation.rubric.form_texts["goals"] == DEPARTMENT.goals


def test_the_selfeval_renders_back_to_the_same_form(evaluation):
    """The 自评表 of the imported evaluation, read by the same reader: same indicators, values and total."""
    first = read_indicator_workbook(form_bytes(DEPARTMENT))
    rendered = EXPORTERS["selfeval-xlsx"].render(evaluation)
    again = read_indicator_workbook(rendered)
    assert leaves_of(again) == leaves_of(first)
    line = again.form.funds[0]
    assert (line.label, line.initial, line.adjusted, line.final) == (
        "年度资金总额", Decimal("361.95"), Decimal("494.39"), Decimal("494.39")
    )
    assert (again.form.goals, again.form.outcome, again.form.note) == (DEPARTMENT.goals, DEPARTMENT.outcome, "无")
    assert again.stated_total == Decimal(98)
    assert again.warnings == []
    deviations = {row[2]: row[7] for row in DEPARTMENT.rows if row[7]}
    for first_level in again.system["indicators"][1:]:
        for second in first_level["children"]:
            for leaf in second["children"]:
                if leaf["name"] in deviations:
                    assert again.judgments[leaf["code"]]["deviation_reason"] == deviations[leaf["name"]]


def test_the_selfeval_docx_carries_the_same_figures(evaluation):
    word = open_docx(render_docx(build_selfeval(report_data(evaluation))))
    cells = [[cell.text for cell in row.cells] for row in word.tables[0].rows]
    assert ["部门（单位）整体支出（万元）", "年度资金总额", "361.95", "494.39", "494.39", "10.00", "100.00%", "10.00"] in cells
    row = next(row for row in cells if "群众来电咨询接听率" in row)
    assert row[-5:-1] == ["100%", "87%", "5.00", "4.00"]
    assert next(row for row in cells if row[0] == "总分")[-3:-1] == ["100.00", "98.00"]
