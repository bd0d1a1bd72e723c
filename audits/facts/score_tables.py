"""Score tables read from a report's grids: 附件1 and 自评表 (three levels), 表5-n (指标名称), 表4-1 (一级指标).

The headers and labels are read with the 附件1 importer's own vocabulary
(:mod:`rubrics.indicator_xlsx`: header names, ``A部门决策（15）`` labels,
合计 rows, 加减分 blocks), so a table the importer reads is read here the same
way. Unlike the importer, nothing is refused: a table that does not add up is
read as printed, and the checks say where it does not add up. Pure.

Shapes:

* ``levels``: one row per third-level indicator, the first and second level in
  their own columns (merged down, or written once), weights of the upper levels
  in their labels; a 自评表 may carry a funds block above its header (``分值`` and
  ``得分`` of the 预算执行率 line) that is a first-level indicator of its own;
* ``names``: an 指标名称 column whose codes give the level (``B6`` then ``B61``);
* ``first``: an 一级指标 column only (表4-1).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from audits.facts.numbers import Number, read_number
from audits.read.model import Grid, squeeze
from rubrics import indicator_columns, indicator_xlsx, scoring

LEVELS = "levels"
NAMES = "names"
FIRST = "first"
LEVEL_KEYS = ("level1", "level2", "level3")
NAME_HEADERS = ("指标名称", "指标", "评价指标", "指标内容")
CODE = re.compile(r"^([A-Z])(\d{0,3})(?![0-9A-Za-z])")
FIRST_LEVEL_SUFFIXES = ("类指标", "类", "指标")


def header_key(text: str) -> str | None:
    """What a header cell names, in the importer's words (``分值``, ``权重分``, ``自评分``…), or ``name`` for 指标名称.

    The importer calls a column naming the indicator without its level (指标, 指标名称) its generic level; here
    such a column is read by the codes it holds (``names``).
    """
    key = indicator_columns.header_key(text)
    if key == indicator_columns.GENERIC_LEVEL:
        return "name"
    if key is not None:
        return key
    return "name" if squeeze(text) in NAME_HEADERS else None


def kind_hint(label: str) -> str | None:
    """加减分/加分/减分 in a label, read as the importer reads it."""
    return indicator_xlsx._kind_hint(label)


def is_total_label(text: str) -> bool:
    words = squeeze(text)
    return words in indicator_xlsx.TOTAL_LABELS or words.startswith(("合计", "总计"))


def split_code(text: str) -> tuple[str | None, str]:
    """``B61政府采购规范性`` → (``B61``, ``政府采购规范性``); a name without a code → (None, name)."""
    words = squeeze(text)
    match = CODE.match(words)
    if not match:
        return None, words
    return match.group(0), words[match.end() :].lstrip("、.．:：-—_")


def first_level_name(text: str) -> str:
    """``部门决策类指标`` → ``部门决策``: how a sentence or 表4-1 names a first-level indicator."""
    words = squeeze(text)
    for suffix in FIRST_LEVEL_SUFFIXES:
        if words.endswith(suffix) and len(words) > len(suffix) + 1:
            return words[: -len(suffix)]
    return words


@dataclass(eq=False)
class Node:
    """An indicator as a table prints it. Upper levels of a 附件1 have no row of their own: ``row`` is their label's."""

    level: int
    code: str | None
    name: str
    row: int
    weight: Number | None = None
    score: Number | None = None
    rate: Number | None = None
    process: str = ""
    deviation: str = ""
    seq: str = ""
    seq_shared: bool = False  # the 序号 cell is merged with the row above
    kind: str = scoring.NORMAL
    printed: bool = True  # the node has a row with its own figures (False: a 附件1 label)
    label: str = ""
    children: list[Node] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def title(self) -> str:
        return f"{self.code or ''}{self.name}"

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def leaves(self) -> Iterator[Node]:
        return (node for node in self.walk() if node.is_leaf)


@dataclass
class Total:
    row: int
    weight: Number | None
    score: Number | None
    rate: Number | None


@dataclass
class ScoreTable:
    grid: Grid
    shape: str
    columns: dict[str, int]
    roots: list[Node]
    total: Total | None = None
    funds: Node | None = None  # a 自评表's 预算执行率 block (also among ``roots``)

    def walk(self) -> Iterator[Node]:
        for root in self.roots:
            yield from root.walk()

    def leaves(self) -> list[Node]:
        return [node for node in self.walk() if node.is_leaf]

    def by_code(self) -> dict[str, Node]:
        return {node.code: node for node in self.walk() if node.code}

    @property
    def is_form(self) -> bool:
        """A 自评表: 年度指标值/实际完成值/偏差原因 columns instead of 评分过程."""
        return "deviation" in self.columns or "actual" in self.columns

    def place(self, row: int | None, node: Node | None = None) -> str:
        where = self.grid.name
        if row is None:
            return where
        what = f"（{node.title}）" if node is not None and node.title else ""
        return f"{where}，第{row + 1}行{what}"


# ---------------------------------------------------------------------------
# Reading a grid


def find_header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    """The header row: it names a weight or a score column and an indicator column; two-row headers are joined."""
    for r, row in enumerate(grid.rows):
        keys = _keys(row)
        if not ({"weight", "score"} & keys.keys()):
            continue
        if not ({"name", *LEVEL_KEYS} & keys.keys()):
            below = _keys(grid.rows[r + 1]) if r + 1 < len(grid.rows) else {}
            if not ({"name", *LEVEL_KEYS} & below.keys()):
                continue
            keys = {**below, **keys}
            return r + 1, keys
        return r, keys
    return None


def _keys(row: tuple[str, ...]) -> dict[str, int]:
    found: dict[str, int] = {}
    for column, text in enumerate(row):
        key = header_key(text) if text else None
        if key and key not in found:
            found[key] = column
    return found


def read_score_table(grid: Grid) -> ScoreTable | None:
    """The grid as a score table, or None when it is not one."""
    header = find_header(grid)
    if header is None:
        return None
    row, columns = header
    if {"level3", "level2"} & columns.keys():
        table = ScoreTable(grid, LEVELS, columns, [])
        _LevelReader(table, row).read()
    elif "name" in columns:
        table = ScoreTable(grid, NAMES, columns, [])
        _read_named(table, row)
    elif "level1" in columns:
        table = ScoreTable(grid, FIRST, columns, [])
        _read_first(table, row)
    else:
        return None
    return table if table.roots else None


def _cell(table: ScoreTable, row: int, key: str) -> str:
    column = table.columns.get(key)
    return "" if column is None else table.grid.cell(row, column)


def _figures(table: ScoreTable, row: int) -> tuple[Number | None, Number | None, Number | None]:
    return tuple(read_number(_cell(table, row, key)) for key in ("weight", "score", "rate"))


def _total_row(table: ScoreTable, row: int, keys: tuple[str, ...]) -> bool:
    labels = [_cell(table, row, key) for key in keys]
    labels += [table.grid.cell(row, 0)]
    return any(text and is_total_label(text) for text in labels)


def _read_total(table: ScoreTable, row: int) -> None:
    weight, score, rate = _figures(table, row)
    table.total = Total(row, weight, score, rate)


class _LevelReader:
    """附件1 / 自评表: a row per third-level indicator under its first and second level."""

    def __init__(self, table: ScoreTable, header: int) -> None:
        self.table = table
        self.header = header
        self.grid = table.grid

    def read(self) -> None:
        self.read_funds()
        current1: Node | None = None
        current2: Node | None = None
        keys = ("seq", *LEVEL_KEYS)
        for r in range(self.header + 1, len(self.grid.rows)):
            if not any(self.grid.rows[r]):
                continue
            if _total_row(self.table, r, keys):
                _read_total(self.table, r)
                break
            raw1, raw2, raw3 = (_cell(self.table, r, key) for key in LEVEL_KEYS)
            if raw3 and header_key(raw3) == "level3":
                continue  # the header again, after a page break
            if raw1 and not self.continues(r, "level1", current1):
                current1 = self.first(raw1, r)
                current2 = None
            if raw2 and current1 is not None and not self.continues(r, "level2", current2):
                current2 = self.second(current1, raw2, r)
            if not raw3:
                self.heading_row(r, current2 if raw2 else current1)
                continue
            parent = current2 or current1
            if parent is None:
                parent = current1 = self.first("", r)
            parent.children.append(self.leaf(raw3, r, current1, current2))

    def continues(self, row: int, key: str, node: Node | None) -> bool:
        """The label cell belongs to ``node``: merged with the cell above, or the same words again."""
        if node is None:
            return False
        column = self.table.columns[key]
        return self.grid.continues_above(row, column) or squeeze(self.grid.cell(row, column)) == squeeze(node.label)

    def first(self, raw: str, row: int) -> Node:
        label = indicator_xlsx.parse_label(raw, 1) if raw else indicator_xlsx.Label(None, "", None)
        kind = scoring.ADJUSTMENT if kind_hint(label.name) else scoring.NORMAL
        node = Node(1, label.code, label.name, row, weight=_label_weight(label, raw), kind=kind, printed=False, label=raw)
        self.table.roots.append(node)
        return node

    def second(self, parent: Node, raw: str, row: int) -> Node:
        label = indicator_xlsx.parse_label(raw, 2)
        node = Node(2, label.code, label.name, row, weight=_label_weight(label, raw), kind=parent.kind, printed=False,
                    label=raw)
        parent.children.append(node)
        return node

    def heading_row(self, row: int, node: Node | None) -> None:
        """A label row without a third-level indicator: its weight cell is the label's weight."""
        weight = read_number(_cell(self.table, row, "weight"))
        if node is not None and node.weight is None and weight is not None:
            node.weight = weight

    def leaf(self, raw: str, row: int, first: Node | None, second: Node | None) -> Node:
        label = indicator_xlsx.parse_label(raw, 3)
        weight, score, rate = _figures(self.table, row)
        kind = scoring.NORMAL
        if first is not None and first.kind == scoring.ADJUSTMENT:
            hints = (kind_hint(label.name), kind_hint(second.name) if second is not None else None)
            kind = next((hint for hint in hints if hint in (scoring.BONUS, scoring.DEDUCTION)), None) or (
                scoring.DEDUCTION if weight is not None and weight.value < 0 else scoring.BONUS
            )
        seq_column = self.table.columns.get("seq")
        return Node(
            3, label.code, label.name, row, weight, score, rate,
            process=_cell(self.table, row, "process"),
            deviation=_cell(self.table, row, "deviation"),
            seq=_cell(self.table, row, "seq"),
            seq_shared=seq_column is not None and self.grid.continues_above(row, seq_column),
            kind=kind, label=raw,
        )

    def read_funds(self) -> None:
        """A 自评表's funds block above the header: a row whose 分值 and 得分 are numbers is the 预算执行率 indicator."""
        for r in range(self.header):
            keys = _keys(self.grid.rows[r])
            if not {"weight", "score"} <= keys.keys():
                continue
            for data in range(r + 1, self.header):
                weight = read_number(self.grid.cell(data, keys["weight"]))
                score = read_number(self.grid.cell(data, keys["score"]))
                if weight is not None and score is not None:
                    labels = [t for t in dict.fromkeys(self.grid.rows[data][: min(keys.values())])
                              if t and read_number(t) is None]
                    name = "、".join(squeeze(t) for t in labels) or "预算执行率"
                    node = Node(1, None, name, data, weight, score)
                    self.table.funds = node
                    self.table.roots.append(node)
                    return


def _label_weight(label, raw: str) -> Number | None:
    if label.weight is None:
        return None
    return Number(label.weight, f"{raw}".strip(), 2)


def _read_named(table: ScoreTable, header: int) -> None:
    """表5-n: 指标名称 | 权重 | 得分 | 得分率; a code's length gives the level (B6, then B61)."""
    parents: dict[int, Node] = {}
    for r in range(header + 1, len(table.grid.rows)):
        raw = _cell(table, r, "name")
        if not raw:
            continue
        if is_total_label(raw):
            _read_total(table, r)
            break
        code, name = split_code(raw)
        level = 3 if code is None else min(1 + len(code) - 1, 3)
        weight, score, rate = _figures(table, r)
        node = Node(level, code, name, r, weight, score, rate, label=raw)
        parent = next((parents[up] for up in range(level - 1, 0, -1) if up in parents), None)
        if parent is not None:  # the row printed above it, whatever its code says (codes have their own check)
            parent.children.append(node)
        else:
            table.roots.append(node)
        parents[level] = node
        for deeper in [key for key in parents if key > level]:
            del parents[deeper]


def _read_first(table: ScoreTable, header: int) -> None:
    """表4-1: 一级指标 | 权重分 | 得分 | 得分率, then 合计."""
    for r in range(header + 1, len(table.grid.rows)):
        raw = _cell(table, r, "level1")
        if not raw:
            continue
        if is_total_label(raw):
            _read_total(table, r)
            break
        label = indicator_xlsx.parse_label(raw, 1)
        weight, score, rate = _figures(table, r)
        kind = scoring.ADJUSTMENT if kind_hint(label.name) else scoring.NORMAL
        table.roots.append(Node(1, label.code, label.name, r, weight, score, rate, kind=kind, label=raw))
