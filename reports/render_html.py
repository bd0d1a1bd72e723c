"""The document tree as HTML: the in-browser preview and the page WeasyPrint turns into the PDF.

Only layout happens here. Blocks are grouped into runs of pages between page
breaks (each run portrait or landscape, front matter or numbered); blocks that
must share a page (a survey question's table and its chart) are grouped so the
stylesheet keeps them together. Sizes and spacing come from
:mod:`reports.page_layout` as a generated stylesheet, column widths from the same
:func:`reports.page_layout.table_plan` as the DOCX. The template prints every
text through Django's auto-escaping, so a narrative's ``<script>``, ``&`` or
``{{`` shows as written and is never interpreted.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from reports import page_layout as layout
from reports.document_model import TITLE, Block, Cover, Document, Image, PageBreak, Paragraph, Table

STANDALONE_TEMPLATE = "reports/document_standalone.html"
BODY_TEMPLATE = "reports/_document.html"


@dataclass(frozen=True)
class Keep:
    """Opens (``start``) or closes a group of blocks printed on one page: a table marked ``keep_with_next``
    and the block after it (a survey question's chart)."""

    start: bool
    kind: str = "keep"


@dataclass(frozen=True)
class PrintedTable:
    """A table with its layout: column widths in percent, and whether it is kept on one page."""

    table: Table
    widths: tuple[str, ...]
    short: bool
    kind: str = "table"
    row_prefix: str = ""  # each row's element id is this prefix and its row number (a report printed in parts)
    row_start: int = 0  # the number of the first row printed (a table continued from an earlier part)


@dataclass(frozen=True)
class PrintedTitle:
    """A title paragraph broken into lines between its phrases."""

    lines: tuple[str, ...]
    kind: str = "title"


class Tagged:
    """A block printed with an element id: a report printed in parts finds each block's pages by it."""

    def __init__(self, block, dom_id: str) -> None:
        self.block = block
        self.dom_id = dom_id

    def __getattr__(self, name: str):
        return getattr(self.block, name)


@dataclass(frozen=True)
class PageRun:
    """Blocks printed between two page breaks; ``landscape`` names the orientation of their pages.

    ``front`` runs come before the break that restarts the numbering: their pages carry no number.
    """

    blocks: tuple
    landscape: bool
    is_cover: bool
    first: bool
    front: bool = False


def printed(block: Block, landscape: bool):
    """A block as the template prints it: tables with their layout, titles broken into lines."""
    if isinstance(block, Table):
        plan = layout.table_plan(block, landscape)
        total = sum(plan.widths) or 1
        return PrintedTable(block, tuple(f"{width * 100 / total:.2f}" for width in plan.widths), plan.short)
    if isinstance(block, Paragraph) and block.style == TITLE:
        style = layout.PARAGRAPH_STYLES[TITLE]
        lines = layout.title_lines([run.text for run in block.runs], layout.page(landscape).text_width, style)
        return PrintedTitle(tuple(lines))
    return block


def grouped(blocks: list[Block], landscape: bool) -> list:
    """Blocks ready for the template: a table kept with the next block is grouped with it."""
    items: list = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if isinstance(block, Table) and block.keep_with_next and index + 1 < len(blocks):
            items += [Keep(True), printed(block, landscape), printed(blocks[index + 1], landscape), Keep(False)]
            index += 2
            continue
        items.append(printed(block, landscape))
        index += 1
    return items


def page_runs(document: Document) -> list[PageRun]:
    runs: list[PageRun] = []
    current: list[Block] = []
    landscape = document.landscape
    front = any(isinstance(block, PageBreak) and block.restart_numbering for block in document.blocks)

    def flush(next_landscape: bool, next_front: bool) -> None:
        nonlocal current, landscape, front
        if current:
            runs.append(
                PageRun(
                    tuple(grouped(current, landscape)), landscape, isinstance(current[0], Cover),
                    first=not runs, front=front,
                )
            )
        current = []
        landscape = next_landscape
        front = next_front

    for block in document.blocks:
        if isinstance(block, PageBreak):
            flush(landscape if block.landscape is None else block.landscape, front and not block.restart_numbering)
        else:
            current.append(block)
    flush(landscape, front)
    return runs


@dataclass(frozen=True)
class TocEntry:
    level: int
    text: str
    anchor: str
    numbered: bool = True  # False for a heading on an unnumbered page (the 摘要)
    page: int | None = None  # printed as given when ``given`` (a report printed in parts), else WeasyPrint counts it
    given: bool = False  # a report printed in parts: the page is ``page`` and the link is added to the joined file


def toc_entries(document: Document) -> list[TocEntry]:
    unnumbered = document.unnumbered_anchors()
    return [
        TocEntry(h.level, h.text, h.anchor, h.anchor not in unnumbered)
        for h in document.headings()
        if h.in_toc and h.anchor
    ]


def image_source(image: Image, chart_prefix: str = "") -> str:
    """A stored chart's URL under ``chart_prefix`` when given, else the picture inlined as a ``data:`` URI."""
    if chart_prefix and image.digest:
        return f"{chart_prefix}{image.digest}.png"
    return "data:image/png;base64," + base64.b64encode(image.png).decode("ascii")


def document_context(document: Document, chart_prefix: str = "", *, runs: list[PageRun] | None = None,
                     toc: list[TocEntry] | None = None, page_css: str | None = None) -> dict:
    """What the templates print; ``runs``, ``toc`` and ``page_css`` (the PDF's margin boxes) are given for a
    part of a report printed in parts."""
    return {
        "chart_prefix": chart_prefix,
        "document": document,
        "runs": page_runs(document) if runs is None else runs,
        "toc": toc_entries(document) if toc is None else toc,
        "layout_stylesheet": layout.LAYOUT_STYLESHEET,
        # our constants, no user text (the PDF only)
        "footer_css": mark_safe(layout.footer_css() if page_css is None else page_css),
        "page_css_given": page_css is not None,
        "draft_css": mark_safe(layout.DRAFT_CSS),
        "end_anchor": layout.END_ANCHOR,
    }


def render_html(document: Document, **part) -> str:
    """A complete HTML page of the report (what WeasyPrint prints); ``part`` as for :func:`document_context`."""
    return render_to_string(STANDALONE_TEMPLATE, document_context(document, **part))


def render_body(document: Document, chart_prefix: str = "") -> str:
    """The report's body for embedding in an app page (the preview); charts linked under ``chart_prefix``."""
    return render_to_string(BODY_TEMPLATE, document_context(document, chart_prefix))
