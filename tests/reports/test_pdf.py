"""The PDF read back with poppler: the seed's numbers, CJK fonts, page numbers, repeated table headers."""

import re
import subprocess

import pytest

from reports.document import build_report
from reports.page_layout import LAYOUT_STYLESHEET, layout_css
from reports.render_pdf import BASE_URL, RefusedURL, font_path, render_pdf, static_bytes
from tests.reports.conftest import pdf_pages, pdf_text, require
from tests.reports.pages import read_pages

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pages(yanjin, tmp_path_factory):
    require("pdftotext")
    return pdf_pages(yanjin.pdf, tmp_path_factory.mktemp("pdf"))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_pdf_text_holds_the_seed_numbers(yanjin):
    text = "".join(page.text for page in read_pages(yanjin.pdf))  # read without the 草稿 watermark's letters
    for expected in (
        "总体得分为86.00分，评价等级为“良”",
        "年初收入预算354.31万元，收入决算数为335.96万元",
        "预算调整率为42.54%",
        "共由4个一级指标、14个二级指标、30个三级指标构成",
        "部门产出类指标共包含2个二级指标，6个三级指标，权重分40.00分，得分31.50分，得分率为78.75%",
        "A11部门职能明确性（2.00分）",
        "依据评分细则，扣减1.5分，本项指标得0.50分。",
    ):
        assert expected in text, expected
    for table_number in ("表2-1", "表2-2", "表2-3", "表4-1", "表5-1", "表5-2", "表5-3", "表5-4"):
        assert table_number in text


def test_pdf_table_rows_hold_the_seed_numbers(yanjin, tmp_path):
    lines = {squeeze(line) for line in pdf_text(yanjin.pdf, tmp_path, layout=True).splitlines()}
    for row in (
        "本年收入合计354.31310.64310.64",
        "年初结转结余—25.3225.32",
        "决算数161.7518.35180.10155.86335.96—335.96",
        "总计180.10100.00%",
        "部门管理25.0022.0088.00%",
        "合计100.0086.0086.00%",
        "B61政府采购规范性2.001.0050.00%",
    ):
        assert row in lines, row


def test_table_headers_repeat_on_every_page_of_the_annex(pages):
    annex_pages = [page for page in pages if "评分标准" in page and "指标解释" in page]
    assert len(annex_pages) >= 3
    assert all("一级指标" in page and "得分率" in page for page in annex_pages)


def test_embedded_fonts_are_cjk_fonts_with_times_metrics_for_latin(yanjin, tmp_path):
    require("pdffonts")
    path = tmp_path / "report.pdf"
    path.write_bytes(yanjin.pdf)
    output = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    fonts = [line.split() for line in output.splitlines()[2:] if line.strip()]
    assert fonts
    assert all("CJK" in font[0] or "Report-Latin" in font[0] for font in fonts), output
    assert all(font[-5] == "yes" for font in fonts), output  # embedded
    names = " ".join(font[0] for font in fonts)
    assert "Noto-Serif-CJK-SC" in names and "Noto-Sans-CJK-SC" in names and "Report-Latin" in names


def test_draft_pdf_is_marked_and_signed_pdf_is_not(yanjin, pages, tmp_path):
    assert all("草稿（未签发）" in page for page in pages[1:])
    signed = render_pdf(build_report(yanjin.data, draft=False, charts=False))
    assert "草稿" not in pdf_text(signed, tmp_path)


def test_the_fetcher_serves_only_our_static_files(settings):
    content, mime = static_bytes(f"{BASE_URL}{settings.STATIC_URL.lstrip('/')}reports/report.css")
    assert mime == "text/css" and b"@page" in content
    for url in (
        "file:///etc/passwd",
        "https://example.com/x.css",
        f"{BASE_URL}{settings.STATIC_URL.lstrip('/')}../../evalsite/settings.py",
        f"{BASE_URL}{settings.STATIC_URL.lstrip('/')}reports/missing.css",
    ):
        with pytest.raises(RefusedURL):
            static_bytes(url)


def test_the_fetcher_reads_only_font_files_from_the_system():
    assert font_path("file:///usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
    for url in (
        "file:///etc/passwd",
        "file:///usr/share/fonts/../../../etc/passwd",
        "file:///usr/share/fonts/truetype/liberation2/",
        "file://example.com/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
        "https://example.com/font.ttf",
    ):
        assert font_path(url) is None, url


def test_rows_are_kept_whole_and_headers_repeat_in_the_stylesheet():
    css = static_bytes(f"{BASE_URL}static/reports/report.css")[0].decode()
    assert "tr { break-inside: avoid; }" in css
    assert "thead { display: table-header-group; }" in css
    assert 'font-family: "Noto Serif CJK SC"' in css  # the @page margin boxes do not inherit the body's font
    assert ".report-table.keep, .report-doc .keep { break-inside: avoid; }" in css
    generated = layout_css()  # the body's type, from the same numbers as the Word file
    assert '.report-doc { font-family: "Report Latin", "Noto Serif CJK SC"' in generated
    assert "unicode-range: U+0020-007E; src: local('Times New Roman'), local('Liberation Serif')" in generated


def test_the_layout_stylesheet_is_written_from_the_page_layout():
    written = static_bytes(f"{BASE_URL}static/{LAYOUT_STYLESHEET}")[0].decode()
    assert written == layout_css(), "run: python -m reports.page_layout > reports/static/reports/report-layout.css"
