"""How every workbook the product writes looks, and how a value goes into a cell.

One style kit for the budget workbook, the respondent sheet and every table of
the report (附件1, 附件2, 表2-1…): the same header fill and font, borders,
alignments and title row; text never turns into a formula. Number formats
come from :mod:`evalsite.lib.numbers` beside the functions that print the same
numbers. Django-free; openpyxl is imported here because this module writes
spreadsheets.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
HEADER_FONT = Font(bold=True)
BOLD_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=13)
TITLE_HEIGHT = 24
ALIGNMENTS = {
    "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
    "left": Alignment(horizontal="left", vertical="center", wrap_text=True),
    "right": Alignment(horizontal="right", vertical="center", wrap_text=True),
}
LINE = Alignment(horizontal="left", vertical="center", wrap_text=True)
TITLE = Alignment(horizontal="center", vertical="center", wrap_text=True)
UNIT = Alignment(horizontal="right")
#: How a text cell may start that a spreadsheet would take for a formula (or a DDE call) if it were typed in.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def set_text(cell, value):
    """Store ``value`` in ``cell``; a text stays a text, however it starts.

    Characters Excel refuses are dropped (an empty text leaves the cell
    empty). A text is stored as a string (never a formula, even "=8场次" or
    "=HYPERLINK(…)"), and one that starts like a formula carries Excel's
    quote prefix, so that editing the cell in Excel keeps it a text too.
    Every cell the product writes goes through here.
    """
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value) or None
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell


def put(
    sheet,
    row: int,
    column: int,
    value,
    *,
    header: bool = False,
    bold: bool = False,
    align: str = "center",
    number_format: str | None = None,
):
    """One bordered table cell: a header cell is filled and bold; a number keeps ``number_format``; a text stays text."""
    cell = set_text(sheet.cell(row=row, column=column), value)
    value = cell.value
    cell.border = BORDER
    cell.alignment = ALIGNMENTS[align]
    if header:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    elif bold:
        cell.font = BOLD_FONT
    if number_format and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        cell.number_format = number_format
    return cell


def merge(sheet, row: int, column: int, last_row: int, last_column: int) -> None:
    if last_row > row or last_column > column:
        sheet.merge_cells(start_row=row, start_column=column, end_row=last_row, end_column=last_column)


def title(sheet, row: int, text: str, width: int) -> None:
    """A table's title across its width (the caption of the printed table)."""
    cell = set_text(sheet.cell(row=row, column=1), text)
    cell.font = TITLE_FONT
    cell.alignment = TITLE
    merge(sheet, row, 1, row, width)
    sheet.row_dimensions[row].height = TITLE_HEIGHT


def line(sheet, row: int, text: str, width: int, *, bold: bool = False, centered: bool = False) -> None:
    """A line of text across the sheet's width (a heading, a method, a note)."""
    cell = set_text(sheet.cell(row=row, column=1), text)
    cell.alignment = TITLE if centered else LINE
    if bold:
        cell.font = BOLD_FONT
    merge(sheet, row, 1, row, width)


def unit(sheet, row: int, text: str, width: int) -> None:
    """``单位：万元`` at the right end of the row above a table."""
    set_text(sheet.cell(row=row, column=width), text).alignment = UNIT


def set_widths(sheet, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def new_workbook() -> Workbook:
    """A workbook without its default sheet: every sheet is created by name."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
