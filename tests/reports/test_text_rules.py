"""Pure rules of the report's words: placeholders, paragraphs, the closing score sentence, merged-cell grids."""

from dataclasses import dataclass

import pytest

from reports import narrative
from reports.placeholders import CATALOG, fill, names_in, unknown_message, unknown_names
from reports.score_sentences import adjusted, close
from reports.table_grid import GridError, place

VALUES = {"总分": "86.00", "等级": "良", "年度": "2022", "A1得分": "4"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("总体得分为{总分}分，评价等级为“{等级}”。", "总体得分为86.00分，评价等级为“良”。"),
        ("{年度}年度，A1得分{A1得分}分", "2022年度，A1得分4分"),
        ("{{总分}} 与 {{ 总分 }} 原样", "{{总分}} 与 {{ 总分 }} 原样"),
        ("<script>alert('{总分}')</script> & {未知}", "<script>alert('86.00')</script> & {未知}"),
        ("{ 总分 }、{}、{总分", "{ 总分 }、{}、{总分"),
        ("", ""),
    ],
)
def test_fill_replaces_only_known_single_brace_names(text, expected):
    assert fill(text, VALUES) == expected


def test_unknown_names_are_listed_once_in_order():
    text = "{总分}{预算执行率x}{等级}{foo}{预算执行率x}{{bar}}"
    assert names_in(text) == ["总分", "预算执行率x", "等级", "foo"]
    assert unknown_names(text, VALUES) == ["预算执行率x", "foo"]
    assert unknown_message(["foo"]) .startswith("未知的占位符：{foo}。")


def test_catalog_names_are_unique():
    names = [p.name for p in CATALOG]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("第一段。\n\n第二段。\r\n  第三段  ", [("第一段。", False), ("第二段。", False), ("第三段", False)]),
        ("（一）持续推进基层便民服务工作规范化建设\n一是……。", [("（一）持续推进基层便民服务工作规范化建设", True), ("一是……。", False)]),
        ("（一）这一行以句号结尾所以是正文。", [("（一）这一行以句号结尾所以是正文。", False)]),
        ("1.贯彻执行法律法规\n（1）第一项", [("1.贯彻执行法律法规", False), ("（1）第一项", False)]),
        ("控制\x00字符\x0b去掉\x1f", [("控制字符去掉", False)]),
    ],
)
def test_each_line_is_a_paragraph_and_bracketed_numeral_lines_are_subheadings(text, lines):
    assert [(line.text, line.is_subheading) for line in narrative.lines_of(text)] == lines


@pytest.mark.parametrize(
    ("lines", "score", "kind", "expected", "stated"),
    [
        (["资料齐全。"], "2.00", "normal", ["资料齐全。依据评分细则，本项指标得2.00分。"], None),
        (["资料齐全。依据评分细则，本项指标得2分。"], "2.00", "normal", ["资料齐全。依据评分细则，本项指标得2.00分。"], None),
        (
            ["依据评分细则，扣减1.5分，本项指标得0.5分。"], "0.50", "normal",
            ["依据评分细则，扣减1.5分，本项指标得0.50分。"], None,
        ),
        (["第一段。", "依据评分细则，本项指标得3分。"], "2.50", "normal", ["第一段。", "依据评分细则，本项指标得2.50分。"], "3"),
        (["执行率=100% 得分=3×100%=3分"], "4.00", "normal", ["执行率=100% 得分=3×100%=3分。依据评分细则，本项指标得4.00分。"], "3"),
        (["不存在加分情况"], "0.00", "bonus", ["不存在加分情况。依据评分细则，本项指标加0.00分。"], None),
        ([], "6.00", "normal", ["依据评分细则，本项指标得6.00分。"], None),
        (["尚在核实"], None, "normal", ["尚在核实"], None),
        # The text already states the engine's score: it is printed once, no closing sentence repeats it.
        (["3项均符合要求，得3分。"], "3.00", "normal", ["3项均符合要求，得3分。"], None),
        (["实际完成值：11个，得分=4分"], "4.00", "normal", ["实际完成值：11个，得分=4分"], None),
    ],
)
def test_the_closing_score_sentence_is_added_once_with_the_engine_score(lines, score, kind, expected, stated):
    closed = close(lines, score, kind)
    assert list(closed.lines) == expected
    assert closed.stated == stated


@pytest.mark.parametrize(
    ("lines", "rule", "expected", "stated"),
    [
        (
            ["实际完成值：174个，得分=3.5分"], "4.00",
            ["实际完成值：174个，得分=3.5分。按评分标准计算得4.00分，评价组调整为3.50分，理由：标杆值设定偏低。"], None,
        ),
        ([], None, ["评价组调整为3.50分，理由：标杆值设定偏低。"], None),
        (["实际完成值：174个，得分=4分。"], "4.00", ["实际完成值：174个，得分=4分。按评分标准计算得4.00分，评价组调整为3.50分，理由：标杆值设定偏低。"], "4"),
    ],
)
def test_an_adjusted_score_ends_on_the_rule_score_and_the_reason(lines, rule, expected, stated):
    closed = adjusted(lines, "3.50", rule, "标杆值设定偏低。")
    assert list(closed.lines) == expected
    assert closed.stated == stated


@dataclass(frozen=True)
class C:
    text: str
    rowspan: int = 1
    colspan: int = 1


def test_place_puts_merged_cells_on_the_grid():
    rows = [
        [C("类别", rowspan=2), C("基本支出", colspan=3), C("项目支出")],
        [C("人员"), C("公用"), C("小计"), C("小计")],
        [C("年初"), C("1"), C("2"), C("3"), C("4")],
    ]
    placed = place(rows, 5)
    assert [(p.cell.text, p.row, p.column, p.last_row, p.last_column) for p in placed[:6]] == [
        ("类别", 0, 0, 1, 0), ("基本支出", 0, 1, 0, 3), ("项目支出", 0, 4, 0, 4),
        ("人员", 1, 1, 1, 1), ("公用", 1, 2, 1, 2), ("小计", 1, 3, 1, 3),
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([[C("a", colspan=3)]], "超出表格"),
        ([[C("a", rowspan=2), C("b")], [C("c"), C("d")]], "超出表格"),
        ([[C("a")]], "没有单元格"),
        ([[C("a", rowspan=3), C("b")], [C("c")]], "最后一行"),
    ],
)
def test_place_refuses_spans_that_do_not_fit(rows, message):
    with pytest.raises(GridError, match=message):
        place(rows, 2)


@pytest.mark.parametrize(
    ("text", "score", "stated"),
    [
        ("经核查，本项指标得1分。该单位2项制度未及时更新。", "0.50", "1"),
        ("经核查，本项指标得0.5分。该单位2项制度未及时更新。", "0.50", None),
        ("该项得分1.5分，得分率75%。", "2.00", "1.5"),
        ("依据评分细则，本项指标得2分。", "2.00", None),
    ],
)
def test_a_stated_score_anywhere_in_the_text_is_reported(text, score, stated):
    assert close([text], score).stated == stated
