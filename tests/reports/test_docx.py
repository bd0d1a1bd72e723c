"""The Word file opened with python-docx: heading styles, TOC and page fields, East Asian fonts, real merges."""

import io
import zipfile
from datetime import UTC, datetime

import pytest

from reports.document import build_report
from reports.page_layout import SHORT_TABLE_ROWS
from reports.pagination import paginate
from reports.render_docx import render_docx
from tests.reports.conftest import open_docx, w

pytestmark = pytest.mark.django_db

W = w("")


@pytest.fixture(scope="module")
def word(yanjin):
    return open_docx(yanjin.docx)


def instructions(element) -> list[str]:
    return [(node.text or "").strip() for node in element.iter(w("instrText"))]


def text_of(element) -> str:
    return "".join(node.text or "" for node in element.iter(w("t")))


def annex_table(word):
    """附件1: the table whose header names 三级指标 and 指标解释."""
    return next(t for t in word.tables if {"三级指标", "指标解释"} <= {c.text for c in t.rows[0].cells})


def test_headings_use_word_heading_styles(word, yanjin):
    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")]
    expected = [(f"Heading {h.level}", h.text) for h in yanjin.document.headings()]
    assert headings == expected
    assert ("Heading 1", "一、部门概况") in headings
    assert ("Heading 2", "（一）部门简介") in headings
    assert ("Heading 3", "1.部门职能") in headings


def test_heading_styles_are_black_heiti_without_theme_fonts(word):
    style = word.styles["Heading 1"]
    fonts = style.element.rPr.rFonts
    assert fonts.get(w("eastAsia")) == "黑体"
    assert fonts.get(w("asciiTheme")) is None
    assert str(style.font.color.rgb) == "000000"


def test_the_contents_links_every_heading_to_a_page_field_without_asking_to_update(word, yanjin):
    body = word.element.body
    assert not [i for i in instructions(body) if i.startswith("TOC")]  # no TOC field: LibreOffice would freeze it
    assert word.settings.element.find(w("updateFields")) is None  # no "update fields?" prompt in Word
    bookmarks = {mark.get(w("name")) for mark in body.iter(w("bookmarkStart"))}
    links = list(body.iter(w("hyperlink")))
    estimate = paginate(yanjin.document)
    headings = [h for h in yanjin.document.headings() if h.in_toc]
    assert [text_of(link) for link in links] == [h.text + str(estimate.heading_pages.get(h.anchor, "")) for h in headings]
    for link, heading in zip(links, headings, strict=True):
        target = link.get(w("anchor"))
        assert target == f"_Toc_{heading.anchor}" and target in bookmarks
        if heading.anchor in estimate.heading_pages:  # its page number: a PAGEREF field holding the estimate
            assert instructions(link) == [f"PAGEREF {target} \\h"]
        else:
            assert heading.text == "摘  要" and instructions(link) == []  # on an unnumbered page
    assert estimate.heading_pages[headings[1].anchor] == 1  # 一、部门概况 is on page 1


def test_pages_are_numbered_from_the_first_chapter(word, yanjin):
    front, body = word.sections[0], word.sections[1]
    assert front._sectPr.find(w("footerReference")) is None  # no footer before chapter one
    assert body._sectPr.find(w("pgNumType")).get(w("start")) == "1"
    footer = body.footer.paragraphs[0]
    estimate = paginate(yanjin.document)
    assert instructions(footer._p) == ["PAGE", "PAGEREF _RefReportEnd \\h"]
    assert footer.text == f"第 1 页 共 {estimate.body_pages} 页"  # cached values; Word and LibreOffice compute them
    assert all(section._sectPr.find(w("footerReference")) is None for section in word.sections[2:])  # continue
    assert body.page_width.cm == pytest.approx(21.0, abs=0.01) and body.page_height.cm == pytest.approx(29.7, abs=0.01)
    last = list(word.element.body.iter(w("p")))[-1]
    assert "_RefReportEnd" in [mark.get(w("name")) for mark in last.iter(w("bookmarkStart"))]


def test_the_title_breaks_between_its_phrases(word):
    title = next(p for p in word.paragraphs if p.style.name == "Report Title" and p.text.startswith("2022年度"))
    assert title.text == "2022年度延津县政务服务和大数据管理局\n部门整体支出绩效评价报告"
    assert title.runs[0]._r.find(w("br")) is not None


def test_short_tables_keep_their_rows_and_caption_together(word):
    short = [t for t in word.tables if len(t.rows) <= SHORT_TABLE_ROWS]
    assert len(short) >= 20  # 表1, 表2-1, 表2-2, 表4-1 and the survey questions
    for table in short:
        rows = [row._tr for row in table.rows]
        assert all(row.trPr.find(w("cantSplit")) is not None for row in rows)
        for row in rows[:-1]:
            assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in row.iter(w("p")))
    assert word.styles["Caption"].paragraph_format.keep_with_next
    survey = [t for t in short if t.rows[-1].cells[0].text == "份数"]
    assert len(survey) == 17  # each survey table keeps its last row with the chart after it
    for table in survey:
        assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in table.rows[-1]._tr.iter(w("p")))
        assert table._tbl.getnext().find(f".//{W}drawing") is not None


def test_column_widths_fit_their_labels_and_numbers(word):
    from reports.page_layout import CELL_PAD_X, PORTRAIT, TABLE_SIZE
    from reports.text_measure import CELL_FRAME, wrap

    table = next(t for t in word.tables if t.rows[0].cells[0].text == "类别" and len(t.rows) == 6)  # 表2-2
    widths = [int(col.get(w("w"))) / 20 for col in table._tbl.tblGrid.findall(w("gridCol"))]
    assert sum(widths) == pytest.approx(PORTRAIT.text_width, abs=1)

    def lines(text, column, bold=False):
        return wrap(text, widths[column] - 2 * CELL_PAD_X - CELL_FRAME, TABLE_SIZE, bold=bold)

    for label, column in {"人员经费": 1, "公用经费": 2, "项目支出": 4, "本年支出合计": 5, "预算完成率": 0}.items():
        assert lines(label, column, bold=True) == [label]  # 表2-2's "人员经费" wrapped before
    assert lines("年末结转和结余", 6, bold=True) == ["年末结转", "和结余"]  # a longer label: two even lines
    for column in range(1, 8):
        assert len(lines("100.00%", column)) == 1 and len(lines("354.31", column)) == 1


def test_core_properties_name_the_firm_and_the_time_of_writing(word, yanjin):
    properties = word.core_properties
    assert properties.author == properties.last_modified_by == "新乡市方政财务咨询有限公司"
    assert abs((datetime.now(UTC) - properties.created.replace(tzinfo=UTC)).total_seconds()) < 3600
    assert properties.created == properties.modified and properties.revision == 1
    with zipfile.ZipFile(io.BytesIO(yanjin.docx)) as package:
        app = package.read("docProps/app.xml").decode()
    assert "<Application>绩效评价工作台</Application>" in app and "Macintosh" not in app
    assert "<Company>新乡市方政财务咨询有限公司</Company>" in app


def test_every_run_names_an_east_asian_font(word):
    parts = [word.element.body]
    for section in word.sections:
        parts += [section.header._element, section.footer._element, section.first_page_header._element]
    runs = [run for part in parts for run in part.iter(w("r"))]
    assert len(runs) > 1000
    missing = [run for run in runs if run.find(f"{W}rPr/{W}rFonts") is None or not run.find(f"{W}rPr/{W}rFonts").get(w("eastAsia"))]
    assert missing == []
    body_fonts = {run.find(f"{W}rPr/{W}rFonts").get(w("eastAsia")) for run in runs}
    assert body_fonts <= {"仿宋", "宋体", "黑体"}
    assert word.styles["Normal"].element.rPr.rFonts.get(w("eastAsia")) == "仿宋"


def test_no_empty_paragraph_is_used_for_spacing(word):
    body_paragraphs = list(word.element.body.iterchildren(w("p")))
    empty = [p for p in body_paragraphs if not text_of(p).strip() and p.find(f".//{W}drawing") is None]
    # A section break after a table needs a paragraph to carry it (Word's own way); nothing else may be empty.
    assert [p for p in empty if p.find(f"{W}pPr/{W}sectPr") is None] == []
    assert len(empty) <= 1


def test_expenditure_table_merges_cells_like_seed_002(word):
    # 表2-1 also starts with 类别; 表2-2 is the one with two header rows and four body rows.
    table = next(t for t in word.tables if t.rows[0].cells[0].text == "类别" and len(t.rows) == 6)
    first_row = table.rows[0]._tr
    cells = first_row.findall(w("tc"))
    assert cells[1].find(f"{W}tcPr/{W}gridSpan").get(w("val")) == "3"
    assert text_of(cells[1]) == "基本支出"
    assert cells[0].find(f"{W}tcPr/{W}vMerge").get(w("val")) == "restart"
    second_row_first = table.rows[1]._tr.findall(w("tc"))[0]
    assert second_row_first.find(f"{W}tcPr/{W}vMerge").get(w("val")) is None  # continues the merge
    assert [c.text for c in table.rows[4].cells] == ["决算数", "161.75", "18.35", "180.10", "155.86", "335.96", "—", "335.96"]


def test_header_rows_repeat_and_rows_do_not_split(word):
    annex = annex_table(word)
    rows = annex.rows
    assert rows[0]._tr.trPr.find(w("tblHeader")) is not None
    assert rows[1]._tr.trPr.find(w("tblHeader")) is None
    assert all(row._tr.trPr.find(w("cantSplit")) is not None for row in rows)


def test_annex_merges_first_and_second_levels_vertically(word):
    annex = annex_table(word)
    first_column = [row._tr.findall(w("tc"))[0] for row in annex.rows[1:6]]
    merges = [tc.find(f"{W}tcPr/{W}vMerge") for tc in first_column]
    assert merges[0].get(w("val")) == "restart"
    assert all(m is not None and m.get(w("val")) is None for m in merges[1:])
    assert annex.rows[1].cells[0].text == "A部门决策（10分）"
    assert annex.rows[5].cells[0].text == "A部门决策（10分）"  # python-docx reports the merged cell's text
    total = [c.text for c in annex.rows[-1].cells]
    assert total[-2:] == ["86.00", "86.00%"]


def test_annex_is_a_landscape_section(word):
    orientations = [section.orientation.name for section in word.sections]
    assert orientations == ["PORTRAIT", "PORTRAIT", "LANDSCAPE", "PORTRAIT"]  # front matter, body, 附件1, 附件2
    assert word.sections[2].page_width.cm == pytest.approx(29.7, abs=0.01)


def test_summary_table_cells_and_total(word):
    tables = [t for t in word.tables if [c.text for c in t.rows[0].cells] == ["一级指标", "权重分", "得分", "得分率"]]
    assert len(tables) == 2  # 摘要 表1 and 表4-1
    assert [c.text for c in tables[1].rows[-1].cells] == ["合计", "100.00", "86.00", "86.00%"]


def test_draft_is_marked_in_the_header_and_signed_copies_are_not(yanjin):
    draft = open_docx(yanjin.docx)
    assert draft.sections[0].header.paragraphs[0].text == "草稿（未签发）"
    signed = open_docx(render_docx(build_report(yanjin.data, draft=False, charts=False)))
    assert all("草稿" not in p.text for section in signed.sections for p in section.header.paragraphs)
    assert all("草稿" not in p.text for p in signed.paragraphs)


def test_charts_are_embedded_pictures(word):
    assert len(word.inline_shapes) == 17
    assert word.core_properties.title == "2022年度延津县政务服务和大数据管理局部门整体支出绩效评价报告"
