"""Line breaking, column fitting and the page estimate, without a database or a renderer."""

import pytest

from reports.document_model import BODY, CAPTION, Cell, Document, Heading, PageBreak, Paragraph, Run, Table, paragraph
from reports.page_layout import BODY_LINE, BODY_SIZE, HEADING_STYLES, PORTRAIT, table_plan, title_lines
from reports.pagination import paginate
from reports.text_measure import (
    AUTOSPACE,
    NO_LINE_START,
    ColumnNeed,
    cell_needs,
    fit_columns,
    phrase_lines,
    text_width,
    wrap,
)

WIDTH = PORTRAIT.text_width  # 442.2 pt: 36 characters of 12 pt and a bit
LINES_PER_PAGE = int(PORTRAIT.text_height // BODY_LINE)  # 31


def test_a_line_holds_as_many_chinese_characters_as_fit():
    lines = wrap("字" * 80, WIDTH, BODY_SIZE)
    assert [len(line) for line in lines] == [36, 36, 8]
    assert [len(line) for line in wrap("字" * 80, WIDTH, BODY_SIZE, first_indent=24)] == [34, 36, 10]


def test_closing_marks_never_start_a_line_and_opening_marks_never_end_one():
    text = "字" * 35 + "“引号”，" + "字" * 10 + "（括号）"
    lines = wrap(text, WIDTH, BODY_SIZE)
    assert all(line[0] not in NO_LINE_START for line in lines[1:])
    assert all(not line.endswith(("“", "（")) for line in lines)
    assert lines[0] == "字" * 35  # “ moved down with the character after it


def test_a_full_stop_hangs_in_the_margin_rather_than_take_a_character_down():
    assert wrap("字" * 36 + "。", WIDTH, BODY_SIZE) == ["字" * 36 + "。"]
    assert wrap("字" * 36 + "：", WIDTH, BODY_SIZE) == ["字" * 35, "字："]  # a colon does not hang


def test_digits_are_half_width_and_set_off_from_chinese():
    assert text_width("2022", BODY_SIZE) == pytest.approx(24.0)
    assert wrap("字" * 33 + "12", WIDTH, BODY_SIZE) == ["字" * 33 + "12"]
    # 36 characters, the space Word puts before digits and the digits: 432 + 3 + 12 > 442.2
    assert wrap("字" * 36 + "12", WIDTH, BODY_SIZE) == ["字" * 36, "12"]
    assert wrap("字" * 35 + "12", WIDTH, BODY_SIZE) == ["字" * 35 + "12"]
    assert AUTOSPACE * BODY_SIZE == 3.0


def test_a_title_breaks_between_its_phrases_only_when_it_must():
    assert phrase_lines(["2024年度沙湾市政务服务中心", "部门整体支出绩效评价报告"], WIDTH, 16, bold=True) == [
        "2024年度沙湾市政务服务中心部门整体支出绩效评价报告"
    ]
    assert phrase_lines(["2022年度延津县政务服务和大数据管理局", "部门整体支出绩效评价报告"], WIDTH, 16, bold=True) == [
        "2022年度延津县政务服务和大数据管理局", "部门整体支出绩效评价报告",
    ]


def test_labels_sit_on_one_line_or_two_even_ones_and_numbers_never_wrap():
    assert cell_needs("人员经费", 10.5, True) == ColumnNeed(42.0, 42.0, False)
    label = cell_needs("年末结转和结余", 10.5, True)
    assert label.least == pytest.approx(73.5 / 2 + 10.5) and label.most == pytest.approx(73.5)
    assert cell_needs("100.00%", 10.5, False).least == pytest.approx(text_width("100.00%", 10.5))
    needs = [ColumnNeed(40, 40), ColumnNeed(30, 60), ColumnNeed(30, 45), ColumnNeed(20, 400, text=True)]
    widths = fit_columns(needs, [2, 2, 2, 1], 150)
    assert sum(widths) == pytest.approx(150)
    assert widths[:3] == [40, 30, 45]  # the cheaper label goes on one line; the other stays on two
    assert widths[3] == pytest.approx(35)  # running text takes what is left
    assert fit_columns(needs, [2, 2, 2, 1], 200)[:3] == [40, 60, 45]  # room for both labels
    # running text hinted a quarter of the width keeps it (37.5): no label goes on one line at its expense
    widths = fit_columns(needs, [1, 1, 1, 1], 150)
    assert widths[:3] == [40, 30, 30] and widths[3] == pytest.approx(50)


def body(text_lines: int, marker: str = "") -> Paragraph:
    """A body paragraph of exactly ``text_lines`` lines (36 characters a line, the first indented two)."""
    return paragraph(marker + "字" * (34 + 36 * (text_lines - 1) - len(marker)), BODY)


def numbered(*blocks) -> Document:
    return Document("测试", (PageBreak(restart_numbering=True), *blocks))


def test_a_heading_goes_to_the_next_page_with_the_start_of_its_text():
    filler = body(LINES_PER_PAGE - 2)  # leaves two lines' room: the heading's line and one line of text
    estimate = paginate(numbered(filler, Heading(1, "一、标题", anchor="h1"), body(5)))
    assert estimate.heading_pages == {"h1": 2}  # the heading and two lines of its paragraph do not fit
    estimate = paginate(numbered(body(LINES_PER_PAGE - 5), Heading(1, "一、标题", anchor="h1"), body(5)))
    assert estimate.heading_pages == {"h1": 1}
    assert HEADING_STYLES[1].line + 2 * BODY_LINE < 5 * BODY_LINE


def test_a_paragraph_leaves_at_least_two_lines_on_each_page():
    # Page 1 has room for one more line: the three-line paragraph cannot leave one line behind and moves
    # whole, so page 2 holds 3 + 26 lines and the heading with two lines of its text no longer fits there.
    document = numbered(
        body(LINES_PER_PAGE - 1), body(3), body(26), Heading(2, "（一）下一节", anchor="h2"), body(5)
    )
    assert paginate(document).heading_pages == {"h2": 3}
    # Had one line stayed on page 1, page 2 would hold 2 + 26 lines and the heading would fit:
    document = numbered(body(LINES_PER_PAGE - 1), body(2), body(26), Heading(2, "（一）下一节", anchor="h2"), body(5))
    assert paginate(document).heading_pages == {"h2": 2}


def short_table(rows: int) -> Table:
    header = ((Cell("项目", bold=True), Cell("金额", bold=True)),)
    body_rows = tuple((Cell(f"第{i}行"), Cell("1.00")) for i in range(rows - 1))
    return Table("表1-1 测试表", header, body_rows, widths=(3, 1))


def test_a_short_table_moves_whole_with_its_caption_and_a_long_one_splits_between_rows():
    plan = table_plan(short_table(8), landscape=False)
    assert plan.short and plan.keep_rows == (True,) * 7 + (False,)
    long_plan = table_plan(short_table(9), landscape=False)
    assert not long_plan.short and long_plan.keep_rows[:2] == (True, True) and not any(long_plan.keep_rows[2:])
    filler = body(LINES_PER_PAGE - 4)  # 88 points left: a caption and three rows, not eight
    estimate = paginate(numbered(filler, short_table(8), Heading(1, "二、后文", anchor="after")))
    assert estimate.heading_pages == {"after": 2} and estimate.body_pages == 2
    long_table = Table("表1-2 长表", short_table(2).header_rows, tuple((Cell(f"{i}"), Cell("1")) for i in range(60)), (3, 1))
    estimate = paginate(numbered(long_table, Heading(1, "二、后文", anchor="after")))
    assert estimate.body_pages == 2  # 61 rows of 17.5 points and a repeated header over two pages


def test_pages_before_the_restart_are_not_counted():
    document = Document("测试", (
        Heading(1, "摘  要", anchor="summary"), body(3),
        PageBreak(restart_numbering=True),
        Paragraph((Run("2022年度延津县政务服务和大数据管理局"), Run("部门整体支出绩效评价报告")), "title"),
        Heading(1, "一、部门概况", anchor="h1"),
    ))
    estimate = paginate(document)
    assert estimate.heading_pages == {"h1": 1} and estimate.body_pages == 1
    assert document.unnumbered_anchors() == {"summary"}
    assert title_lines(["2022年度延津县政务服务和大数据管理局", "部门整体支出绩效评价报告"], WIDTH,
                       HEADING_STYLES[1]) == ["2022年度延津县政务服务和大数据管理局", "部门整体支出绩效评价报告"]


def test_captions_keep_with_their_table():
    assert paragraph("表1-1", CAPTION).style == CAPTION
    from reports.page_layout import PARAGRAPH_STYLES

    assert PARAGRAPH_STYLES[CAPTION].keep_with_next and PARAGRAPH_STYLES["unit"].keep_with_next
