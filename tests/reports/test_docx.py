"""The Word file opened with python-docx: heading styles, TOC and page fields, East Asian fonts, real merges."""

import pytest

from reports.document import build_report
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


def test_the_contents_is_a_toc_field_over_heading_levels_1_to_3(word):
    body = word.element.body
    assert 'TOC \\o "1-3" \\h \\z \\u' in instructions(body)
    settings = word.settings.element
    assert settings.find(w("updateFields")).get(w("val")) == "true"
    toc_entries = [p.text for p in word.paragraphs if p.style.name.startswith("TOC ")]
    assert "一、部门概况" in toc_entries and "附件1" in toc_entries


def test_footer_holds_page_and_numpages_fields(word):
    section = word.sections[0]
    footer = section.footer.paragraphs[0]
    assert instructions(footer._p) == ["PAGE", "NUMPAGES"]
    assert footer.text == "第 1 页 共 1 页"  # the cached values; Word and LibreOffice compute the real ones
    assert section.different_first_page_header_footer  # no number on the cover
    assert section.page_width.cm == pytest.approx(21.0, abs=0.01) and section.page_height.cm == pytest.approx(29.7, abs=0.01)


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
    assert annex.rows[1].cells[0].text == "A部门决策（10.00分）"
    assert annex.rows[5].cells[0].text == "A部门决策（10.00分）"  # python-docx reports the merged cell's text
    total = [c.text for c in annex.rows[-1].cells]
    assert total[-2:] == ["86.00", "86.00%"]


def test_annex_is_a_landscape_section(word):
    orientations = [section.orientation.name for section in word.sections]
    assert orientations == ["PORTRAIT", "LANDSCAPE", "PORTRAIT"]
    assert word.sections[1].page_width.cm == pytest.approx(29.7, abs=0.01)


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
