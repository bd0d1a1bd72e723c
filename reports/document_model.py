"""The neutral document tree every renderer lays out: plain frozen dataclasses, no numbers computed.

Blocks are headings, paragraphs, tables with merged cells, images, page
breaks, a table of contents, the cover and the signature block. Every text
is final: numbers were formatted by the builder from the engine's and
``fiscal``'s results. A renderer (DOCX, HTML/PDF, XLSX) only decides how a
block looks; each block's ``kind`` names it for the templates.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

BODY = "body"  # an indented paragraph of running text
PLAIN = "plain"  # no first-line indent
TITLE = "title"  # a centred title (report title, annex title): its runs are phrases, broken only between them
SUBTITLE = "subtitle"  # a bold line that is not a heading (摘要 parts)
CAPTION = "caption"  # a centred bold table caption
UNIT = "unit"  # "单位：万元", right-aligned above a table
NOTE = "note"  # small print below a table
RIGHT = "right"  # right-aligned (dates)


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    style: str = BODY
    kind: ClassVar[str] = "paragraph"

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def paragraph(text: str, style: str = BODY, *, lead: str = "") -> Paragraph:
    """A paragraph of one run, optionally opened by a bold ``lead`` (``A11部门职能明确性（2分）：``)."""
    runs = ((Run(lead, bold=True),) if lead else ()) + ((Run(text),) if text else ())
    return Paragraph(runs, style)


@dataclass(frozen=True)
class Heading:
    """A heading with its number in the text (一、 （一） 1.); ``level`` 1–3 maps to Word's Heading 1–3."""

    level: int
    text: str
    anchor: str = ""
    in_toc: bool = True
    kind: ClassVar[str] = "heading"


@dataclass(frozen=True)
class Cell:
    """One table cell; covered cells of a merge are not listed (HTML's rowspan/colspan)."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    align: str = "center"
    bold: bool = False
    value: Decimal | int | None = None  # the number behind ``text`` for a spreadsheet
    number_format: str = ""
    header: bool = False  # a label cell (a header row's, or a form's label in the body)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass(frozen=True)
class Table:
    caption: str
    header_rows: tuple[tuple[Cell, ...], ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    unit: str = ""
    note: str = ""
    key: str = ""  # a stable name (tests, the XLSX)
    sheet: str = ""  # the XLSX sheet name when the table is exported
    compact: bool = False  # smaller type (the annex)
    keep_with_next: bool = False  # printed on the same page as the block after it (a survey question's chart)
    kind: ClassVar[str] = "table"

    @property
    def width(self) -> int:
        return len(self.widths)

    @property
    def row_count(self) -> int:
        return len(self.header_rows) + len(self.rows)

    @property
    def all_rows(self) -> tuple[tuple[Cell, ...], ...]:
        return self.header_rows + self.rows

    def texts(self) -> list[list[str]]:
        """Origin cells' texts row by row (tests and plain-text dumps)."""
        return [[cell.text for cell in row] for row in self.all_rows]


@dataclass(frozen=True)
class Image:
    png: bytes
    width_cm: float
    alt: str = ""
    digest: str = ""  # a stored chart's SHA-256: a page links it instead of inlining the picture
    kind: ClassVar[str] = "image"

    @property
    def pixels(self) -> tuple[int, int]:
        """Width and height in pixels, read from the PNG header."""
        if self.png[:8] != b"\x89PNG\r\n\x1a\n" or len(self.png) < 24:
            return (4, 3)
        return int.from_bytes(self.png[16:20], "big"), int.from_bytes(self.png[20:24], "big")

    def height_cm(self, width_cm: float | None = None) -> float:
        """The printed height at ``width_cm`` (default: its own width), keeping the picture's proportions."""
        width, height = self.pixels
        return (self.width_cm if width_cm is None else width_cm) * height / max(width, 1)


@dataclass(frozen=True)
class PageBreak:
    """A new page; ``landscape`` says the orientation from here on (None keeps it).

    ``restart_numbering`` marks where the numbered pages begin (the first chapter): the pages before it
    (cover, 基本信息表, contents, 摘要) carry no page number, and this page is page 1.
    """

    landscape: bool | None = None
    restart_numbering: bool = False
    kind: ClassVar[str] = "pagebreak"


@dataclass(frozen=True)
class TableOfContents:
    title: str = "目  录"
    kind: ClassVar[str] = "toc"


@dataclass(frozen=True)
class Cover:
    title_lines: tuple[str, ...]
    fields: tuple[tuple[str, str], ...]
    kind: ClassVar[str] = "cover"


@dataclass(frozen=True)
class Signature:
    lines: tuple[str, ...]
    kind: ClassVar[str] = "signature"


Block = Paragraph | Heading | Table | Image | PageBreak | TableOfContents | Cover | Signature


@dataclass(frozen=True)
class Sheet:
    """A worksheet of several paragraphs and tables, one below the other (附件2: a questionnaire a sheet)."""

    name: str
    blocks: tuple[Paragraph | Table, ...]
    kind: ClassVar[str] = "sheet"

    def tables(self) -> list[Table]:
        return [block for block in self.blocks if isinstance(block, Table)]


@dataclass(frozen=True)
class Document:
    """A whole report: ``blocks`` are printed (DOCX, HTML, PDF); ``sheets`` are the XLSX's sheets.

    A sheet is a :class:`Table` alone (its ``sheet`` names it) or a :class:`Sheet` of several blocks.
    """

    title: str
    blocks: tuple[Block, ...]
    draft: bool = True
    landscape: bool = False
    sheets: tuple[Table | Sheet, ...] = ()
    author: str = ""
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def draft_mark(self) -> str:
        return "草稿（未签发）" if self.draft else ""

    def headings(self) -> list[Heading]:
        return [block for block in self.blocks if isinstance(block, Heading)]

    def unnumbered_anchors(self) -> set[str]:
        """Anchors of the headings on unnumbered pages (before the break that restarts the numbering)."""
        anchors: set[str] = set()
        for block in self.blocks:
            if isinstance(block, PageBreak) and block.restart_numbering:
                return anchors
            if isinstance(block, Heading):
                anchors.add(block.anchor)
        return set()  # no restart: every page is numbered

    def tables(self) -> list[Table]:
        return [block for block in self.blocks if isinstance(block, Table)]

    def table(self, key: str) -> Table:
        sheet_tables = [t for sheet in self.sheets for t in (sheet.tables() if isinstance(sheet, Sheet) else [sheet])]
        for table in (*self.tables(), *sheet_tables):
            if table.key == key:
                return table
        raise KeyError(key)

    def texts(self) -> Iterator[str]:
        """Every printed text in order (headings, paragraphs, cells, cover and signature lines)."""
        for block in self.blocks:
            if isinstance(block, (Heading, Paragraph)):
                yield block.text
            elif isinstance(block, Table):
                yield block.caption
                for row in block.all_rows:
                    for cell in row:
                        yield cell.text
            elif isinstance(block, Cover):
                yield from block.title_lines
                for label, value in block.fields:
                    yield f"{label}{value}"
            elif isinstance(block, Signature):
                yield from block.lines
