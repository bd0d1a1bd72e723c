"""A PDF report read as far as its text allows (pdfplumber): bordered tables as tables, the rest as paragraphs.

A PDF keeps no paragraphs or merged cells. A paragraph ends at a line that
stops short of the right margin, or before a line that is indented or starts a
numbered heading; page headers and footers are left out. A table that runs on
from the previous page (same columns, header repeated) is joined to it. A table is
laid on the grid of its ruling lines, so a cell spanning rows or columns is a
merge, as in Word; but a label merged down across a page break, or drawn in
the middle of its rows, may come out empty: such tables are marked
approximate, and the checks that follow labels down (sums by level, the
first level's 100, counts) leave them out. A scanned PDF has no text at all; the notes say so.
"""

from __future__ import annotations

import io
import re

from audits.read.docx_file import UnreadableFile
from audits.read.model import Builder, ReadReport, squeeze

NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、](?!\d)|表\s*\d|附件)")
PAGE_MARKS = re.compile(r"^(?:第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|-?\s*\d+\s*-?|草稿（未签发）)$")
WATERMARK_SIZE = 40  # characters this large are a watermark (草稿), not text
TOLERANCE = 2.0
SHORT = 12.0  # points short of the right margin that end a paragraph
INDENT = 12.0  # points of first-line indent that start one


def read_pdf(data: bytes, source: str = "") -> ReadReport:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    builder = Builder(source)
    reader = _Reader(builder)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        with pdf:
            for page in pdf.pages:
                reader.page(page)
    except (PdfminerException, PDFSyntaxError, PSException, ValueError) as error:
        raise UnreadableFile("不是可以读取的PDF文件") from error
    reader.flush_table()
    reader.flush_text()
    if not reader.characters:
        builder.notes.append("PDF中没有可读取的文字（可能是扫描件），未能复核；请上传Word文档")
    else:
        builder.notes.append("PDF没有段落和合并单元格的信息，按行和表格线读取，读出的段落和表格可能与原文不完全相同")
    return builder.report()


def _inside(obj, box) -> bool:
    x0, top, x1, bottom = box
    return obj.get("x0", 0) >= x0 - 1 and obj.get("x1", 0) <= x1 + 1 and obj.get("top", 0) >= top - 1 and obj.get("bottom", 0) <= bottom + 1


class _Reader:
    def __init__(self, builder: Builder) -> None:
        self.builder = builder
        self.text = ""
        self.table: tuple[list[list[str]], list[list[tuple[int, int]]]] | None = None
        self.characters = 0

    def page(self, page) -> None:
        page = page.filter(lambda obj: obj.get("object_type") != "char" or obj.get("size", 0) < WATERMARK_SIZE)
        tables = page.find_tables()
        boxes = [table.bbox for table in tables]
        outside = page.filter(lambda obj: not any(_inside(obj, box) for box in boxes))
        lines = [line for line in outside.extract_text_lines() if not PAGE_MARKS.match(squeeze(line["text"]))]
        left = min((line["x0"] for line in lines), default=0)
        right = max((line["x1"] for line in lines), default=0)
        items = [(table.bbox[1], "table", table) for table in tables] + [(line["top"], "line", line) for line in lines]
        for position, (_, kind, item) in enumerate(sorted(items, key=lambda entry: entry[0])):
            if kind == "line":
                self.flush_table()
                self.line(item, left, right)
            else:
                self.flush_text()
                self.add_table(_grid(page, item), continues=position == 0)

    def line(self, line, left: float, right: float) -> None:
        words = line["text"].strip()
        if not words:
            return
        self.characters += len(words)
        if self.text and (line["x0"] > left + INDENT or NUMBERED.match(squeeze(words))):
            self.flush_text()
        self.text += words
        if line["x1"] < right - SHORT:
            self.flush_text()

    def flush_text(self) -> None:
        if self.text:
            self.builder.text(self.text)
        self.text = ""

    def add_table(self, table, continues: bool) -> None:
        rows, origins = table
        if continues and self.table is not None and rows and len(rows[0]) == len(self.table[0][0]):
            previous_rows, previous_origins = self.table
            repeated = 0
            while repeated < len(rows) and repeated < len(previous_rows) and rows[repeated] == previous_rows[repeated]:
                repeated += 1
            offset = len(previous_rows) - repeated
            previous_rows += rows[repeated:]
            previous_origins += [[(r + offset, c) for r, c in row] for row in origins[repeated:]]
            return
        self.flush_table()
        self.table = (rows, origins)

    def flush_table(self) -> None:
        if self.table is not None:
            self.builder.grid(*self.table, approximate=True)
        self.table = None


def _lines(values: list[float]) -> list[float]:
    lines: list[float] = []
    for value in sorted(values):
        if not lines or value - lines[-1] > TOLERANCE:
            lines.append(value)
    return lines


def _index(lines: list[float], value: float) -> int:
    return min(range(len(lines)), key=lambda i: abs(lines[i] - value))


def _grid(page, table) -> tuple[list[list[str]], list[list[tuple[int, int]]]]:
    """The table's cells on a grid of its ruling lines: a cell spanning several rows or columns is one merge."""
    cells = table.cells
    xs = _lines([x for cell in cells for x in (cell[0], cell[2])])
    ys = _lines([y for cell in cells for y in (cell[1], cell[3])])
    width, height = len(xs) - 1, len(ys) - 1
    rows = [["" for _ in range(width)] for _ in range(height)]
    origins = [[(r, c) for c in range(width)] for r in range(height)]
    for x0, top, x1, bottom in cells:
        c0, c1 = _index(xs, x0), _index(xs, x1)
        r0, r1 = _index(ys, top), _index(ys, bottom)
        text = (page.crop((x0, top, x1, bottom)).extract_text() or "").replace("\n", "")
        for r in range(r0, max(r1, r0 + 1)):
            for c in range(c0, max(c1, c0 + 1)):
                if r < height and c < width:
                    rows[r][c] = text
                    origins[r][c] = (r0, c0)
    return rows, origins
