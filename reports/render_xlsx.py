"""The document's sheets as an Excel workbook (openpyxl): values only, never a formula.

Every entry of ``Document.sheets`` becomes one sheet. A :class:`Table` alone:
its caption as a merged title row, the unit, the header rows (frozen), the
body with the same merged cells as the printed table, then its note. A
:class:`Sheet`: its paragraphs as lines and its tables one below the other.
A cell that carries a number holds that number (already rounded by the
builder) with its number format; every other cell holds its text, which Excel
never reads as a formula. Every look comes from :mod:`evalsite.lib.write_xlsx`.
"""

from __future__ import annotations

import math
import re

from evalsite.lib import write_xlsx
from evalsite.lib.numbers import GENERAL_FORMAT
from reports.document_model import SUBTITLE, TITLE, Document, Paragraph, Sheet, Table
from reports.table_grid import place

SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
CHARACTERS_PER_WIDTH_UNIT = 4.2
MIN_COLUMN_WIDTH = 6.0
LINE_HEIGHT = 15


def sheet_name(name: str, used: set[str]) -> str:
    base = SHEET_NAME_FORBIDDEN.sub("", name)[:31] or "Sheet"
    candidate, number = base, 1
    while candidate in used:
        number += 1
        suffix = f"({number})"
        candidate = base[: 31 - len(suffix)] + suffix
    used.add(candidate)
    return candidate


def column_widths(table: Table) -> list[float]:
    return [max(MIN_COLUMN_WIDTH, relative * CHARACTERS_PER_WIDTH_UNIT) for relative in table.widths]


def write_table(sheet, table: Table, first_row: int = 1, *, freeze: bool = True) -> int:
    """Write ``table`` from ``first_row`` on; return the first row below it."""
    width = table.width
    row = first_row
    if table.caption:
        write_xlsx.title(sheet, row, table.caption, width)
        row += 1
    if table.unit:
        write_xlsx.unit(sheet, row, table.unit, width)
        row += 1
    top = row
    header_count = len(table.header_rows)
    for placed in place(table.all_rows, width):
        cell = placed.cell
        write_xlsx.put(
            sheet,
            top + placed.row,
            placed.column + 1,
            cell.value if cell.value is not None else cell.text,
            header=cell.header or placed.row < header_count,
            bold=cell.bold,
            align=cell.align if cell.align in ("left", "right") else "center",
            number_format=cell.number_format or GENERAL_FORMAT,
        )
        if placed.is_merged:
            write_xlsx.merge(sheet, top + placed.row, placed.column + 1, top + placed.last_row, placed.last_column + 1)
    last_row = top + len(table.all_rows) - 1
    for row_cells in sheet.iter_rows(min_row=top, max_row=last_row, min_col=1, max_col=width):
        for target in row_cells:
            target.border = write_xlsx.BORDER  # the covered cells of a merge, too
    if freeze and header_count:
        sheet.freeze_panes = sheet.cell(row=top + header_count, column=1)
    if table.note:
        write_xlsx.line(sheet, last_row + 1, table.note, width)
        return last_row + 2
    return last_row + 1


def write_paragraph(sheet, row: int, block: Paragraph, widths: list[float]) -> None:
    """A paragraph as one line across the sheet, tall enough for its text."""
    width = len(widths)
    if block.style == TITLE:
        write_xlsx.title(sheet, row, block.text, width)
        return
    write_xlsx.line(sheet, row, block.text, width, bold=block.style == SUBTITLE)
    characters_per_line = max(1.0, sum(widths) / 2)  # a Chinese character is about two width units
    lines = sum(max(1, math.ceil(len(part) / characters_per_line)) for part in block.text.split("\n"))
    if lines > 1:
        sheet.row_dimensions[row].height = LINE_HEIGHT * lines


def write_sheet(sheet, entry: Sheet) -> None:
    """Paragraphs and tables one below the other, a blank row after each table; columns as wide as the widest."""
    widths: list[float] = []
    for table in entry.tables():
        for index, value in enumerate(column_widths(table)):
            if index < len(widths):
                widths[index] = max(widths[index], value)
            else:
                widths.append(value)
    widths = widths or [MIN_COLUMN_WIDTH * 8]
    row = 1
    for block in entry.blocks:
        if isinstance(block, Table):
            row = write_table(sheet, block, row, freeze=False) + 1
        else:
            write_paragraph(sheet, row, block, widths)
            row += 1
    write_xlsx.set_widths(sheet, widths)


def render_xlsx(document: Document) -> bytes:
    workbook = write_xlsx.new_workbook()
    used: set[str] = set()
    for entry in document.sheets:
        if isinstance(entry, Sheet):
            write_sheet(workbook.create_sheet(sheet_name(entry.name, used)), entry)
        else:
            sheet = workbook.create_sheet(sheet_name(entry.sheet or entry.caption or "表", used))
            write_table(sheet, entry)
            write_xlsx.set_widths(sheet, column_widths(entry))
    if not document.sheets:
        write_xlsx.set_text(workbook.create_sheet("说明").cell(row=1, column=1), "没有可导出的表格。")
    workbook.properties.title = document.title
    workbook.properties.creator = document.author or "绩效评价工作台"
    return write_xlsx.save(workbook, mark=document.draft_mark)
