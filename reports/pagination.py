"""The page each heading falls on in the Word file, estimated from its own layout. Pure Python.

Word shows the page numbers a DOCX stores until its fields are updated, and
the app cannot run Word or LibreOffice to learn them. So the contents' stored
numbers (and the footer's page total) come from this estimate: the document
tree laid out with the numbers of :mod:`reports.page_layout` (exact line
pitches, the same column widths, spacing and keep rules as
:mod:`reports.render_docx` writes) and the line breaking of
:mod:`reports.text_measure`. Word's rules are followed: a "keep with next"
paragraph or table row goes to the next page with what follows it when both
do not fit; a paragraph leaves at least two lines on either page (widow and
orphan control); table rows are never split and header rows repeat; space
after a paragraph may fall off the foot of a page.

Pages are counted from the break that restarts the numbering (the first
chapter is page 1); LibreOffice recomputes the contents' fields on opening, and
the tests compare this estimate with where LibreOffice puts each heading.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reports import page_layout as layout
from reports.document_model import (
    Cover,
    Document,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Signature,
    Table,
    TableOfContents,
)
from reports.page_layout import TablePlan, TextStyle, table_plan
from reports.table_grid import place
from reports.text_measure import wrap

#: A row is as tall as its tallest cell plus the border between rows.
ROW_RULE = layout.BORDER


@dataclass
class Unit:
    """A piece of a page that is never split: a line, a table row, a picture."""

    height: float
    before: float = 0.0  # space above it, dropped at the top of a page
    after: float = 0.0  # space after it, which may fall off the foot of a page
    keep_next: bool = False  # on the same page as the next unit
    break_before: bool = False
    landscape: bool | None = None  # the orientation of the new page it starts (with ``break_before``)
    restart: bool = False  # the numbered pages begin here
    anchor: str = ""
    table: int = 0  # the table (id) a row belongs to, for repeated header rows
    header_height: float = 0.0  # the table's repeated header rows


@dataclass(frozen=True)
class Pagination:
    heading_pages: dict[str, int] = field(default_factory=dict)  # anchor → page number (headings on numbered pages)
    body_pages: int = 1
    plans: dict[int, TablePlan] = field(default_factory=dict)  # id(table) → its layout, reused by the writer


def paragraph_units(text: str, style: TextStyle, width: float, *, keep_next: bool | None = None) -> list[Unit]:
    """One unit per line; the first two and the last two lines glued (widow and orphan control)."""
    lines = wrap(text, width - style.left_indent * style.size, style.size, bold=style.bold,
                 first_indent=style.first_indent * style.size)
    units = [Unit(style.line) for _ in lines]
    units[0].before = style.before
    units[-1].after = style.after
    if len(units) <= 3:
        for unit in units[:-1]:
            unit.keep_next = True
    else:
        units[0].keep_next = True
        units[-2].keep_next = True
    units[-1].keep_next = style.keep_with_next if keep_next is None else keep_next
    return units


def row_heights(table: Table, plan: TablePlan) -> list[float]:
    """Each row's height: its tallest cell; a merged cell taller than its rows makes its last row taller."""
    style = layout.table_text(table.compact)
    header_count = len(table.header_rows)
    rows = table.all_rows
    heights = [0.0] * len(rows)
    merged: list[tuple[int, int, float]] = []
    for item in place(rows, table.width):
        cell = item.cell
        width = sum(plan.widths[item.column : item.column + cell.colspan]) - 2 * layout.CELL_PAD_X
        bold = cell.bold or item.row < header_count
        count = sum(len(wrap(line, width, style.size, bold=bold)) for line in cell.lines)
        need = count * style.line + 2 * layout.CELL_PAD_Y
        if cell.rowspan == 1:
            heights[item.row] = max(heights[item.row], need)
        else:
            merged.append((item.row, item.last_row, need))
    heights = [max(height, style.line + 2 * layout.CELL_PAD_Y) for height in heights]
    for first, last, need in merged:
        short = need - sum(heights[first : last + 1])
        if short > 0:
            heights[last] += short
    return [height + ROW_RULE for height in heights]


class Estimate:
    """Turns the document's blocks into units with the writer's decisions, then flows them onto pages."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.units: list[Unit] = []
        self.plans: dict[int, TablePlan] = {}
        self.landscape = document.landscape
        self.pending_break = False

    # Blocks → units ------------------------------------------------------
    def add(self, units: list[Unit]) -> None:
        self.pending_break = False
        self.units.extend(units)

    def width(self) -> float:
        return layout.page(self.landscape).text_width

    def build(self) -> None:
        for block in self.document.blocks:
            if isinstance(block, PageBreak):
                landscape = self.landscape if block.landscape is None else block.landscape
                section = block.restart_numbering or landscape != self.landscape
                self.landscape = landscape
                self.units.append(Unit(0.0, break_before=True, landscape=landscape, restart=block.restart_numbering))
                self.pending_break = not section  # the writer's "page break before" on the next paragraph
                continue
            if isinstance(block, Heading):
                style = layout.HEADING_STYLES[min(block.level, 3)]
                units = paragraph_units(block.text, style, self.width())
                units[0].anchor = block.anchor
                self.add(units)
            elif isinstance(block, Paragraph):
                self.add(self.paragraph(block))
            elif isinstance(block, Table):
                self.add(self.table(block))
            elif isinstance(block, Image):
                self.add(self.image(block))
            elif isinstance(block, Signature):
                units = []
                for index, line in enumerate(block.lines):
                    part = paragraph_units(line, layout.SIGNATURE, self.width(), keep_next=index < len(block.lines) - 1)
                    if index == 0:
                        part[0].before = layout.SIGNATURE_GAP
                    units += part
                self.add(units)
            elif isinstance(block, Cover):
                self.add([Unit(layout.PORTRAIT.text_height)])  # the cover fills its page
            elif isinstance(block, TableOfContents):
                units = paragraph_units(block.title, layout.TOC_TITLE, self.width())
                for heading in self.document.headings():
                    if heading.in_toc and heading.anchor:
                        style = layout.TOC_STYLES[min(heading.level, 3)]
                        units += paragraph_units(heading.text + "  000", style, self.width())
                self.add(units)

    def paragraph(self, block: Paragraph) -> list[Unit]:
        style = layout.PARAGRAPH_STYLES[block.style]
        if block.style == "title":
            lines = layout.title_lines([run.text for run in block.runs], self.width(), style)
            units = []
            for line in lines:
                units += paragraph_units(line, style, self.width())
            for unit in units[:-1]:
                unit.keep_next = True
            return _merge_spacing(units, style)
        return paragraph_units(block.text, style, self.width())

    def table(self, block: Table) -> list[Unit]:
        plan = table_plan(block, self.landscape)
        self.plans[id(block)] = plan
        units: list[Unit] = []
        if block.caption:
            units += paragraph_units(block.caption, layout.PARAGRAPH_STYLES["caption"], self.width())
        if block.unit:
            units += paragraph_units(block.unit, layout.PARAGRAPH_STYLES["unit"], self.width())
        if self.pending_break and not units:  # the writer opens the page with an empty note paragraph
            units += paragraph_units("", layout.PARAGRAPH_STYLES["note"], self.width(), keep_next=False)
        heights = row_heights(block, plan)
        header_height = sum(heights[: len(block.header_rows)])
        for index, height in enumerate(heights):
            units.append(Unit(height, keep_next=plan.keep_rows[index], table=id(block),
                              header_height=header_height if index >= len(block.header_rows) else 0.0))
        if block.note:
            units += paragraph_units(block.note, layout.PARAGRAPH_STYLES["note"], self.width())
        return units

    def image(self, block: Image) -> list[Unit]:
        return [Unit(layout.picture_line(block, self.landscape), before=layout.IMAGE.before, after=layout.IMAGE.after)]

    # Units → pages -------------------------------------------------------
    def flow(self) -> Pagination:
        page = 1
        used = 0.0
        landscape = self.document.landscape
        height = layout.page(landscape).text_height
        first_numbered = 1
        anchors: dict[str, int] = {}
        unnumbered = self.document.unnumbered_anchors()
        table_on_page = 0
        units = self.units

        def new_page(orientation: bool | None = None) -> None:
            nonlocal page, used, height, landscape, table_on_page
            page += 1
            used = 0.0
            table_on_page = 0
            if orientation is not None:
                landscape = orientation
                height = layout.page(landscape).text_height

        started = False
        index = 0
        while index < len(units):
            unit = units[index]
            if unit.break_before:
                if started:
                    new_page(unit.landscape)
                elif unit.landscape is not None:
                    landscape = unit.landscape
                    height = layout.page(landscape).text_height
                if unit.restart:
                    first_numbered = page
            started = True
            # A chain of units kept together moves to the next page when it does not fit here.
            end = index
            chain = units[index].before if used > 0 else 0.0
            while True:
                chain += units[end].height + (units[end].before if end > index else 0.0)
                if not units[end].keep_next or end + 1 >= len(units) or units[end + 1].break_before:
                    break
                chain += units[end].after
                end += 1
            if used > 0 and used + chain > height + 0.01 and chain <= height:
                new_page()
            elif used > 0 and used + unit.before + unit.height > height + 0.01:
                new_page()
            if unit.table and used == 0 and table_on_page != unit.table and unit.header_height and _continues(units, index):
                used += unit.header_height  # the header rows repeat at the top of the page
            if unit.table:
                table_on_page = unit.table
            if unit.anchor and unit.anchor not in unnumbered:
                anchors[unit.anchor] = page - first_numbered + 1
            used += (unit.before if used > 0 else 0.0) + unit.height + unit.after
            index += 1
        return Pagination(anchors, max(1, page - first_numbered + 1), self.plans)


def _continues(units: list[Unit], index: int) -> bool:
    """Whether the row at ``index`` continues a table begun earlier (its previous unit is a row of it)."""
    return index > 0 and units[index - 1].table == units[index].table


def _merge_spacing(units: list[Unit], style: TextStyle) -> list[Unit]:
    """A title set as several lines of one paragraph: space before only above the first, after only below the last."""
    for unit in units[1:]:
        unit.before = 0.0
    for unit in units[:-1]:
        unit.after = 0.0
    return units


def paginate(document: Document) -> Pagination:
    """The estimated page of every heading (numbered from the first chapter) and the number of numbered pages."""
    estimate = Estimate(document)
    estimate.build()
    return estimate.flow()
