"""The document's sheet tables as an Excel workbook (openpyxl): values only, never a formula.

Every table of ``Document.sheets`` becomes one sheet: its caption as a merged
title row, the unit, the header rows (frozen), then the body, with the same
merged cells as the printed table. A cell that carries a number holds that
number (already rounded by the builder) with its number format; every other
cell holds its text, which Excel never reads as a formula.
"""

from __future__ import annotations

import io
import re

from reports.document_model import Document, Table
from reports.table_grid import place

SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
CHARACTERS_PER_WIDTH_UNIT = 4.2


def sheet_name(name: str, used: set[str]) -> str:
    base = SHEET_NAME_FORBIDDEN.sub("", name)[:31] or "Sheet"
    candidate, number = base, 1
    while candidate in used:
        number += 1
        suffix = f"({number})"
        candidate = base[: 31 - len(suffix)] + suffix
    used.add(candidate)
    return candidate


def write_table(sheet, table: Table) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_fill = PatternFill("solid", fgColor="F2F2F2")
    width = table.width
    row = 1
    if table.caption:
        title = sheet.cell(row=row, column=1, value=table.caption)
        title.font = Font(bold=True, size=13)
        title.alignment = Alignment(horizontal="center", vertical="center")
        if width > 1:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        sheet.row_dimensions[row].height = 24
        row += 1
    if table.unit:
        unit = sheet.cell(row=row, column=width, value=table.unit)
        unit.alignment = Alignment(horizontal="right")
        row += 1
    first_row = row
    header_count = len(table.header_rows)
    for placed in place(table.all_rows, width):
        cell = placed.cell
        target = sheet.cell(row=first_row + placed.row, column=placed.column + 1)
        if cell.value is not None:
            target.value = cell.value
            target.number_format = cell.number_format or "General"
        else:
            text = ILLEGAL_CHARACTERS_RE.sub("", cell.text)
            target.value = text or None
            if text:
                target.data_type = "s"  # "=8场次" is a text, never a formula
        is_header = placed.row < header_count
        target.font = Font(bold=cell.bold or is_header)
        target.alignment = Alignment(
            horizontal=cell.align if cell.align in ("left", "right") else "center", vertical="center", wrap_text=True
        )
        if is_header:
            target.fill = header_fill
        if placed.is_merged:
            sheet.merge_cells(
                start_row=first_row + placed.row,
                start_column=placed.column + 1,
                end_row=first_row + placed.last_row,
                end_column=placed.last_column + 1,
            )
    last_row = first_row + len(table.all_rows) - 1
    for row_cells in sheet.iter_rows(min_row=first_row, max_row=last_row, min_col=1, max_col=width):
        for target in row_cells:
            target.border = border
    if header_count:
        sheet.freeze_panes = sheet.cell(row=first_row + header_count, column=1)
    for index, relative in enumerate(table.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(6.0, relative * CHARACTERS_PER_WIDTH_UNIT)
    if table.note:
        sheet.cell(row=last_row + 1, column=1, value=table.note)


def render_xlsx(document: Document) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in document.sheets:
        sheet = workbook.create_sheet(sheet_name(table.sheet or table.caption or "表", used))
        write_table(sheet, table)
    if not document.sheets:
        workbook.create_sheet("说明").cell(row=1, column=1, value="没有可导出的表格。")
    workbook.properties.title = document.title
    workbook.properties.creator = document.author or "绩效评价工作台"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
