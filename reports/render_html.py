"""The document tree as HTML: the in-browser preview and the page WeasyPrint turns into the PDF.

Only layout happens here. Blocks are grouped into runs of pages between page
breaks (each run portrait or landscape); the template prints every text
through Django's auto-escaping, so a narrative's ``<script>``, ``&`` or
``{{`` shows as written and is never interpreted.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.template.loader import render_to_string

from reports.document_model import Block, Cover, Document, Image, PageBreak

STANDALONE_TEMPLATE = "reports/document_standalone.html"
BODY_TEMPLATE = "reports/_document.html"


@dataclass(frozen=True)
class PageRun:
    """Blocks printed between two page breaks; ``landscape`` names the orientation of their pages."""

    blocks: tuple[Block, ...]
    landscape: bool
    is_cover: bool
    first: bool


def page_runs(document: Document) -> list[PageRun]:
    runs: list[PageRun] = []
    current: list[Block] = []
    landscape = document.landscape

    def flush(next_landscape: bool) -> None:
        nonlocal current, landscape
        if current:
            runs.append(
                PageRun(tuple(current), landscape, isinstance(current[0], Cover), first=not runs)
            )
        current = []
        landscape = next_landscape

    for block in document.blocks:
        if isinstance(block, PageBreak):
            flush(landscape if block.landscape is None else block.landscape)
        else:
            current.append(block)
    flush(landscape)
    return runs


@dataclass(frozen=True)
class TocEntry:
    level: int
    text: str
    anchor: str


def toc_entries(document: Document) -> list[TocEntry]:
    return [TocEntry(h.level, h.text, h.anchor) for h in document.headings() if h.in_toc and h.anchor]


def image_source(image: Image) -> str:
    return "data:image/png;base64," + base64.b64encode(image.png).decode("ascii")


def document_context(document: Document) -> dict:
    return {
        "document": document,
        "runs": page_runs(document),
        "toc": toc_entries(document),
    }


def render_html(document: Document) -> str:
    """A complete HTML page of the report (what WeasyPrint prints)."""
    return render_to_string(STANDALONE_TEMPLATE, document_context(document))


def render_body(document: Document) -> str:
    """The report's body for embedding in an app page (the preview)."""
    return render_to_string(BODY_TEMPLATE, document_context(document))

