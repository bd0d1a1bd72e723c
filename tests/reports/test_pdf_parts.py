"""A long report is printed in parts (bounded memory) and reads exactly as the whole document printed at once.

The demos are short, so their PDFs (``demo_reports``) are printed whole; here
they are printed again in parts of a few dozen blocks and rows, and compared
page by page, with the same page checks as ``test_pages.py``.
"""

import io
import re
import subprocess
from decimal import Decimal

import pytest
from pypdf import PdfReader

from reports import pdf_parts
from reports.document_model import Cell, Table
from reports.page_layout import SHORT_TABLE_ROWS
from reports.render_html import PrintedTable, page_runs
from reports.render_pdf import ARCHIVAL_VARIANT, render_pdf
from tests.reports.conftest import require
from tests.reports.pages import body_start, charts_apart, contents, read_pages, squeeze, tables_apart

pytestmark = pytest.mark.django_db

PART = 40  # blocks and rows per part: 延津 prints in about ten parts, 沙湾 in three


@pytest.fixture(scope="module")
def in_parts(demo_reports):
    return {
        name: (rendered, pdf_parts.render_in_parts(rendered.document, size=PART))
        for name, rendered in demo_reports.items()
    }


def outline_titles(pdf: bytes) -> list[str]:
    def flat(entries):
        for entry in entries:
            if isinstance(entry, list):
                yield from flat(entry)
            else:
                yield entry.title

    return list(flat(PdfReader(io.BytesIO(pdf)).outline))


def test_a_report_printed_in_parts_has_the_pages_of_the_whole(in_parts):
    for rendered, pdf in in_parts.values():
        assert pdf_parts.count_items(page_runs(rendered.document)) > 2 * PART  # really printed in parts
        whole, parts = read_pages(rendered.pdf), read_pages(pdf)
        assert len(parts) == len(whole)
        for number, (expected, printed) in enumerate(zip(whole, parts, strict=True), start=1):
            assert printed.lines == expected.lines, f"page {number}"
        assert outline_titles(pdf) == outline_titles(rendered.pdf)  # the bookmarks, nested as the headings


def test_the_parts_hold_together_like_the_whole(in_parts):
    for rendered, pdf in in_parts.values():
        pages = read_pages(pdf)
        assert tables_apart(rendered.document, pages, SHORT_TABLE_ROWS) == []
        assert charts_apart(pages) == []
        start = body_start(pages)
        numbered = [page.number for page in pages[start:]]
        assert numbered == list(range(1, len(numbered) + 1))
        assert all(f"共{len(numbered)}页" in page.lines[-1] for page in pages[start:])
        assert [page.number for page in pages[:start]] == [None] * start


def test_the_contents_printed_in_parts_link_to_their_headings(in_parts):
    rendered, pdf = in_parts["延津县政务服务和大数据管理局"]
    pages = read_pages(pdf)
    start = body_start(pages)
    entries = contents(pages)
    assert entries == contents(read_pages(rendered.pdf)) and len(entries) > 40
    reader = PdfReader(io.BytesIO(pdf))
    targets = []
    for page in reader.pages[1:start]:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link":
                assert "/Dest" in annotation and not isinstance(annotation["/Dest"], str)  # no name left unresolved
                targets.append(reader.get_page_number(annotation["/Dest"][0].get_object()))
    assert {start + number - 1 for _, number in entries} <= set(targets)
    titles = {squeeze(heading.text) for heading in rendered.document.headings()}
    assert all(any(title in pages[target].text for title in titles) for target in targets)


def test_an_archival_report_in_parts_is_pdfa_3b(demo_reports, tmp_path):
    from pyhanko.pdf_utils.reader import PdfFileReader

    rendered = demo_reports["沙湾市政务服务中心"]
    pdf = pdf_parts.render_in_parts(rendered.document, size=PART, variant=ARCHIVAL_VARIANT)
    assert pdf.startswith(b"%PDF-1.7")
    reader = PdfFileReader(io.BytesIO(pdf))
    xmp = reader.root["/Metadata"].get_object().data.decode("utf-8")
    assert re.search(r'pdfaid:part="3"|<pdfaid:part>3</pdfaid:part>', xmp)
    producer = re.search(r'pdf:Producer="([^"]+)"|<pdf:Producer>([^<]+)</pdf:Producer>', xmp)
    assert str(reader.trailer["/Info"]["/Producer"]) == (producer.group(1) or producer.group(2))
    assert reader.root["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run([require("pdffonts"), str(path)], check=True, capture_output=True, text=True).stdout
    assert all(row.split()[-5] == "yes" for row in fonts.splitlines()[2:])


def test_render_pdf_prints_a_long_report_in_parts(demo_reports, settings):
    rendered = demo_reports["沙湾市政务服务中心"]
    settings.REPORT_PDF_PART_ITEMS = PART
    pdf = render_pdf(rendered.document)
    assert len(read_pages(pdf)) == len(read_pages(rendered.pdf))
    assert pdf != rendered.pdf
    settings.REPORT_PDF_PART_ITEMS = pdf_parts.count_items(page_runs(rendered.document))
    assert read_pages(render_pdf(rendered.document))[0].lines == read_pages(rendered.pdf)[0].lines


def test_a_table_continued_in_a_part_repeats_no_caption_and_empties_its_merged_cells():
    def cell(text, rowspan=1):
        return Cell(text, rowspan=rowspan, value=Decimal(1))

    rows = (
        (cell("一级", 4), cell("二级甲", 2), cell("a")),
        (cell("b"),),
        (cell("二级乙", 2), cell("c")),
        (cell("d"),),
    )
    table = Table("表1 指标", ((cell("一级"), cell("二级"), cell("三级")),), rows, (1, 1, 1), unit="单位：分", note="注")
    printed = PrintedTable(table, ("33", "33", "34"), short=False)
    part = pdf_parts._table_rows(printed, 1, 2, "k0-0-r")
    assert part.table.caption == part.table.unit == part.table.note == ""
    assert part.row_start == 1 and part.row_prefix == "k0-0-r"
    first, second = part.table.rows
    assert [(c.text, c.rowspan) for c in first] == [("", 2), ("", 1), ("b", 1)]
    assert first[0].value is None
    assert [(c.text, c.rowspan) for c in second] == [("二级乙", 1), ("c", 1)]  # cut at the part's last row
    whole = pdf_parts._table_rows(printed, 0, 3, "k0-0-r")
    assert whole.table == table
    assert squeeze(whole.table.caption) == "表1指标"


def test_the_pages_printed_in_parts_look_like_the_whole(in_parts, tmp_path):
    """Every page drawn (pdftoppm, 40 dpi) is the same picture, page numbers and draft marking included."""
    from PIL import Image, ImageChops

    for index, (rendered, pdf) in enumerate(in_parts.values()):
        pictures = {}
        for name, content in (("whole", rendered.pdf), ("parts", pdf)):
            path = tmp_path / f"{index}-{name}.pdf"
            path.write_bytes(content)
            subprocess.run([require("pdftoppm"), "-r", "40", "-gray", "-png", str(path), str(tmp_path / f"{index}-{name}")],
                           check=True)
            pictures[name] = sorted(tmp_path.glob(f"{index}-{name}-*.png"))
        assert len(pictures["whole"]) == len(pictures["parts"]) > 10
        for whole, parts in zip(pictures["whole"], pictures["parts"], strict=True):
            with Image.open(whole) as a, Image.open(parts) as b:
                assert a.size == b.size and ImageChops.difference(a, b).getbbox() is None, parts.name
