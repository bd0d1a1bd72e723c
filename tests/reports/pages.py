"""Reading a printed report back page by page (pdfplumber): where tables, charts, headings and page numbers fall.

The same checks run on the PDF WeasyPrint prints and on the PDF LibreOffice
makes of the Word file, so both outputs are held to one rule. Texts are
compared with all whitespace removed (pdfplumber puts spaces and line breaks
where the layout has them).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from reports.document_model import Document, Heading, Image, Paragraph, Table

PAGE_NUMBER = re.compile(r"第(\d+)页")
TOC_LINE = re.compile(r"^(?P<title>.+?)\.{3,}(?P<page>\d+)$")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass
class PrintedPage:
    text: str  # whitespace removed, in reading order
    lines: list[str]  # each line's text, whitespace removed
    chart_tops: list[float]  # the top of every picture on the page
    count_rows: list[float]  # the top of every table row that starts with 份数 (a survey table's last row)
    number: int | None  # the page number printed in the footer


def read_pages(pdf: bytes) -> list[PrintedPage]:
    import pdfplumber

    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            page = page.filter(lambda item: item.get("object_type") != "char" or item.get("size", 0) < 40)  # no watermark
            words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
            lines = [squeeze(line) for line in (page.extract_text() or "").splitlines()]
            footer = [squeeze(word["text"]) for word in words if word["top"] > page.height * 0.9]
            match = PAGE_NUMBER.search("".join(footer))
            pages.append(
                PrintedPage(
                    text="".join(lines),
                    lines=lines,
                    chart_tops=[image["top"] for image in page.images if image["width"] > 100],
                    count_rows=[word["top"] for word in words if squeeze(word["text"]).startswith("份数")],
                    number=int(match.group(1)) if match else None,
                )
            )
    return pages


def row_text(row) -> str:
    return squeeze("".join(cell.text for cell in row))


def find(pages: list[PrintedPage], text: str, start: int = 0) -> int | None:
    """The first page from ``start`` whose text holds ``text``."""
    for index in range(start, len(pages)):
        if text in pages[index].text:
            return index
    return None


def locate(pages: list[PrintedPage], row, start: int) -> int | None:
    """The first page holding a table row: its cells' texts in a line, or (a cell spanning rows breaks the
    line) its first cell's text."""
    first = next((squeeze(cell.text) for cell in row if squeeze(cell.text)), "")
    found = [find(pages, row_text(row)[:10], start), find(pages, first[:10], start) if first else None]
    return min((page for page in found if page is not None), default=None)


def contents(pages: list[PrintedPage]) -> list[tuple[str, int]]:
    """The contents' entries with a page number: (title, page), from the pages before page 1."""
    start = body_start(pages)
    return [(m["title"], int(m["page"])) for page in pages[:start] for line in page.lines if (m := TOC_LINE.match(line))]


def body_start(pages: list[PrintedPage]) -> int:
    """The index of the page numbered 1."""
    return next(index for index, page in enumerate(pages) if page.number == 1)


def tables_apart(document: Document, pages: list[PrintedPage], rows: int) -> list[str]:
    """Tables whose caption is not on the page of their first row, and short tables (``rows`` or fewer, header
    included) whose last row is not on the page of their first.

    Tables are found in document order: each by the text just before its first row (its caption, or the
    survey question above it), then its first and last rows, searching forward from the previous table.
    """
    apart: list[str] = []
    cursor = 0
    previous = ""
    for block in document.blocks:
        if isinstance(block, (Paragraph, Heading)):
            previous = squeeze(block.text)
        if not isinstance(block, Table):
            continue
        label = squeeze(block.caption) or previous
        start = find(pages, label, cursor)
        first_page = locate(pages, block.all_rows[0], start if start is not None else cursor)
        if first_page is not None:  # the caption nearest before the table (its text may be quoted earlier)
            start = next((i for i in range(first_page, cursor - 1, -1) if label in pages[i].text), None)
        last_page = locate(pages, block.all_rows[-1], first_page if first_page is not None else cursor)
        if None in (start, first_page, last_page):
            apart.append(f"{label}: not found ({start}, {first_page}, {last_page})")
            continue
        if first_page != start:
            apart.append(f"{label}: caption on page {start + 1}, table on page {first_page + 1}")
        elif block.row_count <= rows and last_page != first_page:
            apart.append(f"{label}: {block.row_count} rows on pages {first_page + 1}–{last_page + 1}")
        cursor = last_page
    return apart


def charts_apart(pages: list[PrintedPage]) -> list[int]:
    """Pages holding a chart with no survey table (its 份数 row) above it on the same page."""
    return [
        index + 1
        for index, page in enumerate(pages)
        for top in page.chart_tops
        if not any(row < top for row in page.count_rows)
    ]


def chart_count(pages: list[PrintedPage]) -> int:
    return sum(len(page.chart_tops) for page in pages)


def images_in(document: Document) -> int:
    return sum(1 for block in document.blocks if isinstance(block, Image))
