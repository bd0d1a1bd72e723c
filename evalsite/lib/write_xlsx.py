"""How every workbook the product writes looks and prints, and how a value goes into a cell.

One style kit for the budget workbook, the respondent sheet and every table of
the report (附件1, 附件2, 表2-1…): the same header fill and font, borders,
alignments and title row; text never turns into a formula. Number formats
come from :mod:`evalsite.lib.numbers` beside the functions that print the same
numbers. :func:`save` gives every sheet its print setup (A4, fitted to the
page width, landscape when wide, the table's header rows repeated on each
page, page numbers) and, for a draft, the mark in the page header.
Django-free; openpyxl is imported here because this module writes
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
#: Wider than this (in column width units, the sum over the sheet's columns) prints in landscape.
LANDSCAPE_FROM = 100
PAGE_NUMBERS = "第 &P 页，共 &N 页"
MARK_COLOR = "C00000"
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


def header_rows(sheet) -> tuple[int, int] | None:
    """The rows of the sheet's table header (cells written with ``header=True``), when the sheet holds one
    header block; ``None`` when it holds none or several (a sheet of several tables repeats none of them)."""
    rows = sorted(
        {cell.row for row in sheet.iter_rows() for cell in row if cell.fill.fgColor.rgb == HEADER_FILL.fgColor.rgb}
    )
    if not rows or rows[-1] - rows[0] + 1 != len(rows):
        return None
    return rows[0], rows[-1]


def print_setup(sheet, *, mark: str = "") -> None:
    """A4, as wide as the page (as many pages down as needed), landscape for a wide table, its header rows
    on every page, page numbers in the footer and ``mark`` ("草稿（未签发）") in the header."""
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    width = sum(dimension.width or 0 for dimension in sheet.column_dimensions.values())
    setup.orientation = sheet.ORIENTATION_LANDSCAPE if width > LANDSCAPE_FROM else sheet.ORIENTATION_PORTRAIT
    sheet.print_options.horizontalCentered = True
    header = header_rows(sheet)
    if header is not None:
        sheet.print_title_rows = f"{header[0]}:{header[1]}"
    sheet.oddFooter.center.text = PAGE_NUMBERS
    if mark:
        sheet.oddHeader.center.text = mark
        sheet.oddHeader.center.color = MARK_COLOR


def save(workbook: Workbook, *, mark: str = "") -> bytes:
    """The workbook's bytes, every sheet set up for printing (:func:`print_setup`)."""
    for sheet in workbook.worksheets:
        print_setup(sheet, mark=mark)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
