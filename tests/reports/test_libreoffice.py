"""The DOCX opens cleanly in LibreOffice, and its contents and page numbers work there."""

import re

import pytest

from tests.reports.conftest import pdf_pages, require
from tests.reports.libreoffice import docx_to_pdf, make_profile, plain_convert

pytestmark = pytest.mark.django_db

TOC_LINE = re.compile(r"^(?P<title>\S.*?)\s*\.{3,}\s*(?P<page>\d+)\s*$")


@pytest.fixture(scope="module")
def converted(yanjin, tmp_path_factory):
    require("pdftotext")
    directory = tmp_path_factory.mktemp("libreoffice")
    docx = directory / "report.docx"
    docx.write_bytes(yanjin.docx)
    profile = make_profile(directory / "profile")
    pdf = directory / "report.pdf"
    result = docx_to_pdf(docx, pdf, profile)
    assert result.returncode == 0, result.stderr.decode()
    assert pdf.exists(), result.stderr.decode()
    return pdf_pages(pdf.read_bytes(), directory)


def test_libreoffice_converts_the_docx_without_error(yanjin, tmp_path):
    docx = tmp_path / "报告.docx"
    docx.write_bytes(yanjin.docx)
    result = plain_convert(docx, tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert (tmp_path / "报告.pdf").stat().st_size > 50_000


def test_page_numbers_count_every_page(converted):
    total = len(converted)
    assert total > 20
    numbered = [number for number, page in enumerate(converted, start=1) if f"第 {number} 页 共 {total} 页" in page]
    assert numbered == list(range(2, total + 1))  # all but the cover


def test_the_contents_points_at_the_pages_of_the_headings(converted):
    toc_page = next(index for index, page in enumerate(converted) if "目" in page and "一、部门概况" in page and "...." in page)
    ordered = []
    for line in "\n".join(converted[toc_page : toc_page + 3]).splitlines():
        match = TOC_LINE.match(line.strip())
        if match:
            ordered.append((re.sub(r"\s+", "", match["title"]), int(match["page"])))
    entries = dict(ordered)
    for chapter in ("一、部门概况", "二、部门预算及资金安排情况", "五、绩效评价指标分析", "八、有关建议", "附件1"):
        page = entries[chapter]
        lines = [re.sub(r"\s+", "", line) for line in converted[page - 1].splitlines()]
        assert chapter in lines, (chapter, page)
        assert page > toc_page + 1
    pages = [page for _, page in ordered]
    assert len(ordered) > 40 and pages == sorted(pages)
