"""An XLSX workbook read as tables (one per sheet, merged cells resolved), and the 附件1 importer's verdict on it.

Cells are read as :mod:`evalsite.lib.sheet_cells` reads them for every import
(a percentage format shows ``86%``, a float loses its binary noise). The
workbook also goes through the 附件1 importer itself
(:func:`rubrics.indicator_xlsx.read_indicator_workbook`): whether it would
import, and what it would refuse, is written in the report's notes.
"""

from __future__ import annotations

from audits.read.model import Builder, ReadReport
from evalsite.lib.open_xlsx import open_workbook
from evalsite.lib.sheet_cells import cell_text
from evalsite.lib.sheet_problems import SheetImportError
from rubrics.indicator_xlsx import IndicatorImportError, read_indicator_workbook


class UnreadableWorkbook(SheetImportError):
    """A workbook the 复核 cannot open."""


def read_xlsx(data: bytes, source: str = "") -> ReadReport:
    workbook = open_workbook(data, UnreadableWorkbook)
    builder = Builder(source)
    for sheet in workbook.worksheets:
        rows = [[cell_text(cell.value, cell.number_format) for cell in row] for row in sheet.iter_rows()]
        width = max((len(row) for row in rows), default=0)
        rows = [row + [""] * (width - len(row)) for row in rows]
        origins = [[(r, c) for c in range(width)] for r in range(len(rows))]
        for merged in sheet.merged_cells.ranges:
            top, left = merged.min_row - 1, merged.min_col - 1
            for r in range(top, min(merged.max_row, len(rows))):
                for c in range(left, min(merged.max_col, width)):
                    origins[r][c] = (top, left)
                    rows[r][c] = rows[top][left]
        builder.grid(rows, origins, sheet=sheet.title, caption=_title(rows))
    builder.notes.append(importer_verdict(data))
    return builder.report()


def _title(rows: list[list[str]]) -> str:
    """A sheet's title row (one text across the top), as its caption."""
    for row in rows[:3]:
        texts = [text for text in dict.fromkeys(row) if text]
        if len(texts) == 1 and len(texts[0]) <= 60:
            return texts[0]
    return ""


def importer_verdict(data: bytes) -> str:
    """What the 附件1 importer says of this workbook."""
    try:
        imported = read_indicator_workbook(data, with_scores=False)
    except IndicatorImportError as error:
        shown = "；".join(error.messages[:5]) + ("……" if len(error.messages) > 5 else "")
        return f"按附件1导入格式读取时不能导入：{shown}"
    return f"附件1可按导入格式读取（工作表“{imported.sheet}”，表头在第{imported.header_row}行）"
