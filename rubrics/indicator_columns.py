"""Which column of an indicator table is what, and how the reader understood a sheet.

Firms and finance bureaus head their columns in many wordings (指标 / 一级 /
指标名称 / 评价内容; 分值 / 权重 / 标准分 / 满分; 得分 / 自评分 / 评分…), in one
header row or two (a 指标 cell merged over 一级/二级/三级 below it), anywhere
in the first 15 rows, often below a title. This module finds the header, maps
each column to a key of :mod:`rubrics.indicator_sheet` (plus 实际完成值 and
偏差原因 of the self-evaluation forms), and applies the user's correction of
a wrong guess. It also holds what the preview shows about the reading
(:class:`Understanding`). Pure: values and merged ranges in, no file, no
database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from evalsite.lib.sheet_cells import SPACES, cell_text, is_blank
from evalsite.lib.sheet_problems import column_letter
from rubrics import indicator_sheet

HEADER_SEARCH_ROWS = 15
LEVEL_KEYS = ("level1", "level2", "level3")
#: A header naming "the indicator" without its level: it takes the levels the other headers leave open, in order.
GENERIC_LEVEL = "level"

# Column key → header names (whitespace and bracketed parts removed): the 附件1 header first, then the
# names other firms use. A cell matches exactly, or else by the longest name it starts with.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "seq": ("编号",),
    "level1": ("一级", "一级指标名称"),
    "level2": ("二级", "二级指标名称"),
    "level3": ("三级", "三级指标名称", "末级指标"),
    "weight": ("分值", "标准分值", "权重分", "权重分值", "指标分值", "指标权重", "满分", "标准分"),
    "score": ("评分", "自评分", "评价得分", "自评得分", "实际得分", "评分结果", "最终得分"),
    "criteria": ("指标说明", "评价标准", "评分细则", "评分办法", "计分方法", "评分方法"),
    "explanation": ("指标内涵", "考核内容", "指标释义", "指标含义"),
    "basis": ("数据来源", "评价要点", "佐证材料"),
    "target": ("年度指标值", "指标值", "目标值", "预期指标值"),
    "process": ("评分依据", "评分说明", "得分说明", "评分理由", "打分说明"),
}
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    **{column.key: (column.header, *HEADER_ALIASES.get(column.key, ())) for column in indicator_sheet.COLUMNS},
    "actual": ("实际完成值", "完成值", "实际值", "全年实际值", "实际完成情况"),
    "deviation": (
        "未完成原因分析", "偏差原因分析及改进措施", "偏差原因分析", "偏差原因", "未完成原因", "扣分原因", "扣分说明",
    ),
}
GENERIC_NAMES = ("指标", "评价指标", "指标名称", "评价内容", "考核指标", "考核内容及指标")

#: What each key is called in the preview and in the correction form, in the order the form lists them.
KEY_LABELS: dict[str, str] = {
    **{column.key: column.header for column in indicator_sheet.COLUMNS},
    "weight": "权重/分值",
    "target": "标杆值/年度指标值",
    "actual": "实际完成值",
    "deviation": "偏差原因",
}
KEY_CHOICES: tuple[tuple[str, str], ...] = (("", "不导入"), *KEY_LABELS.items())

_BRACKETED = re.compile(r"[（(【\[［][^）)】\]］]*[）)】\]］]")


def header_label(value: Any) -> str:
    """A header cell as compared: no whitespace, no bracketed unit or note, no final colon."""
    if value is None:
        return ""
    text = SPACES.sub("", str(value))
    return _BRACKETED.sub("", text).rstrip(":：")


def header_key(value: Any) -> str | None:
    """The key a header cell names, :data:`GENERIC_LEVEL` for a plain 指标, or ``None``."""
    label = header_label(value)
    if not label:
        return None
    for key, names in HEADER_NAMES.items():
        if label in names:
            return key
    if label in GENERIC_NAMES:
        return GENERIC_LEVEL
    if "得分率" in label:  # 自评得分率, 评价得分率
        return "rate"
    best: tuple[int, str] | None = None
    for key, names in HEADER_NAMES.items():
        for name in names:
            if len(name) > 1 and label.startswith(name) and (best is None or len(name) > best[0]):
                best = (len(name), key)
    return best[1] if best else None


def is_header_of(value: Any, key: str) -> bool:
    """The cell is exactly a header name of ``key`` (a header repeated after a page break), not a name starting with one."""
    return header_label(value) in HEADER_NAMES[key]


# ---------------------------------------------------------------------------
# Finding the header


@dataclass(frozen=True)
class HeaderGuess:
    """Where the header is and which column is what."""

    first_row: int
    last_row: int
    columns: dict[str, int]  # key → 1-based column
    headers: dict[int, str]  # column → the header as printed (two rows joined with " / ")
    two_level: bool = False  # no second-level column: each first level is its own single second level
    corrected: bool = False  # the columns are the user's, not the guess

    @property
    def data_start(self) -> int:
        return self.last_row + 1


def _spread(values: Sequence[Sequence[Any]], merged: Iterable[Any], rows: range) -> dict[tuple[int, int], Any]:
    """Header cells by (row, column), a cell merged across columns giving its text to each of them."""
    cells: dict[tuple[int, int], Any] = {}
    for row in rows:
        for column, value in enumerate(values[row - 1], start=1):
            if not is_blank(value):
                cells[(row, column)] = value
    for rng in merged:
        if rng.min_row in rows and rng.max_col > rng.min_col:
            top = cells.get((rng.min_row, rng.min_col))
            if top is not None:
                for column in range(rng.min_col + 1, rng.max_col + 1):
                    cells.setdefault((rng.min_row, column), top)
    return cells


def _row_keys(cells: Mapping[tuple[int, int], Any], row: int) -> dict[int, str]:
    return {column: key for (r, column), value in sorted(cells.items()) if r == row and (key := header_key(value))}


def _is_header_row(keys: Mapping[int, str]) -> bool:
    """Enough known headers, among them the indicator levels, to be the table's header."""
    named = set(keys.values())
    levels = [key for key in keys.values() if key in (*LEVEL_KEYS, GENERIC_LEVEL)]
    others = named - {*LEVEL_KEYS, GENERIC_LEVEL}
    if not levels or len(keys) < 3:
        return False
    return "level3" in named or len(levels) >= 3 or (len(levels) >= 2 and bool(others))


def _all_headers(cells: Mapping[tuple[int, int], Any], row: int) -> bool:
    present = [value for (r, _), value in cells.items() if r == row]
    return bool(present) and all(header_key(value) for value in present)


def find_header(values: Sequence[Sequence[Any]], merged: Iterable[Any] = ()) -> HeaderGuess | None:
    """The header of an indicator table in the first :data:`HEADER_SEARCH_ROWS` rows, or ``None``."""
    merged = list(merged)
    limit = min(HEADER_SEARCH_ROWS, len(values))
    cells = _spread(values, merged, range(1, min(limit + 1, len(values)) + 1))
    row = next((r for r in range(1, limit + 1) if _is_header_row(_row_keys(cells, r))), None)
    if row is None:
        return None
    first, last = row, row
    # a two-row header: a label merged over both rows, or 一级/二级/三级 under a merged 指标
    if row + 1 <= len(values) and _all_headers(cells, row + 1):
        last = row + 1
    elif row > 1 and _all_headers(cells, row - 1) and not _is_header_row(_row_keys(cells, row - 1)):
        first = row - 1
    by_column: dict[int, str] = {}
    printed: dict[int, str] = {}
    for header_row in range(first, last + 1):
        for column, key in _row_keys(cells, header_row).items():
            by_column[column] = key  # the lower row names the column when it names it
    for (r, column), value in sorted(cells.items()):
        if first <= r <= last:
            text = cell_text(value).replace("\n", "")
            printed[column] = f"{printed[column]} / {text}" if column in printed and text not in printed[column] else text
    return _resolve(first, last, by_column, printed)


def _resolve(first: int, last: int, by_column: Mapping[int, str], printed: dict[int, str], corrected: bool = False) -> HeaderGuess:
    columns: dict[str, int] = {}
    generic: list[int] = []
    for column in sorted(by_column):
        key = by_column[column]
        if key == GENERIC_LEVEL:
            generic.append(column)
        elif key not in columns:
            columns[key] = column
    for column in generic:  # a plain 指标 takes the first level still open, keeping levels left to right
        for level in LEVEL_KEYS:
            if level in columns:
                if columns[level] > column:
                    break
                continue
            columns[level] = column
            break
    present = [level for level in LEVEL_KEYS if level in columns]
    two_level = False
    if len(present) == 2:
        two_level = True
        left, right = sorted(columns.pop(level) for level in present)
        columns["level1"], columns["level3"] = left, right
    return HeaderGuess(first, last, columns, printed, two_level, corrected)


def corrected(guess: HeaderGuess, mapping: Mapping[int, str]) -> HeaderGuess:
    """The guess with the user's choice of what each column is (column → key; a missing column is not imported)."""
    by_column = {column: key for column, key in mapping.items() if key in KEY_LABELS}
    return replace(_resolve(guess.first_row, guess.last_row, by_column, dict(guess.headers), True))


def mapping_problems(mapping: Mapping[int, str]) -> list[str]:
    """A correction that names one key for two columns cannot be read."""
    seen: dict[str, int] = {}
    problems = []
    for column in sorted(mapping):
        key = mapping[column]
        if not key:
            continue
        if key not in KEY_LABELS:
            problems.append(f"{column_letter(column)}列：未知的列类型“{key}”")
        elif key in seen:
            problems.append(
                f"{column_letter(seen[key])}列和{column_letter(column)}列都选了“{KEY_LABELS[key]}”，每种只能选一列"
            )
        else:
            seen[key] = column
    return problems


# ---------------------------------------------------------------------------
# What the preview shows


@dataclass(frozen=True)
class ColumnUse:
    column: int
    header: str
    key: str

    @property
    def letter(self) -> str:
        return column_letter(self.column)

    @property
    def label(self) -> str:
        return KEY_LABELS.get(self.key, "不导入")


@dataclass(frozen=True)
class SkippedRow:
    row: int
    reason: str
    text: str = ""


@dataclass(frozen=True)
class LevelWeights:
    """The weights found at one level: how many nodes, where the weights came from, whether they add up."""

    level: int
    count: int
    source: str
    total: Decimal | None
    ok: bool
    note: str

    @property
    def name(self) -> str:
        return ("一级指标", "二级指标", "三级指标")[self.level - 1]


@dataclass
class Understanding:
    """How the reader understood a sheet: shown in the preview, and on the problems page when it failed."""

    sheet: str
    sheets: list[str]  # every sheet that has an indicator table (the user may pick another)
    header_first: int
    header_last: int
    columns: list[ColumnUse]
    skipped: list[SkippedRow] = field(default_factory=list)
    levels: list[LevelWeights] = field(default_factory=list)
    two_level: bool = False
    corrected: bool = False
    form: str = ""  # the self-evaluation form recognised, if any

    @property
    def mapping(self) -> dict[int, str]:
        return {use.column: use.key for use in self.columns}

    @property
    def header_rows(self) -> str:
        if self.header_first == self.header_last:
            return f"第{self.header_first}行"
        return f"第{self.header_first}—{self.header_last}行"


def column_uses(values: Sequence[Sequence[Any]], guess: HeaderGuess) -> list[ColumnUse]:
    """Every column that has a header or data, with what it became."""
    width = max((len(row) for row in values), default=0)
    keys = {column: key for key, column in guess.columns.items()}
    uses = []
    for column in range(1, width + 1):
        header = guess.headers.get(column, "")
        has_data = any(
            column - 1 < len(row) and not is_blank(row[column - 1]) for row in values[guess.last_row :]
        )
        if header or has_data or column in keys:
            uses.append(ColumnUse(column, header, keys.get(column, "")))
    return uses
