"""Word documents built from paragraphs and tables as the seeds print them (python-docx), for the 复核's tests.

A table lists its rows as printed; a cell left blank under a label in a
``merge_down`` column is merged into the cell above (as Word shows a label
spanning several rows), and ``merges`` spans cells explicitly
(``(top, left, bottom, right)``, inclusive). Headings are plain paragraphs, as
in most hand-made reports, unless ``heading`` is given.
"""

from __future__ import annotations

import io
from dataclasses import dataclass


@dataclass(frozen=True)
class P:
    text: str
    heading: int = 0


@dataclass(frozen=True)
class T:
    rows: tuple[tuple[str, ...], ...]
    merges: tuple[tuple[int, int, int, int], ...] = ()
    merge_down: tuple[int, ...] = ()
    merge_until: int | None = None  # the first row (a 合计) from which blank cells are not merged up
    merge_from: int = 0  # the first row whose blank cells may be merged up (below a form's header block)


def table(rows, merges=(), merge_down=(), merge_until=None, merge_from=0) -> T:
    return T(tuple(tuple(row) for row in rows), tuple(merges), tuple(merge_down), merge_until, merge_from)


def spans(block: T) -> list[tuple[int, int, int, int]]:
    """The vertical merges of blank cells under a label in the ``merge_down`` columns."""
    rows = block.rows[: block.merge_until]
    found = []
    for column in block.merge_down:
        top = None
        for r, row in enumerate(rows):
            if r < block.merge_from:
                continue
            text = row[column] if column < len(row) else ""
            if text:
                if top is not None and r - 1 > top:
                    found.append((top, column, r - 1, column))
                top = r
        if top is not None and len(rows) - 1 > top:
            found.append((top, column, len(rows) - 1, column))
    return found


def docx_bytes(blocks) -> bytes:
    from docx import Document

    document = Document()
    for block in blocks:
        if isinstance(block, P):
            if block.heading:
                document.add_heading(block.text, level=block.heading)
            else:
                document.add_paragraph(block.text)
            continue
        width = max(len(row) for row in block.rows)
        grid = document.add_table(rows=len(block.rows), cols=width)
        grid.style = "Table Grid"
        cells = [list(row.cells) for row in grid.rows]  # once: python-docx walks the whole table per cell()
        for r, row in enumerate(block.rows):
            for c, text in enumerate(row):
                if text:
                    cells[r][c].text = text
        for top, left, bottom, right in [*block.merges, *spans(block)]:
            cells[top][left].merge(cells[bottom][right])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
