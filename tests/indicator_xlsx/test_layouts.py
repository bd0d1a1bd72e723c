"""Forgiving about layout: header variants, repeated blocks, generated codes, 加减分 rows, warnings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

from rubrics.indicator_xlsx import parse_label, read_indicator_workbook
from tests.indicator_xlsx.builders import VALID_ROWS, small_rows, to_bytes, walk


def codes(imported) -> list[tuple[str, str, str]]:
    return [(n["code"], n["name"], n["weight"]) for _, n in walk(imported.system["indicators"])]


@pytest.mark.parametrize(
    ("raw", "level", "expected"),
    [
        ("A部门决策（15）", 1, ("A", "部门决策", "15")),
        ("目标设定（5分）", 1, (None, "目标设定", "5")),
        ("过   程（30分）", 1, (None, "过程", "30")),
        ("A部门\n\n决策\n\n(10分)", 1, ("A", "部门决策", "10")),
        ("B2财务\n管理\n(5分)", 2, ("B2", "财务管理", "5")),
        ("A1部门\n\n职能\n\n( 4分)", 2, ("A1", "部门职能", "4")),
        ("A11部门\n\n职能\n\n明确性", 3, ("A11", "部门职能明确性", None)),
        ("A11 中长期规划科学合理性", 3, ("A11", "中长期规划科学合理性", None)),
        ("F1 部门受到国务院、省级嘉奖情况", 3, ("F1", "部门受到国务院、省级嘉奖情况", None)),
        ("A1部门（单位）整体支出（10）", 2, ("A1", "部门（单位）整体支出", "10")),
        ("部门决策(15）：", 1, (None, "部门决策", "15")),
        ("一、部门决策：15分", 1, (None, "部门决策", "15")),
        ("APP下载量", 3, (None, "APP下载量", None)),
        ("指标1: 保安保洁人员", 3, (None, "保安保洁人员", None)),
        ("A11 指标（2）", 3, ("A11", "指标（2）", None)),
    ],
)
def test_labels(raw, level, expected):
    label = parse_label(raw, level)
    weight = None if label.weight is None else format(label.weight, "f")
    assert (label.code, label.name, weight) == expected


def test_header_variants_are_recognised():
    header = (
        "编号",
        "一级指标",
        "二级指标",
        "三级指标",
        "分值",
        "指标内涵",
        "数据来源",
        "目标值",
        "指标说明",
        "评分说明",
        "自评分",
        "得分率",
    )
    rows = [
        (1, "投入（60分）", "目标设定", "绩效目标合理性", 40, "内涵1", "来源1", "≥90%", "说明1", "过程1", 40, "100%"),
        (2, None, None, "绩效指标明确性", 20, "内涵2", "来源2", "明确", "说明2", "过程2", 10, "50%"),
        (3, "过程（40分）", "预算执行", "预算执行率", 40, "内涵3", "来源3", "100%", "说明3", "过程3", 40, "100%"),
    ]
    imported = read_indicator_workbook(small_rows(*rows, header=header))
    leaf = imported.system["indicators"][0]["children"][0]["children"][0]
    assert (leaf["explanation"], leaf["basis"], leaf["target"], leaf["criteria"]) == ("内涵1", "来源1", "≥90%", "说明1")
    assert imported.judgments["A12"] == {
        "inputs": {"score": "10"},
        "process": "过程2",
        "actual": "",
        "deviation_reason": "",
    }
    assert imported.warnings == []


def test_header_cells_with_units_and_line_breaks():
    header = ("一级\n指标", "二级\n指标", "三级\n指标", "权重（分）", "评分细则", "评价得分（分）")
    rows = [("A投入（100）", "A1目标", "A11 目标", 100, "细则", 90)]
    imported = read_indicator_workbook(small_rows(*rows, header=header))
    assert imported.judgments["A11"]["inputs"] == {"score": "90"}
    assert imported.system["indicators"][0]["children"][0]["children"][0]["criteria"] == "细则"


def test_self_evaluation_shape_with_total_row():
    """Seed 001: 年度指标值/实际完成值/分值/得分/偏差原因分析及改进措施, no codes, a 总分 row."""
    header = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
    rows = [
        ("预算执行率", "部门整体支出", "预算执行率", "100%", "100%", 10, 10, "无偏差"),
        ("部门管理", "资金投入", "基本支出预算执行率", "100%", "100%", 40, 40, "无偏差"),
        (None, None, "项目支出预算执行率", "100%", "87%", 50, 38, "热线接通率不高"),
        ("总分", None, None, None, None, 100, 89, None),
        ("说明", "请在此处简要说明……", None, None, None, None, None, None),
    ]
    imported = read_indicator_workbook(small_rows(*rows, header=header, above=[("2022年整体支出绩效自评表",), ()]))
    assert codes(imported) == [
        ("A", "预算执行率", "10"),
        ("A1", "部门整体支出", "10"),
        ("A11", "预算执行率", "10"),
        ("B", "部门管理", "90"),
        ("B1", "资金投入", "90"),
        ("B11", "基本支出预算执行率", "40"),
        ("B12", "项目支出预算执行率", "50"),
    ]
    assert imported.judgments["B12"] == {
        "inputs": {"score": "38"},
        "process": "",
        "actual": "87%",
        "deviation_reason": "热线接通率不高",
    }
    assert imported.system["indicators"][1]["children"][0]["children"][1]["target"] == "100%"
    assert imported.stated_total == Decimal(89)
    assert [str(w) for w in imported.warnings] == [
        "工作表“指标”第7行G列：合计得分89与各行得分合计88不一致；合计不导入，将按各行得分重新计算"
    ]


def test_a_first_level_label_in_two_separate_blocks_is_one_indicator():
    rows = [
        (1, "A部门决策（30）", "A1部门职能", "A11 职能明确性", 10, "", 10),
        (2, "B部门管理（70）", "B1预算执行", "B11 预算执行率", 70, "", 60),
        (3, "A部门决策（30）", "A2目标设定", "A21 绩效目标合理性", 20, "", 18),
    ]
    imported = read_indicator_workbook(small_rows(*rows))
    assert codes(imported) == [
        ("A", "部门决策", "30"),
        ("A1", "部门职能", "10"),
        ("A11", "职能明确性", "10"),
        ("A2", "目标设定", "20"),
        ("A21", "绩效目标合理性", "20"),
        ("B", "部门管理", "70"),
        ("B1", "预算执行", "70"),
        ("B11", "预算执行率", "70"),
    ]


def test_a_second_level_label_in_two_blocks_is_one_indicator_and_codes_are_generated():
    rows = [
        (1, "决策（30）", "职能", "职能明确性", 10, "", None),
        (2, None, "目标", "目标合理性", 10, "", None),
        (3, None, "职能", "规划合理性", 10, "", None),
        (4, "管理（70）", "预算", "预算执行率", 70, "", None),
    ]
    imported = read_indicator_workbook(small_rows(*rows))
    assert codes(imported) == [
        ("A", "决策", "30"),
        ("A1", "职能", "20"),
        ("A11", "职能明确性", "10"),
        ("A12", "规划合理性", "10"),
        ("A2", "目标", "10"),
        ("A21", "目标合理性", "10"),
        ("B", "管理", "70"),
        ("B1", "预算", "70"),
        ("B11", "预算执行率", "70"),
    ]


def test_generated_codes_skip_codes_written_in_labels():
    rows = [
        (1, "投入（50）", "目标", "B11 已有编码", 25, "", None),
        (2, None, None, "没有编码", 25, "", None),
        (3, "B产出（50）", "产出数量", "数量", 50, "", None),
    ]
    imported = read_indicator_workbook(small_rows(*rows))
    assert [code for code, _, _ in codes(imported)] == ["A", "A1", "B11", "A12", "B", "B1", "B12"]


def test_heading_rows_carry_the_weights_of_first_and_second_level():
    rows = [
        (None, "A部门决策", None, None, 40, None, None),
        (None, None, "A1部门职能", None, 40, None, None),
        (1, None, None, "A11 职能明确性", 40, "", 35),
        (None, "B部门管理", None, None, 60, None, None),
        (None, None, "B1预算执行", None, 60, None, None),
        (2, None, None, "B11 预算执行率", 60, "", 60),
    ]
    imported = read_indicator_workbook(small_rows(*rows))
    assert codes(imported) == [
        ("A", "部门决策", "40"),
        ("A1", "部门职能", "40"),
        ("A11", "职能明确性", "40"),
        ("B", "部门管理", "60"),
        ("B1", "预算执行", "60"),
        ("B11", "预算执行率", "60"),
    ]


def test_adjustment_rows_by_label_and_by_sign():
    rows = [
        *VALID_ROWS,
        (4, "C加减分", "C1加减分项", "C11 获得省级表彰", 2, "", 2),
        (5, None, None, "C12 违法违纪情况", -3, "", -1),
        (6, None, None, "C13 扣分：审计发现问题", 2, "", 0.5),
    ]
    imported = read_indicator_workbook(small_rows(*rows))
    block = imported.system["indicators"][2]
    assert (block["kind"], block["weight"], block["children"][0]["kind"]) == ("adjustment", "0", "adjustment")
    assert [(n["code"], n["kind"], n["weight"]) for n in block["children"][0]["children"]] == [
        ("C11", "bonus", "2"),
        ("C12", "deduction", "3"),
        ("C13", "deduction", "2"),
    ]
    assert imported.judgments["C12"]["inputs"] == {"score": "1"}
    assert imported.judgments["C13"]["inputs"] == {"score": "0.5"}


def test_a_bonus_with_a_negative_weight_is_an_error():
    rows = [*VALID_ROWS, (4, "加分项", "加分项", "获得表彰", -2, "", None)]
    with pytest.raises(Exception) as caught:
        read_indicator_workbook(small_rows(*rows))
    assert str(caught.value) == "工作表“指标”第5行E列：加分项的权重不能为负数（现为-2）"


def test_merged_text_cells_belong_to_every_row():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["一级指标", "二级指标", "三级指标", "权重", "评价依据"])
    sheet.append(["A投入（100）", "A1目标", "A11 目标一", 50, "绩效目标申报表"])
    sheet.append([None, None, "A12 目标二", 50, None])
    sheet.merge_cells("E2:E3")
    sheet.merge_cells("A2:A3")
    imported = read_indicator_workbook(to_bytes(workbook))
    leaves = imported.system["indicators"][0]["children"][0]["children"]
    assert [leaf["basis"] for leaf in leaves] == ["绩效目标申报表", "绩效目标申报表"]


def test_the_first_sheet_with_a_header_is_read():
    workbook = Workbook()
    workbook.active.title = "说明"
    workbook.active.append(["本表为部门整体支出绩效评价指标体系"])
    sheet = workbook.create_sheet("附件1")
    sheet.append(["一级指标", "二级指标", "三级指标", "标准分值", "得分"])
    sheet.append(["A投入（100）", "A1目标", "A11 目标一", 100, 90])
    imported = read_indicator_workbook(to_bytes(workbook))
    assert imported.sheet == "附件1"
    assert imported.judgments["A11"]["inputs"] == {"score": "90"}


def test_a_header_repeated_after_a_page_break_is_skipped():
    rows = [*VALID_ROWS[:2], ("序号", "一级指标", "二级指标", "三级指标", "权重", "评分标准", "得分"), VALID_ROWS[2]]
    imported = read_indicator_workbook(small_rows(*rows))
    assert len([n for level, n in walk(imported.system["indicators"]) if level == 3]) == 3


def test_warnings_for_unscored_rows_and_process_without_score():
    header = ("一级指标", "二级指标", "三级指标", "权重", "评分过程", "得分")
    rows = [
        ("A投入（60）", "A1目标", "A11 目标一", 60, "已核查", 60),
        ("B过程（40）", "B1执行", "B11 执行率", 40, "已核查", None),
    ]
    imported = read_indicator_workbook(small_rows(*rows, header=header))
    assert [str(w) for w in imported.warnings] == [
        "工作表“指标”第3行F列：有评分过程但未填写得分",
        "工作表“指标”F列：以下三级指标未填写得分：B11",
    ]


def test_numbers_typed_as_text_and_rates_as_fractions():
    header = ("一级指标", "二级指标", "三级指标", "权重", "得分", "得分率")
    rows = [
        ("A投入（60）", "A1目标", "A11 目标一", "60分", "４５", 0.75),
        ("B过程（40）", "B1执行", "B11 执行率", " 40 ", "40", "100.00%"),
    ]
    imported = read_indicator_workbook(small_rows(*rows, header=header))
    assert imported.judgments["A11"]["inputs"] == {"score": "45"}
    assert codes(imported)[2] == ("A11", "目标一", "60")
    assert imported.warnings == []


def test_a_rate_that_disagrees_is_a_warning_naming_the_cell():
    header = ("一级指标", "二级指标", "三级指标", "权重", "得分", "得分率")
    rows = [("A投入（100）", "A1目标", "A11 目标一", 100, 45, "50%")]
    imported = read_indicator_workbook(small_rows(*rows, header=header))
    assert [str(w) for w in imported.warnings] == [
        "工作表“指标”第2行F列：得分率50%与得分45÷权重100（45.00%）不一致；得分率不导入，将按得分重新计算"
    ]


def test_a_first_level_label_merged_across_the_second_level_column():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["一级指标", "二级指标", "三级指标", "权重", "得分"])
    sheet.append(["A投入（100）", "A1目标", "A11 目标一", 100, 90])
    sheet.append(["加减分项", None, "获得省级表彰（加分）", 2, 0])
    sheet.append([None, None, "违法违纪（扣分）", 2, 1])
    sheet.merge_cells("A3:B4")
    imported = read_indicator_workbook(to_bytes(workbook))
    assert codes(imported)[3:] == [
        ("B", "加减分项", "0"),
        ("B1", "加减分项", "0"),
        ("B11", "获得省级表彰（加分）", "2"),
        ("B12", "违法违纪（扣分）", "2"),
    ]
    kinds = [n.get("kind") for level, n in walk(imported.system["indicators"]) if level == 3]
    assert kinds == [None, "bonus", "deduction"]
