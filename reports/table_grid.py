"""Where each cell of a table with merged cells lands on the grid. Pure Python.

A table's rows list only the cells that start in them, each with a rowspan and
a colspan (the HTML way). Word and Excel need positions instead: every origin
cell at (row, column) and the rectangle it covers. :func:`place` computes them
and refuses a table whose spans overlap or overrun its width.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar


class Spanning(Protocol):
    rowspan: int
    colspan: int


C = TypeVar("C", bound=Spanning)


class GridError(ValueError):
    """The spans of a table do not fit on a grid."""


@dataclass(frozen=True)
class Placed(Generic[C]):
    cell: C
    row: int
    column: int

    @property
    def last_row(self) -> int:
        return self.row + self.cell.rowspan - 1

    @property
    def last_column(self) -> int:
        return self.column + self.cell.colspan - 1

    @property
    def is_merged(self) -> bool:
        return self.cell.rowspan > 1 or self.cell.colspan > 1


def place(rows: Sequence[Sequence[C]], width: int) -> list[Placed[C]]:
    """Every cell with its 0-based (row, column), rows in order, left to right."""
    taken: set[tuple[int, int]] = set()
    placed: list[Placed[C]] = []
    for row_index, row in enumerate(rows):
        column = 0
        for cell in row:
            while (row_index, column) in taken:
                column += 1
            if cell.rowspan < 1 or cell.colspan < 1:
                raise GridError(f"第{row_index + 1}行：合并的行数和列数至少为1")
            if column + cell.colspan > width:
                raise GridError(f"第{row_index + 1}行超出表格的{width}列")
            for r in range(row_index, row_index + cell.rowspan):
                for c in range(column, column + cell.colspan):
                    if (r, c) in taken:
                        raise GridError(f"第{r + 1}行第{c + 1}列被两个单元格占用")
                    taken.add((r, c))
            placed.append(Placed(cell, row_index, column))
            column += cell.colspan
    height = len(rows)
    for r in range(height):
        for c in range(width):
            if (r, c) not in taken:
                raise GridError(f"第{r + 1}行第{c + 1}列没有单元格")
    if any(p.last_row >= height for p in placed):
        raise GridError("合并的单元格超出表格的最后一行")
    return placed
