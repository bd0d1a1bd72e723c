"""A table from another firm or bureau, tried as a new user would: the reader understands it and says how.

The issue's own example: a first column headed just 指标, no weight column
(weights in the labels of all three levels, ``绩效目标\\n合理性（2分）``), a
score column headed 自评分, spaces inside words (``投   入（20分）``), rows
below the table, an indicator whose name begins with a header word.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

from rubrics.indicator_xlsx import IndicatorImportError, read_indicator_workbook
from tests.indicator_xlsx.builders import small_rows, to_bytes, walk


def tree(imported) -> list[tuple]:
    return [(level, n["code"], n["name"], n["weight"]) for level, n in walk(imported.system["indicators"])]


def test_the_issues_example_reads_with_weights_from_every_level():
    header = ("指标", "二级指标", "三级指标", "评分标准", "自评分")
    rows = [
        ("投   入（20分）", "绩效目标（10分）", "绩效目标\n合理性（6分）", "符合得满分", 6),
        (None, None, "绩效指标\n明确性（4分）", "符合得满分", 3),
        (None, "资金投入（10分）", "预算执行率（10分）", "执行率×分值", 9.5),
        ("产出（80分）", "数量（80分）", "三级指标完成情况（80分）", "按完成比例", 72),
        ("合计", None, None, None, 90.5),
        ("备注：本表由财政局制定。", None, None, None, None),
        ("填表人：李某", None, None, "日期：2023年3月1日", None),
    ]
    imported = read_indicator_workbook(small_rows(*rows, header=header, above=[("某县财政局部门整体支出绩效评价指标体系",)]))
    assert tree(imported) == [
        (1, "A", "投入", "20"), (2, "A1", "绩效目标", "10"), (3, "A11", "绩效目标合理性", "6"),
        (3, "A12", "绩效指标明确性", "4"), (2, "A2", "资金投入", "10"), (3, "A21", "预算执行率", "10"),
        (1, "B", "产出", "80"), (2, "B1", "数量", "80"), (3, "B11", "三级指标完成情况", "80"),
    ]
    assert imported.judgments["A12"]["inputs"] == {"score": "3"}
    assert imported.warnings == []
    understanding = imported.understanding
    assert [(use.letter, use.label) for use in understanding.columns] == [
        ("A", "一级指标"), ("B", "二级指标"), ("C", "三级指标"), ("D", "评分标准"), ("E", "得分"),
    ]
    assert [(row.row, row.reason) for row in understanding.skipped] == [
        (1, "表头上方的标题或说明"), (2, "表头"), (7, "合计行（只用于核对，不导入）"),
        (8, "表格下方的备注、说明或签字"), (9, "表格下方的备注、说明或签字"),
    ]
    assert [(level.name, level.source, level.ok) for level in understanding.levels] == [
        ("一级指标", "标注在名称中（或标题行的权重列）", True),
        ("二级指标", "标注在名称中（或标题行的权重列）", True),
        ("三级指标", "名称中标注的分值", True),
    ]


def test_a_total_row_that_disagrees_is_checked():
    header = ("一级指标", "二级指标", "三级指标", "权重", "得分")
    rows = [("A投入（100）", "A1目标", "A11 目标", 100, 90), ("总分", None, None, 100, 95)]
    imported = read_indicator_workbook(small_rows(*rows, header=header))
    assert [str(w) for w in imported.warnings] == [
        "工作表“指标”第3行E列：合计得分95与各行得分合计90不一致；合计不导入，将按各行得分重新计算"
    ]


def test_label_weights_that_do_not_add_up_are_named_at_the_parent():
    header = ("一级指标", "二级指标", "三级指标", "得分")
    rows = [("投入（60分）", "目标（60分）", "合理性（50分）", 40), (None, None, "明确性（5分）", 5),
            ("产出（40分）", "数量（40分）", "完成率（40分）", 40)]
    with pytest.raises(IndicatorImportError) as caught:
        read_indicator_workbook(small_rows(*rows, header=header))
    assert "工作表“指标”第2行B列：目标（60）的下级权重合计为55，与标注的60不一致" in caught.value.messages
    levels = caught.value.understanding.levels
    assert (levels[1].ok, levels[1].note) == (False, "目标标注60分，下级合计55分")


def test_a_two_level_table_gets_a_second_level_of_the_same_name():
    header = ("一级指标", "指标名称", "分值", "得分")
    rows = [("决策（30分）", "目标设定", 20, 18), (None, "决策程序", 10, 10), ("管理（70分）", "资金管理", 70, 60)]
    imported = read_indicator_workbook(small_rows(*rows, header=header))
    assert tree(imported) == [
        (1, "A", "决策", "30"), (2, "A1", "决策", "30"), (3, "A11", "目标设定", "20"), (3, "A12", "决策程序", "10"),
        (1, "B", "管理", "70"), (2, "B1", "管理", "70"), (3, "B11", "资金管理", "70"),
    ]
    assert imported.understanding.two_level


def test_a_header_merged_over_the_level_columns():
    book = Workbook()
    sheet = book.active
    sheet.append(["评价指标", None, None, "分值", "评分依据", "得分"])
    sheet.merge_cells("A1:C1")
    sheet.append(["A投入（100）", "A1目标", "A11 目标", 100, "已查阅", 95])
    imported = read_indicator_workbook(to_bytes(book))
    assert tree(imported)[2] == (3, "A11", "目标", "100")
    assert imported.judgments["A11"]["process"] == "已查阅"


@pytest.mark.parametrize(
    ("label", "weight"),
    [("合理性（2分）", "2"), ("合理性(2分)", "2"), ("合理性 2分", "2"), ("合理性【2】", "2"), ("合理性［2分］", "2"),
     ("合理性\n（２分）", "2"), ("合理性（ 2.5 分）", "2.5")],
)
def test_label_weights_in_every_writing(label, weight):
    header = ("一级指标", "二级指标", "三级指标", "得分")
    rest = Decimal(100) - Decimal(weight)
    rows = [("投入（100分）", "目标（100分）", label, 1), (None, None, f"明确性（{rest}分）", 1)]
    imported = read_indicator_workbook(small_rows(*rows, header=header))
    leaf = imported.system["indicators"][0]["children"][0]["children"][0]
    assert (leaf["name"], leaf["weight"]) == ("合理性", weight)


def test_numbered_codes_are_left_out_of_the_names():
    header = ("一级指标", "二级指标", "三级指标", "分值")
    rows = [("一、投入（100分）", "（一）目标设定", "1.1.1 绩效目标合理性", 60), (None, None, "一（一）2绩效指标明确性", 40)]
    imported = read_indicator_workbook(small_rows(*rows, header=header), with_scores=False)
    assert [n["name"] for _, n in walk(imported.system["indicators"])] == ["投入", "目标设定", "绩效目标合理性", "绩效指标明确性"]


def test_repeated_level_labels_on_every_row():
    header = ("一级指标", "二级指标", "三级指标", "分值", "得分")
    rows = [("投入（100分）", "目标（100分）", "合理性", Decimal(60), 50), ("投入（100分）", "目标（100分）", "明确性", 40, 40)]
    imported = read_indicator_workbook(small_rows(*rows, header=header))
    assert len(tree(imported)) == 4
