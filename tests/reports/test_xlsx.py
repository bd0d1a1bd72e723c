"""The XLSX read back with openpyxl: 附件1 and the budget tables, merged cells, number formats, no formulas."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from rubrics import scoring
from rubrics.indicator_xlsx import read_indicator_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def workbook(yanjin):
    return load_workbook(io.BytesIO(yanjin.xlsx))


def test_workbook_holds_annex_1_and_the_budget_tables(workbook):
    assert workbook.sheetnames == ["附件1 指标体系评分表", "表2-1 收入", "表2-2 支出", "表2-3 基本支出", "表4-1 得分"]


def test_no_cell_is_a_formula(workbook):
    formulas = [cell.coordinate for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas == []


def test_annex_1_merges_first_and_second_levels_and_holds_every_column(workbook):
    sheet = workbook["附件1 指标体系评分表"]
    header = [cell.value for cell in sheet[2]]
    assert header == ["序号", "一级指标", "二级指标", "三级指标", "权重", "指标解释", "评价依据", "标杆值", "评分标准", "评分过程", "得分", "得分率"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:L1", "B3:B7", "C3:C4", "C5:C7", "B8:B22", "A33:D33"} <= merged
    assert sheet["B3"].value == "A部门决策（10分）"
    assert sheet["D5"].value == "A21年度工作计划明确性"
    assert sheet["J5"].value.endswith("依据评分细则，扣减1.5分，本项指标得0.5分。")
    assert (sheet["K5"].value, sheet["K5"].number_format) == (0.5, "0.00")
    assert (sheet["L5"].value, sheet["L5"].number_format) == (0.25, "0.00%")
    assert sheet["A33"].value == "合计"
    assert (sheet["E33"].value, sheet["K33"].value, sheet["L33"].value) == (100, 86, 0.86)
    assert sheet["K33"].number_format == "0.00"


def test_annex_1_scores_sum_to_the_total(workbook):
    sheet = workbook["附件1 指标体系评分表"]
    scores = [sheet.cell(row=row, column=11).value for row in range(3, 33)]
    assert len(scores) == 30 and sum(Decimal(str(score)) for score in scores) == Decimal(str(sheet["K33"].value))


def test_annex_1_reads_back_with_the_indicator_importer(yanjin):
    imported = read_indicator_workbook(yanjin.xlsx)
    assert imported.warnings == []
    tree = scoring.indicators_from_dicts(imported.system["indicators"])
    result = scoring.score(tree, {code: {"inputs": entry["inputs"]} for code, entry in imported.judgments.items()})
    assert result.total == Decimal("86.00")
    assert imported.judgments["A21"]["process"].startswith("根据《延津县政务大数据局2022年工作计划》")


def test_budget_sheets_hold_numbers_with_formats_and_merges(workbook):
    income = workbook["表2-1 收入"]
    assert income["A1"].value == "表2-1 2022年度延津县政务大数据局收入预算执行情况表"
    assert income["D2"].value == "单位：万元"
    totals = {income.cell(row=row, column=1).value: [income.cell(row=row, column=c).value for c in (2, 3, 4)] for row in range(4, 10)}
    assert totals["总计"] == [354.31, 335.96, 335.96]
    assert totals["年初结转结余"] == ["—", 25.32, 25.32]
    assert income["B9"].number_format == "0.00"
    expenditure = workbook["表2-2 支出"]
    merged = {str(r) for r in expenditure.merged_cells.ranges}
    assert {"A3:A4", "B3:D3", "F3:F4", "G3:G4", "H3:H4"} <= merged
    assert [expenditure.cell(row=8, column=c).value for c in range(1, 9)] == [
        "预算完成率", 1, 1, 1, 1, 1, "—", 1,
    ]
    assert expenditure["B8"].number_format == "0.00%"
    economic = workbook["表2-3 基本支出"]
    assert "A4:A12" in {str(r) for r in economic.merged_cells.ranges}
    assert economic["A4"].value == "工资福利支出"
    assert (economic["C21"].value, economic["D21"].value) == (180.1, 1)


def test_header_rows_are_frozen(workbook):
    assert workbook["表2-2 支出"].freeze_panes == "A5"
    assert workbook["附件1 指标体系评分表"].freeze_panes == "A3"
