"""The PDF page by page (pdfplumber): tables, captions and charts hold together, numbering starts at chapter one.

The same checks run on the Word file through LibreOffice in ``test_libreoffice.py``.
"""

import pytest

from reports.page_layout import SHORT_TABLE_ROWS
from tests.reports.pages import (
    body_start,
    chart_count,
    charts_apart,
    contents,
    images_in,
    read_pages,
    squeeze,
    tables_apart,
)

pytestmark = pytest.mark.django_db

@pytest.fixture(scope="module")
def printed(demo_reports):
    return {name: (rendered, read_pages(rendered.pdf)) for name, rendered in demo_reports.items()}


def test_no_short_table_is_split_and_no_caption_leaves_its_table(printed):
    for rendered, pages in printed.values():
        assert tables_apart(rendered.document, pages, SHORT_TABLE_ROWS) == []


def test_each_chart_shares_a_page_with_its_table(printed):
    rendered, pages = printed["延津县政务服务和大数据管理局"]
    assert chart_count(pages) == images_in(rendered.document) == 17
    assert charts_apart(pages) == []


def test_page_numbers_start_at_chapter_one(printed):
    for rendered, pages in printed.values():
        start = body_start(pages)
        assert start >= len(rendered.data.profile.front)  # the profile's front pages: cover, 基本信息表, contents, 摘要
        assert [page.number for page in pages[:start]] == [None] * start
        first = f"一、{rendered.data.profile.chapters[0].heading}"
        assert "部门整体支出绩效评价报告" in pages[start].text and first in pages[start].text
        numbered = [page.number for page in pages[start:]]
        assert numbered == list(range(1, len(numbered) + 1))
        total = len(numbered)
        assert all(f"共{total}页" in page.lines[-1] for page in pages[start:])


def test_the_contents_gives_the_page_of_every_heading(printed):
    for rendered, pages in printed.values():
        start = body_start(pages)
        entries = contents(pages)
        if "toc" not in rendered.data.profile.front:  # seed 000's outline has no contents
            assert entries == [] and "摘要" not in rendered.data.profile.front
            continue
        headings = [h for h in rendered.document.headings() if h.in_toc]
        assert [title for title, _ in entries] == [squeeze(h.text) for h in headings[1:]]  # all but the 摘要
        assert any(line == "摘要" for page in pages[1:start] for line in page.lines)  # listed, unnumbered
        for title, number in entries:
            page = pages[start + number - 1]
            assert title in page.lines or title in page.text, (title, number)


def test_the_title_never_leaves_its_last_word_alone(printed):
    for rendered, pages in printed.values():
        lines = [line for page in pages for line in page.lines]
        assert "报告" not in lines
        title = rendered.data.evaluation
        department_line = f"{title.year}年度{title.department.name}"
        assert department_line + "部门整体支出绩效评价报告" in lines or department_line in lines
