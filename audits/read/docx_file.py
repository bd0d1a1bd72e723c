"""A DOCX report read with python-docx: paragraphs and tables in document order, merged cells resolved.

Tables nested in a cell are read as the cell's text. Text boxes, headers and
footers are not read (a report's figures are in its body). A file that is not
a readable DOCX raises :class:`UnreadableFile`.
"""

from __future__ import annotations

import io
import re
import zipfile

from audits.read.model import Builder, ReadReport

CONTENTS_LINE = re.compile(r"\t\s*\d+\s*$")
HEADING_STYLES = {"Heading 1": 1, "Heading 2": 2, "Heading 3": 3, "Title": 1}


class UnreadableFile(ValueError):
    """A file the 复核 cannot read; the message says why, in Chinese."""


def read_docx(data: bytes, source: str = "") -> ReadReport:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise UnreadableFile("不是可以读取的Word文档（.docx）") from error
    builder = Builder(source)
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            if not is_contents_line(paragraph):
                builder.text(paragraph.text, heading_level(paragraph))
        elif tag == "tbl":
            rows, origins = table_grid(Table(child, document))
            builder.grid(rows, origins)
    return builder.report()


def style_name(paragraph) -> str:
    try:
        return paragraph.style.name if paragraph.style is not None else ""
    except (KeyError, ValueError):
        return ""


def is_contents_line(paragraph) -> bool:
    """A line of the 目录 (a TOC style, or a title followed by a tab and its page number): not the chapter itself."""
    return style_name(paragraph).lower().startswith("toc ") or CONTENTS_LINE.search(paragraph.text) is not None


def heading_level(paragraph) -> int:
    name = style_name(paragraph)
    if name in HEADING_STYLES:
        return HEADING_STYLES[name]
    if name.startswith("Heading ") and name[8:].isdigit():
        return int(name[8:])
    return 0


def table_grid(table) -> tuple[list[list[str]], list[list[tuple[int, int]]]]:
    """Each row's cells (a merged cell repeated where it spans) and the top-left position of each cell's merge."""
    cells = [list(row.cells) for row in table.rows]
    width = max((len(row) for row in cells), default=0)
    first_seen: dict[int, tuple[int, int]] = {}
    keep = []  # the cells' XML elements stay referenced, so their ids stay theirs
    rows: list[list[str]] = []
    origins: list[list[tuple[int, int]]] = []
    for r, row in enumerate(cells):
        texts, places = [], []
        for c in range(width):
            if c >= len(row):
                texts.append("")
                places.append((r, c))
                continue
            element = row[c]._tc
            keep.append(element)
            place = first_seen.setdefault(id(element), (r, c))
            texts.append(row[c].text)
            places.append(place)
        rows.append(texts)
        origins.append(places)
    return rows, origins
