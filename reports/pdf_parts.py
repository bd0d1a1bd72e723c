"""A long report printed in parts, so that WeasyPrint never holds the layout of the whole of it.

WeasyPrint keeps every laid-out page of a document until it writes the file:
a 3,000-indicator report took 1.2 GB. Past :func:`part_items` blocks and
table rows, the report is printed in parts of about that many, and the parts'
pages are joined into one file (pypdf):

1. The body (every page after the front matter) is printed part by part. A
   part is printed a little past where it will end: its pages are kept up to
   the last page that starts clean (nothing on it continues from the page
   before), and the next part starts with the first block or table row of
   that page, on a new page. Every block and table row carries an element id,
   so each page tells which ones it holds (``Page.anchors``). A table continued
   in a new part repeats its header, and a merged cell continued from an
   earlier row is an empty cell, as on a continued page of the whole table.
   The pages are therefore the pages of the whole document, printed in pieces.
2. The front matter (cover, contents, 摘要) is printed last, its contents
   with the page numbers the body's pages gave its headings.
3. Page numbers ("第 N 页 共 M 页") and the draft marking are printed once the
   page count is known, as a document of empty pages with the same page
   boxes, and laid over the pages; bookmarks and the contents' links are
   added to the joined file. The archival variant (PDF/A-3b) takes its
   metadata and output intent from the parts, which are each printed in it.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import groupby, takewhile

from django.conf import settings

from reports.document_model import Document, Heading
from reports.render_html import (
    Keep,
    PageRun,
    PrintedTable,
    Tagged,
    TocEntry,
    document_context,
    page_runs,
    render_html,
    toc_entries,
)
from reports.table_grid import place

#: A report with more blocks and table rows than this is printed in parts of about this many.
DEFAULT_PART_ITEMS = 600
#: Margin boxes are printed over the joined pages; the parts print none, and no bookmarks of their own.
PART_CSS = (
    "@page { @top-center { content: none; } @bottom-center { content: none; } } "
    ".report-doc .rh { bookmark-level: none; }"
)
PX_TO_PT = 0.75
#: The element id of a contents line numbered by us is this and its heading's anchor (the report's template).
TOC_PREFIX = "toc-"


def part_items() -> int:
    return getattr(settings, "REPORT_PDF_PART_ITEMS", DEFAULT_PART_ITEMS)


@dataclass(frozen=True)
class Item:
    """One unit a part may start with: a block of a page run, a kept group (to ``end``), or a long table's row."""

    run: int
    block: int
    row: int = -1  # ≥ 0: this row of a long table (row 0 carries the caption)
    end: int = -1  # a kept group: the index of its closing marker

    def dom_id(self, runs: Sequence[PageRun]) -> str:
        block = runs[self.run].blocks[self.block]
        if self.row >= 0:
            return f"{row_prefix(self.run, self.block)}{self.row}"
        if getattr(block, "kind", "") == "heading" and block.anchor:
            return block.anchor
        return f"k{self.run}-{self.block}"


def row_prefix(run: int, block: int) -> str:
    return f"k{run}-{block}-r"


def items_of(runs: Sequence[PageRun]) -> Iterator[Item]:
    for r, run in enumerate(runs):
        b = 0
        while b < len(run.blocks):
            block = run.blocks[b]
            if isinstance(block, Keep) and block.start:
                end = next(i for i in range(b + 1, len(run.blocks))
                           if isinstance(run.blocks[i], Keep) and not run.blocks[i].start)
                yield Item(r, b, end=end)
                b = end + 1
                continue
            if isinstance(block, PrintedTable) and not block.short and block.table.rows:
                for row in range(len(block.table.rows)):
                    yield Item(r, b, row)
            else:
                yield Item(r, b)
            b += 1


def count_items(runs: Sequence[PageRun]) -> int:
    """Blocks and long tables' rows of the document's page runs (:func:`reports.render_html.page_runs`)."""
    return sum(1 for _ in items_of(runs))


def _table_rows(printed: PrintedTable, first: int, last: int, prefix: str) -> PrintedTable:
    """Rows ``first``..``last`` of a long table; continued (``first`` > 0) without its caption, ended (``last``
    before its end) without its note; a merged cell continued from an earlier row is an empty cell."""
    table = printed.table
    placed = place(table.rows, table.width)
    rows: list[tuple] = []
    for index in range(first, last + 1):
        cells = [(p.column, replace(p.cell, rowspan=min(p.last_row, last) - index + 1))
                 for p in placed if p.row == index]
        if index == first:
            cells += [(p.column, replace(p.cell, text="", value=None, rowspan=min(p.last_row, last) - first + 1))
                      for p in placed if p.row < first <= p.last_row]
        rows.append(tuple(cell for _, cell in sorted(cells, key=lambda pair: pair[0])))
    part = replace(
        table,
        rows=tuple(rows),
        caption=table.caption if first == 0 else "",
        unit=table.unit if first == 0 else "",
        note=table.note if last == len(table.rows) - 1 else "",
    )
    return replace(printed, table=part, row_prefix=prefix, row_start=first)


def part_runs(runs: Sequence[PageRun], items: Sequence[Item]) -> list[PageRun]:
    """The page runs that print ``items`` (consecutive), the first of them starting the part's first page."""
    printed: list[PageRun] = []
    for r, in_run in groupby(items, key=lambda item: item.run):
        run = runs[r]
        blocks: list = []
        for b, same in groupby(in_run, key=lambda item: item.block):
            same = list(same)
            block, first = run.blocks[b], same[0]
            if first.end >= 0:
                blocks += [Tagged(block, first.dom_id(runs)), *run.blocks[b + 1 : first.end + 1]]
            elif first.row >= 0:
                blocks.append(_table_rows(block, first.row, same[-1].row, row_prefix(r, b)))
            else:
                blocks.append(Tagged(block, first.dom_id(runs)))
        printed.append(replace(run, blocks=tuple(blocks), first=not printed))
    return printed


@dataclass
class Printed:
    """Pages printed so far: the PDF of each part, each page's orientation, where each element id first appears."""

    pdfs: list[bytes]
    landscape: list[bool]
    anchors: dict[str, int]  # element id → 0-based page
    links: list[tuple[int, str, tuple[float, float, float, float]]]  # (page, heading anchor, PDF rectangle)

    @property
    def pages(self) -> int:
        return len(self.landscape)


def _weasy(html: str):
    from weasyprint import HTML

    from reports.render_pdf import BASE_URL, url_fetcher

    return HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher()).render()


def _print_part(document: Document, runs: list[PageRun], toc: list[TocEntry], css: str):
    return _weasy(render_html(document, runs=runs, toc=toc, page_css=PART_CSS + css))


def _keep(printed: Printed, rendered, pages: int, variant: str | None, offset: int) -> None:
    """Keep the first ``pages`` pages of a printed part, as PDF, with where its element ids are."""
    kept = rendered.pages[:pages]
    for number, page in enumerate(kept):
        height = page.height * PX_TO_PT
        for anchor, (left, top, right, bottom) in page.anchors.items():
            printed.anchors.setdefault(anchor, offset + number)
            if anchor.startswith(TOC_PREFIX):  # a contents line numbered by us: a link over it
                rectangle = (left * PX_TO_PT, height - bottom * PX_TO_PT, right * PX_TO_PT, height - top * PX_TO_PT)
                printed.links.append((offset + number, anchor[len(TOC_PREFIX):], rectangle))
        printed.landscape.append(page.width > page.height)
    printed.pdfs.append(rendered.copy(kept).write_pdf(pdf_variant=variant))


def _clean_cut(rendered, ids: dict[str, int]) -> int | None:
    """The last page (not the first) that starts clean: the items on it appear on no earlier page."""
    on_page = [{ids[anchor] for anchor in page.anchors if anchor in ids} for page in rendered.pages]
    for number in range(len(on_page) - 1, 0, -1):
        if on_page[number] and not on_page[number] & on_page[number - 1]:
            return number
    return None


def _print_body(document: Document, runs: list[PageRun], body: list[Item], variant: str | None,
                printed: Printed, size: int) -> None:
    ids = {item.dom_id(runs): index for index, item in enumerate(body)}
    position = 0
    while position < len(body):
        count = size
        while True:
            end = min(position + count, len(body))
            start = body[position]
            css = ""
            if start.block > 0 or start.row > 0:  # after a break WeasyPrint made, a block's top margin is dropped
                css = f' [id="{start.dom_id(runs)}"] {{ margin-top: 0 !important; }}'
            rendered = _print_part(document, part_runs(runs, body[position:end]), [], css)
            if end == len(body):
                cut, restart = len(rendered.pages), end
                break
            cut = _clean_cut(rendered, ids)
            if cut is not None:
                restart = min(ids[anchor] for anchor in rendered.pages[cut].anchors if anchor in ids)
                if restart > position:
                    break
            count *= 2  # one block longer than the part: print a longer part
            del rendered
        _keep(printed, rendered, cut, variant, printed.pages)
        position = restart
        del rendered
        gc.collect()


def _front_toc(document: Document, body: Printed) -> list[TocEntry]:
    """The contents with the page number each heading was printed on (the body's pages are numbered from 1)."""
    return [
        replace(entry, page=body.anchors[entry.anchor] + 1 if entry.numbered and entry.anchor in body.anchors else None,
                given=True)
        for entry in toc_entries(document)
    ]


def _stamp_html(document: Document, landscape: list[bool], numbered: list[bool]) -> str:
    """Empty pages with the report's page boxes: the page numbers and the draft marking, laid over its pages."""
    from django.template.loader import render_to_string

    context = document_context(document, runs=[], toc=[])  # the report's stylesheets, footer and draft marking
    context["pages"] = list(zip(landscape, numbered, strict=True))
    return render_to_string("reports/page_stamps.html", context)


def _headings(document: Document) -> list[Heading]:
    return [heading for heading in document.headings() if heading.anchor]


def render_in_parts(document: Document, *, variant: str | None = None, size: int | None = None,
                    runs: list[PageRun] | None = None) -> bytes:
    """The report's PDF printed in parts of about ``size`` items (see the module's docstring); ``runs`` are the
    document's page runs when the caller has laid them out already."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import NameObject, NumberObject

    size = size or part_items()
    runs = page_runs(document) if runs is None else runs
    items = list(items_of(runs))
    # The front matter (cover, contents, 摘要) is unnumbered and holds the contents (the report's builder puts them
    # there and restarts the numbering after it); without it every page is numbered and there are no contents.
    front_runs = sum(1 for _ in takewhile(lambda run: run.front, runs))
    front = [item for item in items if item.run < front_runs]
    body = Printed([], [], {}, [])
    _print_body(document, runs, [item for item in items if item.run >= front_runs], variant, body, size)
    head = Printed([], [], {}, [])
    if front:
        rendered = _print_part(document, part_runs(runs, front), _front_toc(document, body), "")
        _keep(head, rendered, len(rendered.pages), variant, 0)
        del rendered
    gc.collect()

    landscape = head.landscape + body.landscape
    numbered = [False] * head.pages + [True] * body.pages
    stamps = PdfReader(io.BytesIO(_weasy(_stamp_html(document, landscape, numbered)).write_pdf()))
    writer = PdfWriter()
    first = PdfReader(io.BytesIO((head.pdfs or body.pdfs)[0]))
    for data in head.pdfs + body.pdfs:
        writer.append(PdfReader(io.BytesIO(data)), import_outline=False)
    for page, stamp in zip(writer.pages, stamps.pages, strict=True):
        page.merge_page(stamp)
        page.compress_content_streams()  # merging leaves the page's content uncompressed

    where = {**{anchor: head.pages + page for anchor, page in body.anchors.items()}, **head.anchors}
    parents: list[tuple[int, object]] = []
    for heading in _headings(document):
        if heading.anchor not in where:
            continue
        while parents and parents[-1][0] >= heading.level:
            parents.pop()
        parent = parents[-1][1] if parents else None
        parents.append((heading.level, writer.add_outline_item(" ".join(heading.text.split()), where[heading.anchor], parent=parent)))
    for page, anchor, rectangle in head.links:
        if anchor in where:
            annotation = Link(rect=rectangle, target_page_index=where[anchor])
            annotation[NameObject("/F")] = NumberObject(4)  # printable (PDF/A)
            writer.add_annotation(page, annotation)

    info = first.metadata or {}
    writer.add_metadata({key: value for key, value in info.items()})
    root = first.trailer["/Root"]
    for key in ("/Metadata", "/OutputIntents", "/Lang"):
        if key in root:
            writer._root_object[NameObject(key)] = root.raw_get(key).clone(writer)
    writer.pdf_header = first.pdf_header
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()

