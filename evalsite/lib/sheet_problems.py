"""Where a spreadsheet import went wrong, said the same way by every importer.

Django-free and openpyxl-free, so pure modules (survey tallies) can use it too.
"""

from __future__ import annotations

from dataclasses import dataclass


def column_letter(column: int) -> str:
    """1 → A, 26 → Z, 27 → AA."""
    text = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        text = chr(65 + remainder) + text
    return text


@dataclass(frozen=True)
class SheetProblem:
    """What is wrong and where: sheet, 1-based row and column (``None`` when it concerns more)."""

    sheet: str
    row: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        place = f"工作表“{self.sheet}”" if self.sheet else "工作簿"
        if self.row is not None:
            place += f"第{self.row}行"
        if self.column is not None:
            place += f"{column_letter(self.column)}列"
        return f"{place}：{self.message}"


class SheetImportError(Exception):
    """Every problem of a workbook that could not be imported; nothing of it was saved."""

    def __init__(self, problems: list[SheetProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @property
    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]


#: The largest sheet an import reads: a few hundred indicators or thousands of respondents fit easily;
#: a tiny file declaring a cell at row 20000, column 500 does not (reading it would take a minute).
MAX_SHEET_CELLS = 300_000


def refuse_oversized(workbook, error: type[SheetImportError]) -> None:
    """Raise ``error`` naming every sheet whose used range is larger than :data:`MAX_SHEET_CELLS`."""
    problems = [
        SheetProblem(
            sheet.title, None, None,
            f"工作表过大（{sheet.max_row}行×{sheet.max_column}列），超过{MAX_SHEET_CELLS:,}个单元格；"
            "请删除表格之外多余的行和列后再导入",
        )
        for sheet in workbook.worksheets
        if (sheet.max_row or 0) * (sheet.max_column or 0) > MAX_SHEET_CELLS
    ]
    if problems:
        raise error(problems)
