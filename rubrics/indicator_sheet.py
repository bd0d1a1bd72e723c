"""附件1 指标体系评分表: its columns, labels and fixed texts, written down once.

The importer (:mod:`rubrics.indicator_xlsx`) recognises these headers and
labels; the report's table (:mod:`reports.indicator_annex`) prints them, and
every download of 附件1 (an evaluation's sheet, the report workbook, a
template of the library) is that table. Pure: no file, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from evalsite.lib.numbers import format_plain
from rubrics import scoring

#: When a column the report's profile prints is printed (the XLSX sheet always holds every column).
ALWAYS = "always"
WHEN_FILLED = "when_filled"  # only when some indicator has a text in it


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float  # relative: the printed table's proportions and the XLSX column widths
    align: str = "center"
    printed: str = ALWAYS


#: The columns of seed 000's 附件1, in order.
COLUMNS: tuple[Column, ...] = (
    Column("seq", "序号", 1.0),
    Column("level1", "一级指标", 2.2),
    Column("level2", "二级指标", 2.4),
    Column("level3", "三级指标", 3.2, align="left"),
    Column("weight", "权重", 1.2),
    Column("explanation", "指标解释", 6.0, align="left"),
    Column("basis", "评价依据", 3.0, align="left", printed=WHEN_FILLED),
    Column("target", "标杆值", 2.0, printed=WHEN_FILLED),
    Column("criteria", "评分标准", 6.0, align="left"),
    Column("process", "评分过程", 7.0, align="left"),
    Column("score", "得分", 1.5),
    Column("rate", "得分率", 1.9),
)
COLUMN = {column.key: column for column in COLUMNS}
#: The cells a 合计 row's label spans.
LABEL_KEYS = ("seq", "level1", "level2", "level3")
#: A third-level indicator's own texts (the template's columns).
TEXT_KEYS = ("explanation", "basis", "target", "criteria")

SHEET_NAME = "附件1 指标体系评分表"
DEDUCTION_NOTE = "备注：减分项的权重和得分以负数表示。"
NOT_APPLICABLE = "不适用"


def title(department_name: str) -> str:
    return f"{department_name}部门整体支出绩效评价指标体系评分表"


def _joined(code: str, name: str) -> str:
    """Code and name; a space only where a name starting with a Latin letter or digit would run into the code."""
    separator = " " if name[:1].isascii() and name[:1].isalnum() else ""
    return f"{code}{separator}{name}"


def group_label(code: str, name: str, weight: Decimal, kind: str) -> str:
    """A first- or second-level cell: ``A部门决策（10分）``; a 加减分 block carries no weight."""
    if kind == scoring.ADJUSTMENT:
        return _joined(code, name)
    return f"{_joined(code, name)}（{format_plain(weight)}分）"


def leaf_label(code: str, name: str) -> str:
    """A third-level cell: ``A11部门职能明确性`` (its weight is in the 权重 column)."""
    return _joined(code, name)
