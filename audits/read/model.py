"""A report as read from a file: its paragraphs and tables in document order. Pure: no file, no database.

Every reader (DOCX, XLSX, PDF) returns a :class:`ReadReport`; every check reads
only this. A table is a :class:`Grid`: each cell's text, merged cells repeated
in every position they cover (as Word and Excel show them), with the top-left
position of the merge each cell belongs to, so that "the same cell merged down"
and "the same words typed again" stay distinguishable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

SPACES = re.compile(r"\s+")
CAPTION = re.compile(r"^(?:附)?表\s*[0-9０-９]+(?:\s*[-－—.．]\s*[0-9０-９]+)?")


@dataclass(frozen=True)
class Text:
    """A paragraph; ``heading`` is 1–3 when the file styles it as a heading, else 0."""

    index: int
    text: str
    heading: int = 0
    kind = "text"


@dataclass(frozen=True)
class Grid:
    """A table. ``rows[r][c]`` is the text shown at row r, column c; ``origins[r][c]`` the top-left of its merge."""

    index: int
    number: int
    caption: str
    rows: tuple[tuple[str, ...], ...]
    origins: tuple[tuple[tuple[int, int], ...], ...] = ()
    sheet: str = ""
    approximate: bool = False  # read from a PDF: a label merged down may have lost its text
    kind = "grid"

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    def cell(self, row: int, column: int) -> str:
        if 0 <= row < len(self.rows) and 0 <= column < len(self.rows[row]):
            return self.rows[row][column]
        return ""

    def origin(self, row: int, column: int) -> tuple[int, int]:
        if self.origins and row < len(self.origins) and column < len(self.origins[row]):
            return self.origins[row][column]
        return (row, column)

    def continues_above(self, row: int, column: int) -> bool:
        """The cell is part of a merge that started in a row above (its text is the one above)."""
        return self.origin(row, column)[0] < row

    @property
    def name(self) -> str:
        """How a finding names the table: its caption, the sheet, or its place among the tables."""
        if self.caption:
            return self.caption
        if self.sheet:
            return f"工作表“{self.sheet}”"
        return f"第{self.number}个表格"


@dataclass(frozen=True)
class ReadReport:
    """What could be read from one file, in order; ``notes`` say what could not be."""

    blocks: tuple[Text | Grid, ...]
    source: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    def texts(self) -> Iterator[Text]:
        return (block for block in self.blocks if isinstance(block, Text))

    def grids(self) -> Iterator[Grid]:
        return (block for block in self.blocks if isinstance(block, Grid))


def squeeze(text: str) -> str:
    """Text compared by its words: no whitespace at all."""
    return SPACES.sub("", text or "")


def is_caption(text: str) -> bool:
    """``表4-1 …`` / ``表 2-1 …`` / a short line naming a table (…得分表, …情况表, …评分表, …指标体系)."""
    words = squeeze(text)
    if not words or len(words) > 60:
        return False
    return bool(CAPTION.match(words)) or words.endswith(("表", "指标体系", "情况表", "得分表", "评分表"))


class Builder:
    """Collects blocks in order and gives each table the caption written just above it."""

    def __init__(self, source: str = "") -> None:
        self.source = source
        self.blocks: list[Text | Grid] = []
        self.notes: list[str] = []
        self.tables = 0

    def text(self, text: str, heading: int = 0) -> None:
        text = (text or "").replace("\r", "\n").strip()
        if text:
            self.blocks.append(Text(len(self.blocks), text, heading))

    def grid(self, rows, origins=None, sheet: str = "", caption: str | None = None, approximate: bool = False) -> None:
        rows = tuple(tuple((cell or "").strip() for cell in row) for row in rows)
        if not any(any(row) for row in rows):
            return
        self.tables += 1
        if caption is None:
            caption = self._caption_above()
        origins = tuple(tuple(row) for row in origins) if origins is not None else ()
        self.blocks.append(Grid(len(self.blocks), self.tables, caption, rows, origins, sheet, approximate))

    def _caption_above(self) -> str:
        for block in reversed(self.blocks[-3:]):
            if isinstance(block, Grid):
                return ""
            words = squeeze(block.text)
            if words.startswith("单位") and len(words) < 12:
                continue
            return SPACES.sub(" ", block.text).strip() if is_caption(block.text) else ""
        return ""

    def report(self) -> ReadReport:
        return ReadReport(tuple(self.blocks), self.source, tuple(self.notes))
