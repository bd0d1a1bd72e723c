"""The Word file in LibreOffice: opened and printed as it is (no macro), its contents carry page numbers,
its pages hold together, and the page numbers Word shows before any update agree with LibreOffice's layout."""

import re

import pytest

from reports.page_layout import SHORT_TABLE_ROWS
from reports.pagination import paginate
from tests.reports.conftest import YANJIN
from tests.reports.libreoffice import as_word_breaks_lines, convert
from tests.reports.pages import (
    body_start,
    chart_count,
    charts_apart,
    contents,
    read_pages,
    squeeze,
    tables_apart,
)

pytestmark = pytest.mark.django_db

CHAPTER = re.compile(r"^([一二三四五六七八九十]+、|附件)")


@pytest.fixture(scope="module")
def converted(demo_reports, tmp_path_factory):
    """Each demo's DOCX as LibreOffice prints it, read page by page."""
    directory = tmp_path_factory.mktemp("libreoffice")
    return {
        name: (rendered, read_pages(convert(rendered.docx, directory / str(index))))
        for index, (name, rendered) in enumerate(demo_reports.items())
    }


def heading_pages(document, pages) -> dict[str, int]:
    """The printed page number of every numbered heading, found in order after the contents."""
    found: dict[str, int] = {}
    index = body_start(pages)
    for heading in document.headings():
        text = squeeze(heading.text)
        if not heading.in_toc or heading.anchor in document.unnumbered_anchors():
            continue
        while index < len(pages) and text not in pages[index].lines:
            index += 1
        assert index < len(pages), f"{heading.text} not found"
        found[heading.anchor] = pages[index].number
    return found


def test_the_contents_has_page_numbers_when_the_file_is_opened(converted):
    for rendered, pages in converted.values():
        entries = contents(pages)
        if "toc" not in rendered.data.profile.front:  # seed 000's outline has no contents
            assert entries == []
            continue
        headings = [h for h in rendered.document.headings() if h.in_toc]
        assert [title for title, _ in entries] == [squeeze(h.text) for h in headings[1:]]  # the 摘要 is unnumbered
        actual = heading_pages(rendered.document, pages)
        assert [page for _, page in entries] == [actual[h.anchor] for h in headings[1:]]


def test_page_numbers_start_at_chapter_one(converted):
    for rendered, pages in converted.values():
        start = body_start(pages)
        assert start >= len(rendered.data.profile.front) and all(page.number is None for page in pages[:start])
        assert f"一、{rendered.data.profile.chapters[0].heading}" in pages[start].text
        numbered = [page.number for page in pages[start:]]
        assert numbered == list(range(1, len(numbered) + 1))
        assert all(f"共{len(numbered)}页" in page.lines[-1] for page in pages[start:])


def test_no_short_table_is_split_and_no_caption_leaves_its_table(converted):
    for rendered, pages in converted.values():
        assert tables_apart(rendered.document, pages, SHORT_TABLE_ROWS) == []


def test_each_chart_shares_a_page_with_its_table(converted):
    _, pages = converted[YANJIN]
    assert chart_count(pages) == 17
    assert charts_apart(pages) == []


def test_column_labels_and_numbers_stay_on_one_line(converted):
    _, pages = converted[YANJIN]
    lines = [line for page in pages for line in page.lines]
    assert any("人员经费公用经费" in line for line in lines)  # 表2-2's header, each label whole
    assert any(line.startswith("预算完成率100.00%100.00%") for line in lines)


def test_the_stored_page_numbers_agree_with_the_layout(demo_reports, tmp_path):
    """What Word shows before updating anything is the page estimate stored in the fields; laid out with Word's
    line breaking (see ``as_word_breaks_lines``), LibreOffice puts every chapter on the estimated page."""
    measured = []
    for index, rendered in enumerate(demo_reports.values()):
        pages = read_pages(convert(as_word_breaks_lines(rendered.docx), tmp_path / str(index)))
        estimate = paginate(rendered.document)
        actual = heading_pages(rendered.document, pages)
        chapters = [h.anchor for h in rendered.document.headings() if CHAPTER.match(h.text)]
        assert {a: estimate.heading_pages[a] for a in chapters} == {a: actual[a] for a in chapters}
        assert estimate.body_pages == pages[-1].number
        measured += [estimate.heading_pages[anchor] == page for anchor, page in actual.items()]
    assert len(measured) > 75  # 沙湾 prints seed 000's four chapters, without chapter 五's headings
    assert sum(measured) / len(measured) >= 0.95  # measured on the demos in their own outlines: all 79 entries agree
