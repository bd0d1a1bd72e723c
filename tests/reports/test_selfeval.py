"""The 部门整体支出绩效自评表 (seed 001) from an evaluation scored with the 自评表 template."""

import io

import pytest
from openpyxl import load_workbook

from reports import services as report_services
from reports.enums import SectionKey
from reports.queries import report_data
from reports.render_docx import render_docx
from reports.render_xlsx import render_xlsx
from reports.selfeval import build_selfeval
from rubrics import services
from tests.factories import YANJIN_BUDGET, EvaluationFactory
from tests.reports.conftest import open_docx

pytestmark = pytest.mark.django_db

SYSTEM = "self-eval-management-capacity"


def full_marks(node: dict) -> dict:
    """Inputs that earn the whole weight under the leaf's rule."""
    rule = node.get("rule") or {"kind": "judgment"}
    kind = rule["kind"]
    if kind == "checklist":
        return {"met": [True] * int(rule["items"])}
    if kind == "deduct":
        return {"failures": 0}
    if kind == "ratio":
        return {"actual": "1", "target": "1"}
    if kind == "rate_deviation":
        return {"rate": rule["threshold"]}
    if kind == "bands":
        return {"value": rule["bands"][0]["min"]}
    if kind == "yes_no":
        return {"yes": True}
    if kind == "tier":
        return {"tier": "达成", "share": "100"}
    return {"score": node["weight"]}


@pytest.fixture
def selfeval_evaluation():
    evaluation = EvaluationFactory(budget=YANJIN_BUDGET, year=2022)
    system = next(s for s in services.install_builtin_systems(evaluation.firm) if s.slug == SYSTEM)
    services.copy_system_into(evaluation, system.tree, source_name=system.name, settings=system.settings)
    judgments = {
        node["code"]: {"inputs": full_marks(node), "actual": "100%"}
        for node, _level, _parent in services.walk_dicts(system.tree)
        if not node.get("children")
    }
    for code in ("B13", "B14", "E11", "E12"):  # bound to figures and surveys this evaluation lacks: decided by the team
        judgments[code]["override"] = {"score": services.find_node(system.tree, code)["weight"], "reason": "资料核实后满分"}
    judgments["C12"] = {"inputs": {"actual": "69760", "target": "80000"}, "actual": "69760件",
                        "deviation_reason": "窗口办件量下降，改进措施：推行网上办理。"}
    services.import_judgments(evaluation, judgments)
    report_services.save_section(evaluation, SectionKey.SELFEVAL_GOALS, "目标1：推行“一窗受理、集成服务”。")
    report_services.save_section(evaluation, SectionKey.SELFEVAL_OUTCOME, "目标1完成情况：已在全省推广。")
    return evaluation


def rows_of(document):
    return document.table("selfeval").texts()


def test_selfeval_budget_block_takes_the_execution_indicator(selfeval_evaluation):
    rows = rows_of(build_selfeval(report_data(selfeval_evaluation)))
    assert rows[0] == ["部门（单位）名称", selfeval_evaluation.department.name]
    assert rows[1] == ["部门（单位）整体支出（万元）", "", "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"]
    assert rows[2] == ["年度资金总额", "354.31", "335.96", "335.96", "10.00", "100.00%", "10.00"]
    assert rows[3] == ["其中：基本支出", "126.35", "180.10", "180.10", "—", "100.00%", "—"]
    assert rows[4] == ["项目支出", "227.96", "155.86", "155.86", "—", "100.00%", "—"]
    assert rows[5] == ["年度总体目标", "预期目标", "实际完成情况"]
    assert rows[6] == ["目标1：推行“一窗受理、集成服务”。", "目标1完成情况：已在全省推广。"]


def test_selfeval_indicator_rows_total_and_deviation(selfeval_evaluation):
    document = build_selfeval(report_data(selfeval_evaluation))
    rows = rows_of(document)
    assert rows[7] == ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    indicator_rows = rows[8:-2]
    assert len(indicator_rows) == 27  # every third-level indicator except 预算执行率, which is in the budget block
    assert indicator_rows[0][:3] == ["部门管理", "资金投入", "基本支出预算执行率"]
    c12 = next(row for row in indicator_rows if "年办件量" in row)
    assert c12[-5:] == ["≥80000件", "69760件", "5.00", "4.36", "窗口办件量下降，改进措施：推行网上办理。"]
    assert next(row for row in indicator_rows if "志愿服务水平" in row)[-1] == "无偏差"
    assert rows[-2] == ["总分", "100.00", "99.36", ""]
    assert rows[-1] == ["其他需要说明的问题", "无"]
    assert document.draft and document.landscape


def test_selfeval_xlsx_has_merges_and_numbers(selfeval_evaluation):
    data = render_xlsx(build_selfeval(report_data(selfeval_evaluation)))
    sheet = load_workbook(io.BytesIO(data))["自评表"]
    assert sheet["A1"].value == f"2022年{selfeval_evaluation.department.name}整体支出绩效自评表"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:H1", "B2:H2", "A3:A6", "A7:A8", "B7:D7", "E7:H7", "A10:A19", "B10:B13"} <= merged
    assert sheet["A3"].value == "部门（单位）整体支出（万元）"
    assert [sheet.cell(4, column).value for column in range(2, 9)] == ["年度资金总额", 354.31, 335.96, 335.96, 10, 1, 10]
    assert sheet["G4"].number_format == "0.00%"
    total_row = sheet.max_row - 1
    assert (sheet.cell(total_row, 1).value, sheet.cell(total_row, 7).value) == ("总分", 99.36)


def test_selfeval_docx_is_a_landscape_table_with_merged_cells(selfeval_evaluation):
    word = open_docx(render_docx(build_selfeval(report_data(selfeval_evaluation))))
    assert word.sections[0].orientation.name == "LANDSCAPE"
    table = word.tables[0]
    assert table.rows[0].cells[0].text == "部门（单位）名称"
    assert [c.text for c in table.rows[2].cells] == ["部门（单位）整体支出（万元）", "年度资金总额", "354.31", "335.96", "335.96", "10.00", "100.00%", "10.00"]
    assert word.sections[0].header.paragraphs[0].text == "草稿（未签发）"
    assert not word.sections[0].different_first_page_header_footer


def test_selfeval_without_an_execution_indicator_shows_dashes():
    evaluation = EvaluationFactory(budget=YANJIN_BUDGET)
    tree = [
        {"code": "A", "name": "产出指标", "weight": "100", "children": [
            {"code": "A1", "name": "数量指标", "weight": "100", "children": [
                {"code": "A11", "name": "办件量", "weight": "100", "rule": {"kind": "yes_no"}},
            ]},
        ]},
    ]
    services.copy_system_into(evaluation, tree, source_name="测试")
    services.import_judgments(evaluation, {"A11": {"inputs": {"yes": True}}})
    rows = rows_of(build_selfeval(report_data(evaluation)))
    assert rows[2] == ["年度资金总额", "354.31", "335.96", "335.96", "—", "100.00%", "—"]
