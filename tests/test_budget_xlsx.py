"""Reading and writing the budget tables as XLSX: round trip, a seed-shaped file, bad files."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from evaluations import fiscal
from evaluations.budget_xlsx import BudgetImportError, lines_from_amounts, parse_budget_workbook, write_budget_workbook
from tests.test_fiscal import yanjin

D = Decimal


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def seed_002_workbook() -> Workbook:
    """表2-1 to 表2-3 of seed 002 typed as a firm would: titles, merged cells, numbering, '-'."""
    workbook = Workbook()
    income = workbook.active
    income.title = "收入"
    income.append(["表 2-1  2022年度延津县政务大数据局收入预算执行情况表"])
    income.append([None, None, None, "单位：万元"])
    income.append(["类别", "年初预算数", "调整预算数", "决算数"])
    income.append(["一、一般公共预算财政拨款收入", 322.31, 278.64, 278.64])
    income.append(["二、政府性基金预算财政拨款收入", "32.00", "32.00", "32.00"])
    income.append(["本年收入合计", 354.31, 310.64, 310.64])
    income.append(["年初结转结余", "-", 25.32, 25.32])
    income.append(["总计", 354.31, 335.96, 335.96])
    spending = workbook.create_sheet("支出")
    spending.append(["表 2-2  2022年度延津县政务大数据局支出预算执行情况表"])
    spending.append(["类别", "基本支出", None, None, "项目支出", "本年支出合计", "年末结转和结余", "总计"])
    spending.append([None, "人员经费", "公用经费", "小计", "小计", None, None, None])
    spending.merge_cells("B2:D2")
    spending.append(["年初预算数", 117.72, 8.63, 126.35, 227.96, 354.31, "-", 354.31])
    spending.append(["调整预算数", 161.75, 18.35, 180.10, 155.86, 335.96, "-", 335.96])
    spending.append(["决算数", 161.75, 18.35, 180.10, 155.86, 335.96, "-", 335.96])
    spending.append(["预算完成率", "100.00%", "100.00%", "100.00%", "100.00%", "100.00%", "100.00%", "100.00%"])
    basic = workbook.create_sheet("基本支出")
    basic.append(["表 2-3  2022年度延津县政务大数据局基本支出情况表"])
    basic.append(["支出", None, "支出金额（万元）", "结构占比"])
    rows = [
        ("工资福利支出", "基本工资", 82.60), (None, "津贴补贴", 21.69), (None, "奖金", 10.03), (None, "绩效工资", 11.21),
        (None, "机关事业单位基本养老保险", 19.44), (None, "职工基本医疗保险缴费", 5.84), (None, "其他社会保障缴费", 1.13),
        (None, "住房公积金", 9.81), (None, "小计", 161.75),
        ("商品和服务支出", "办公费", 0.18), (None, "水费", 0.16), (None, "电费", 6.43), (None, "物业管理费", 1.82),
        (None, "差旅费", 1.17), (None, "维修（护）费", 7.38), (None, "福利费", 1.21), (None, "小计", 18.35),
        ("总计", None, 180.10),
    ]
    for category, name, amount in rows:
        basic.append([category, name, amount, None])
    basic.merge_cells("A3:A11")
    basic.merge_cells("A12:A19")
    return workbook


def test_seed_002_tables_typed_by_hand_import_to_the_seed_figures():
    parsed = parse_budget_workbook(workbook_bytes(seed_002_workbook()))
    assert parsed.amounts["general_adjusted"] == D("278.64")
    assert parsed.amounts["carry_in_initial"] is None
    assert parsed.amounts["public_initial"] == D("8.63")
    assert parsed.amounts["carry_out_final"] is None
    assert len(parsed.economic) == 15
    assert parsed.economic[8] == ("goods", "办公费", D("0.18"))
    figures = fiscal.Figures(lines=lines_from_amounts(parsed.amounts), staff_authorized=21, staff_actual=20)
    ratios = fiscal.ratio_by_key(figures)
    assert ratios["budget_adjustment_rate"].display == "-5.18%"
    assert ratios["budget_execution_rate"].display == "100.00%"


def test_written_workbook_reads_back_to_the_same_figures():
    original = yanjin()
    parsed = parse_budget_workbook(write_budget_workbook(original, "2022年度延津县政务大数据局"))
    assert lines_from_amounts(parsed.amounts) == {k: original.line(k) for k in fiscal.TRIPLE_LINES}
    assert [(c, n, a) for c, n, a in parsed.economic] == [(i.category, i.name, i.amount) for i in original.economic]
    assert parsed.amounts["three_public_budget"] == D("0")


def test_written_workbook_holds_computed_totals_and_merged_cells():
    workbook = load_workbook(io.BytesIO(write_budget_workbook(yanjin())))
    income = workbook["表2-1 收入"]
    assert [income.cell(row=9, column=c).value for c in range(1, 5)] == ["总计", 354.31, 335.96, 335.96]
    spending = workbook["表2-2 支出"]
    assert "B3:D3" in {str(r) for r in spending.merged_cells.ranges}
    assert spending["D6"].value == 180.10  # 基本支出小计, 调整预算数
    assert spending["B8"].value == 1 and spending["B8"].number_format == "0.00%"
    basic = workbook["表2-3 基本支出"]
    assert "A4:A12" in {str(r) for r in basic.merged_cells.ranges}
    assert [basic.cell(row=12, column=c).value for c in (2, 3)] == ["小计", 161.75]
    assert all(not isinstance(cell.value, str) or not cell.value.startswith("=") for row in basic.iter_rows() for cell in row)


def problems_of(data: bytes) -> list[str]:
    with pytest.raises(BudgetImportError) as caught:
        parse_budget_workbook(data)
    return [str(p) for p in caught.value.problems]


def test_a_subtotal_that_disagrees_is_reported_with_its_place():
    workbook = seed_002_workbook()
    workbook["支出"]["D5"] = 180.00
    assert problems_of(workbook_bytes(workbook)) == [
        "工作表“支出”第5行D列：“调整预算数·基本支出小计”为180.00，按各行计算应为180.10，请核对"
    ]


def test_text_in_a_number_cell_names_sheet_row_and_column():
    workbook = seed_002_workbook()
    workbook["收入"]["C4"] = "二百七十八"
    problems = problems_of(workbook_bytes(workbook))
    assert "工作表“收入”第4行C列：“一般公共预算财政拨款收入”的调整预算数“二百七十八”不是数字" in problems


def test_negative_and_three_decimal_amounts_are_refused():
    workbook = seed_002_workbook()
    workbook["基本支出"]["C4"] = -1
    workbook["基本支出"]["C5"] = 21.695
    problems = problems_of(workbook_bytes(workbook))
    assert "工作表“基本支出”第4行C列：“津贴补贴”的支出金额不能为负数（-1.00）" in problems
    assert any("第5行C列" in p and "超过两位小数" in p for p in problems)


def test_missing_column_is_named():
    workbook = seed_002_workbook()
    workbook["收入"].delete_cols(3)
    problems = problems_of(workbook_bytes(workbook))
    assert problems[0] == "工作表“收入”第3行：缺少“调整预算数”列"


def test_unknown_category_is_named():
    workbook = seed_002_workbook()
    workbook["基本支出"]["A12"] = "其他支出"
    problems = problems_of(workbook_bytes(workbook))
    assert problems[0].startswith("工作表“基本支出”第12行A列：无法识别的支出类别“其他支出”")


def test_a_docx_renamed_xlsx_is_refused():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert problems_of(buffer.getvalue()) == ["工作簿：文件不是有效的XLSX工作簿：这是一个Word文档（.docx），请上传Excel文件"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "工作簿：文件是空的"),
        (b"ID;P\nC;Y1;X1;K\"a\"\n", "工作簿：文件不是有效的XLSX工作簿（旧版.xls或.csv等格式请在Excel中另存为.xlsx后再导入）"),
        (workbook_bytes(Workbook()), "工作簿：未找到表2-1、表2-2或表2-3：请按“下载导入模板”中的格式填写"),
    ],
    ids=["empty", "not-a-zip", "empty-sheet"],
)
def test_unreadable_files_get_one_clear_message(data, message):
    assert problems_of(data) == [message]


def test_an_amount_too_large_to_store_is_refused_in_the_preview():
    workbook = seed_002_workbook()
    workbook["收入"]["B4"] = 1234567890123
    for cell in ("B6", "B8"):
        workbook["收入"][cell] = None
    problems = problems_of(workbook_bytes(workbook))
    assert problems == ["工作表“收入”第4行B列：“一般公共预算财政拨款收入”的年初预算数1234567890123超出范围（万元金额最多12位整数）"]
