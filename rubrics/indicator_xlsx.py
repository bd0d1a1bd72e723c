"""An indicator system (指标体系) as an XLSX table like 附件1, read and written.

Reading (:func:`read_indicator_workbook`) takes the table a firm already keeps
in Excel: one row per third-level indicator, first- and second-level cells
merged down or left blank below their label, weights in a 权重/分值 column for
the third level and inside the labels for the levels above
(``A部门决策（15）``, ``A部门\\n决策\\n(10分)``, ``过   程（30分）``). It is
forgiving about layout (the header row is looked for in the first 15 rows of
every sheet, header names vary, a first-level label may reappear in a second
block, codes are generated when the labels carry none) and strict about
content: every problem names the sheet, the row and the column, and nothing is
returned unless the whole table reads cleanly.

Errors (raise :class:`IndicatorImportError`, nothing returned):

* the file is empty, not a zip, a Word document renamed, or unreadable;
* every sheet is empty (工作表为空); no sheet has a header row; the chosen
  sheet lacks the 一级指标, 二级指标, 三级指标 or 权重/分值 column;
* a third-level row without a name, a row without its first- or second-level
  indicator, a first- or second-level indicator without third-level rows;
* a weight that is missing or not a number, a weight ≤ 0 for a normal
  indicator, a negative weight for a 加分项, a first- or second-level label
  that states two different weights;
* children whose weights do not sum to the weight stated in their parent's
  label (named at the parent's label), first-level normal weights not summing
  to 100, a code used twice, any remaining message of the engine's
  :func:`rubrics.scoring.validate_tree`;
* with ``with_scores=True`` (the default): a 得分 that is not a number, is
  negative (except a 减分项, where ``-1`` means one point taken off, as seed
  000 writes it) or is above the indicator's weight.

Warnings (returned in ``ImportedSystem.warnings``; the import goes ahead
because the product recomputes every derived number):

* a stated 得分率 that disagrees with 得分 / 权重 (seed 000 prints 100% beside
  2.5 of 3); 得分率 is never imported;
* a 合计/总计 row whose score disagrees with the sum of the row scores (normal
  rows + 加分 − 减分), or whose weight disagrees with the first-level sum;
* some third-level rows scored and others not; a 评分过程 without a 得分;
* with ``with_scores=False``: the score problems listed above (those rows'
  scores are then left out of ``judgments``).

加减分: a first-level label containing 加减分/加分/减分/扣分 is an
``adjustment`` block outside the 100 (weight 0, its second level too). Each of
its rows is a ``bonus`` or a ``deduction``, decided by the row's own label,
then its second- and first-level labels (加分 → bonus; 减分/扣分 → deduction),
then the sign of the weight (seed 000 writes the 减分项 weight as ``-2``);
weights and scores are stored as positive amounts, per ``rubrics/RULES.md``.

The columns and labels are those of :mod:`rubrics.indicator_sheet`, the one
spec of 附件1; every 附件1 this product writes (``reports.indicator_annex``)
reads back to the same codes, names, weights, kinds, texts, 评分过程 and scores.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from evalsite.lib.numbers import NumberError, format_plain, percent, round_half_up, to_decimal
from evalsite.lib.open_xlsx import open_workbook
from evalsite.lib.sheet_cells import (
    FULL_WIDTH,
    SPACES,
    cell_number,
    cell_text,
    fill_merged_down,
    is_blank,
    shown,
    squeeze,
    strip_numbering,
)
from evalsite.lib.sheet_problems import Problem, SheetImportError
from evalsite.lib.text_limits import too_long
from rubrics import indicator_sheet, scoring
from rubrics.limits import INDICATOR, JUDGMENT, SYSTEM_NAME, weight_problem
from rubrics.points import points_from_texts

# ---------------------------------------------------------------------------
# Problems


class IndicatorImportError(SheetImportError):
    """Every problem of a workbook that could not be imported."""


@dataclass
class ImportedSystem:
    """What a workbook says.

    ``system`` is a dict in the ``rubrics/RULES.md`` system shape (``name``,
    ``source``, ``indicators``; every third-level indicator has
    ``rule: {"kind": "judgment"}``). ``judgments`` maps a third-level code to
    ``{"inputs": {"score": "2.5"}, "process": …, "actual": …,
    "deviation_reason": …}`` for every row with a score. ``stated_total`` is
    the score printed in a 合计/总计 row (never used, only checked).
    """

    system: dict[str, Any]
    judgments: dict[str, dict[str, Any]] = field(default_factory=dict)
    stated_total: Decimal | None = None
    warnings: list[Problem] = field(default_factory=list)
    sheet: str = ""
    header_row: int = 0


# ---------------------------------------------------------------------------
# Header recognition

HEADER_SEARCH_ROWS = 15

# Column key → header names (whitespace and bracketed units removed): the 附件1 header first, then the
# names other firms use. A cell matches exactly, or else by the longest name it starts with.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "seq": ("编号",),
    "weight": ("分值", "标准分值", "权重分", "权重分值", "指标分值", "指标权重", "满分", "标准分"),
    "score": ("自评分", "评价得分", "自评得分", "实际得分", "评分结果", "最终得分"),
    "criteria": ("指标说明", "评价标准", "评分细则", "评分办法", "计分方法", "评分方法"),
    "explanation": ("指标内涵", "考核内容", "指标释义", "指标含义"),
    "basis": ("数据来源", "评价要点", "佐证材料"),
    "target": ("年度指标值", "指标值", "目标值", "预期指标值"),
    "process": ("评分说明", "得分说明", "评分理由", "打分说明"),
}
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    **{column.key: (column.header, *HEADER_ALIASES.get(column.key, ())) for column in indicator_sheet.COLUMNS},
    "actual": ("实际完成值", "完成值", "实际值"),
    "deviation": ("未完成原因分析", "偏差原因分析及改进措施", "偏差原因分析", "偏差原因"),
}
REQUIRED_COLUMNS = (("level1", "一级指标"), ("level2", "二级指标"), ("level3", "三级指标"), ("weight", "权重/分值"))
NO_HEADER = "找不到表头行：应包含“三级指标”和“权重/分值”列"
TEXT_KEYS = ("explanation", "basis", "target", "criteria", "process", "actual", "deviation")
TOTAL_LABELS = ("合计", "总计", "总分", "合计得分", "总得分", "得分合计")

_BRACKETED = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")


def _header_label(value: Any) -> str:
    if value is None:
        return ""
    text = SPACES.sub("", str(value))
    return _BRACKETED.sub("", text).rstrip(":：")


def _header_key(value: Any) -> str | None:
    label = _header_label(value)
    if not label:
        return None
    for key, names in HEADER_NAMES.items():
        if label in names:
            return key
    if "得分率" in label:  # 自评得分率, 评价得分率
        return "rate"
    best: tuple[int, str] | None = None
    for key, names in HEADER_NAMES.items():
        for name in names:
            if label.startswith(name) and (best is None or len(name) > best[0]):
                best = (len(name), key)
    return best[1] if best else None


# ---------------------------------------------------------------------------
# Labels: code, name and weight

_CODE_PATTERNS = {
    1: r"[A-ZＡ-Ｚ]",
    2: r"[A-ZＡ-Ｚ][0-9０-９]{1,2}",
    3: r"[A-ZＡ-Ｚ][0-9０-９]{1,3}",
}
_ITEM_PREFIX = re.compile(r"^指标[0-9０-９]+\s*[:：.、]\s*")
_SEPARATORS = " \t\n\u3000、.．:：-—_"
_WEIGHT_NUMBER = r"([+\-−±]?\s*[0-9０-９]+(?:[.．][0-9０-９]+)?)"
_LABEL_WEIGHT = re.compile(
    r"\s*[（(【\[]\s*(?:权重|分值|满分|权重分)?\s*[:：]?\s*" + _WEIGHT_NUMBER + r"\s*分?\s*[)）】\]]\s*[:：]?\s*$"
    r"|(?:\s+|[:：]\s*)(?:权重|分值|满分)?\s*" + _WEIGHT_NUMBER + r"\s*分\s*$"
)


@dataclass(frozen=True)
class Label:
    code: str | None
    name: str
    weight: Decimal | None


def parse_label(raw: Any, level: int) -> Label:
    """``"A部门决策（15）"`` → code A, name 部门决策, weight 15; code and weight may be absent.

    A third-level label gives a weight only when written with 分 (``A11 xx（2分）``),
    since its weight belongs in the 权重 column and a name may end in a number.
    """
    text = str(raw).replace("\r", "\n").strip()
    if level < 3:
        text = strip_numbering(text)
    else:
        text = _ITEM_PREFIX.sub("", text)
    code = None
    match = re.match(_CODE_PATTERNS[level] + r"(?![A-Za-z0-9Ａ-Ｚａ-ｚ０-９])", text)
    if match:
        code = match.group(0).translate(FULL_WIDTH)
        text = text[match.end() :].lstrip(_SEPARATORS)
    weight = None
    match = _LABEL_WEIGHT.search(text)
    if match and (level < 3 or match.group(0).rstrip(" )）】]:：").endswith("分")):
        number = next(group for group in match.groups() if group is not None)
        number = SPACES.sub("", number).translate(FULL_WIDTH).replace("±", "")
        weight = Decimal(number)
        text = text[: match.start()]
    name = squeeze(text).rstrip(":：").strip()
    return Label(code, name, weight)


def _kind_hint(name: str) -> str | None:
    """What a label says about 加减分: bonus, deduction, both (adjustment) or nothing."""
    if "加减分" in name or "加扣分" in name:
        return scoring.ADJUSTMENT
    if "加分" in name:
        return scoring.BONUS
    if "减分" in name or "扣分" in name:
        return scoring.DEDUCTION
    return None


# ---------------------------------------------------------------------------
# Reading


@dataclass
class _Node:
    level: int
    label: Label
    row: int
    column: int
    kind: str = scoring.NORMAL
    stated_weight: Decimal | None = None
    stated_row: int | None = None
    weight: Decimal | None = None
    code: str = ""
    children: list[_Node] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def shown(self) -> str:
        """The label as the messages print it: ``A部门决策（15）``."""
        return f"{self.label.code or ''}{self.label.name}（{format_plain(self.stated_weight)}）"


class _SheetParser:
    def __init__(self, sheet, with_scores: bool):
        self.sheet = sheet
        self.name = sheet.title
        self.with_scores = with_scores
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.values: list[list[Any]] = []
        self.formats: list[list[str]] = []
        for row in sheet.iter_rows():
            self.values.append([cell.value for cell in row])
            self.formats.append([cell.number_format or "General" for cell in row])
        while self.values and all(is_blank(v) for v in self.values[-1]):
            self.values.pop()
            self.formats.pop()
        self.columns: dict[str, int] = {}
        self.header_row = 0
        self.data_start = 0
        self.first_level: list[_Node] = []
        self.leaves: list[_Node] = []
        self.scores: dict[int, Decimal] = {}  # leaf row → score
        self.judgments: dict[int, dict[str, Any]] = {}
        self.stated_total: Decimal | None = None
        self.total_row: int | None = None
        self.title = ""
        self.title_row: int | None = None

    # -- access

    @property
    def empty(self) -> bool:
        return not self.values

    def problem(self, row: int | None, column: int | None, message: str) -> None:
        self.problems.append(Problem(self.name, row, column, message))

    def warn(self, row: int | None, column: int | None, message: str) -> None:
        self.warnings.append(Problem(self.name, row, column, message))

    def value(self, row: int, key: str) -> Any:
        column = self.columns.get(key)
        if column is None or row - 1 >= len(self.values) or column - 1 >= len(self.values[row - 1]):
            return None
        return self.values[row - 1][column - 1]

    def text(self, row: int, key: str) -> str:
        column = self.columns.get(key)
        if column is None or row - 1 >= len(self.values) or column - 1 >= len(self.values[row - 1]):
            return ""
        return cell_text(self.values[row - 1][column - 1], self.formats[row - 1][column - 1])

    # -- header

    def _keys(self, row: int) -> dict[str, int]:
        found: dict[str, int] = {}
        for column, value in enumerate(self.values[row - 1], start=1):
            key = _header_key(value)
            if key and key not in found:
                found[key] = column
        return found

    def _all_headers(self, row: int) -> bool:
        cells = [v for v in self.values[row - 1] if not is_blank(v)]
        return bool(cells) and all(_header_key(v) for v in cells)

    def find_header(self) -> bool:
        """Find the header row (the first with 三级指标, or with three known headers); map its columns."""
        limit = min(HEADER_SEARCH_ROWS, len(self.values))
        candidates = [r for r in range(1, limit + 1) if "level3" in self._keys(r)]
        if not candidates:
            candidates = [r for r in range(1, limit + 1) if len(self._keys(r)) >= 3 and "level1" in self._keys(r)]
        if not candidates:
            return False
        row = candidates[0]
        columns = self._keys(row)
        last = row
        # a two-row header (a label merged over two rows, or 一/二/三级 under a merged 指标)
        for other in (row - 1, row + 1):
            if 1 <= other <= len(self.values) and self._all_headers(other):
                for key, column in self._keys(other).items():
                    if key not in columns and column not in columns.values():
                        columns[key] = column
                last = max(last, other)
        self.header_row = row
        self.data_start = last + 1
        self.columns = columns
        self.title = self._title_above(min(row, last))
        return True

    def _title_above(self, row: int) -> str:
        for above in range(row - 1, 0, -1):
            cells = [cell_text(v) for v in self.values[above - 1] if not is_blank(v)]
            if cells and not cells[0].startswith("单位"):
                self.title_row = above
                return squeeze(cells[0])
        return ""

    def check_columns(self) -> bool:
        missing = [label for key, label in REQUIRED_COLUMNS if key not in self.columns]
        for label in missing:
            self.problem(self.header_row, None, f"缺少“{label}”列")
        return not missing

    def fill_merged_cells(self) -> None:
        """Give merged cells their meaning below the header.

        A text cell merged over several rows (one 评价依据 for a block) belongs
        to each of them. A first-level label merged across the 二级指标 column
        (``加减分项`` spanning both) is also its own single second level.
        """
        level1, level2 = self.columns["level1"], self.columns["level2"]
        ranges = list(self.sheet.merged_cells.ranges)
        for merged in ranges:
            top_row = merged.min_row
            if self.data_start <= top_row <= len(self.values) and merged.min_col == level1 and merged.max_col >= level2 > level1:
                self.values[top_row - 1][level2 - 1] = self.values[top_row - 1][level1 - 1]
        text_columns = {self.columns[key] for key in TEXT_KEYS if key in self.columns}
        fill_merged_down(self.values, ranges, text_columns, first_row=self.data_start, formats=self.formats)

    # -- rows

    def _total_label(self, row: int) -> bool:
        """A 合计/总计/总分 row: it ends the table."""
        for key in ("seq", "level1", "level2", "level3"):
            value = self.value(row, key)
            if is_blank(value):
                continue
            label = _header_label(value)
            if label in TOTAL_LABELS or (key != "level3" and label.startswith(("合计", "总计"))):
                return True
        return False

    def _has_content(self, row: int) -> bool:
        keys = ("weight", "score", *TEXT_KEYS)
        return any(not is_blank(self.value(row, key)) for key in keys)

    def read_rows(self) -> None:
        current1: _Node | None = None
        current2: _Node | None = None
        for row in range(self.data_start, len(self.values) + 1):
            if all(is_blank(v) for v in self.values[row - 1]):
                continue
            if self._total_label(row):
                self.read_total(row)
                break
            raw1, raw2, raw3 = (self.value(row, key) for key in ("level1", "level2", "level3"))
            if not is_blank(raw3) and _header_key(raw3) == "level3":
                continue  # a header repeated after a page break
            new_label = False
            if not is_blank(raw1):
                node = self.first_level_node(raw1, row)
                if node is not None:
                    if node is not current1:
                        current2 = None
                    current1 = node
                    new_label = True
            if not is_blank(raw2):
                if current1 is None:
                    self.problem(row, self.columns["level1"], "缺少一级指标")
                    continue
                node = self.second_level_node(current1, raw2, row)
                if node is not None:
                    current2 = node
                    new_label = True
            if is_blank(raw3):
                self.read_heading_row(row, new_label, current2 if not is_blank(raw2) else current1)
                continue
            if current1 is None:
                self.problem(row, self.columns["level1"], "缺少一级指标")
                continue
            if current2 is None:
                self.problem(row, self.columns["level2"], "缺少二级指标")
                continue
            self.read_leaf(row, current1, current2, raw3)

    def read_heading_row(self, row: int, new_label: bool, node: _Node | None) -> None:
        """A row without a third-level name: a heading (a label, perhaps its weight) or a mistake."""
        if not self._has_content(row):
            return
        texts_or_score = any(not is_blank(self.value(row, key)) for key in ("score", *TEXT_KEYS))
        if not new_label or texts_or_score or node is None:
            self.problem(row, self.columns["level3"], "缺少三级指标名称")
            return
        weight = self.weight_cell(row)
        if weight is not None:
            self.state_weight(node, weight, row)

    def weight_cell(self, row: int) -> Decimal | None:
        raw = self.value(row, "weight")
        try:
            return cell_number(raw, unit="分")
        except NumberError:
            self.problem(row, self.columns["weight"], f"权重“{shown(raw)}”不是数字")
            return None

    def state_weight(self, node: _Node, weight: Decimal, row: int) -> None:
        if node.kind == scoring.ADJUSTMENT:
            return
        if node.stated_weight is None:
            node.stated_weight, node.stated_row = weight, row
        elif node.stated_weight != weight:
            self.problem(
                row,
                node.column,
                f"“{node.label.code or ''}{node.label.name}”标注的权重为{format_plain(weight)}，"
                f"与第{node.stated_row}行标注的{format_plain(node.stated_weight)}不一致",
            )

    def _labelled(self, raw: Any, level: int, row: int) -> Label | None:
        label = parse_label(raw, level)
        what = "一级指标" if level == 1 else "二级指标"
        if not label.name:
            self.problem(row, self.columns[f"level{level}"], f"{what}“{shown(raw)}”缺少名称")
            return None
        if not self.fits(row, self.columns[f"level{level}"], f"{what}名称", label.name, INDICATOR["name"]):
            return None
        return label

    # -- lengths: every text must fit where it is stored (``rubrics.limits``), or the preview says where it does not

    def fits(self, row: int | None, column: int | None, what: str, text: str, limit: int) -> bool:
        problem = too_long(text, limit)
        if problem:
            self.problem(row, column, f"{what}{problem}")
        return problem is None

    def check_leaf_lengths(self, row: int, leaf: _Node) -> None:
        self.fits(row, leaf.column, "三级指标名称", leaf.label.name, INDICATOR["name"])
        for key, text in leaf.texts.items():
            self.fits(row, self.columns.get(key), indicator_sheet.COLUMN[key].header, text, INDICATOR[key])

    def judgment_fits(self, row: int, judgment: dict[str, Any]) -> bool:
        """The texts stored with an imported score (评分过程, 实际完成值, 偏差原因)."""
        places = {"process": ("process", "评分过程"), "actual": ("actual", "实际完成值"),
                  "deviation_reason": ("deviation", "偏差原因分析")}
        fits = [
            self.fits(row, self.columns.get(key), what, judgment[field], JUDGMENT[field])
            for field, (key, what) in places.items()
        ]
        return all(fits)

    @staticmethod
    def _same(node: _Node, label: Label) -> bool:
        codes_agree = node.label.code is None or label.code is None or node.label.code == label.code
        return node.label.name == label.name and codes_agree

    def first_level_node(self, raw: Any, row: int) -> _Node | None:
        label = self._labelled(raw, 1, row)
        if label is None:
            return None
        node = next((n for n in self.first_level if self._same(n, label)), None)
        if node is None:
            kind = scoring.ADJUSTMENT if _kind_hint(label.name) else scoring.NORMAL
            node = _Node(1, label, row, self.columns["level1"], kind=kind)
            self.first_level.append(node)
        elif node.label.code is None and label.code is not None:
            node.label = Label(label.code, node.label.name, node.label.weight)
        if label.weight is not None:
            self.state_weight(node, label.weight, row)
        return node

    def second_level_node(self, parent: _Node, raw: Any, row: int) -> _Node | None:
        label = self._labelled(raw, 2, row)
        if label is None:
            return None
        node = next((n for n in parent.children if self._same(n, label)), None)
        if node is None:
            node = _Node(2, label, row, self.columns["level2"], kind=parent.kind)
            parent.children.append(node)
        elif node.label.code is None and label.code is not None:
            node.label = Label(label.code, node.label.name, node.label.weight)
        if label.weight is not None:
            self.state_weight(node, label.weight, row)
        return node

    def read_leaf(self, row: int, first: _Node, second: _Node, raw: Any) -> None:
        column = self.columns["level3"]
        label = parse_label(raw, 3)
        if not label.name:
            self.problem(row, column, f"三级指标“{shown(raw)}”缺少名称" if label.code else "缺少三级指标名称")
            return
        leaf = _Node(3, label, row, column)
        weight_column = self.columns["weight"]
        weight = self.weight_cell(row)
        if weight is None and is_blank(self.value(row, "weight")):
            weight = label.weight
        if weight is None:
            if is_blank(self.value(row, "weight")):
                self.problem(row, weight_column, "缺少权重")
        elif label.weight is not None and label.weight != weight:
            self.problem(
                row,
                weight_column,
                f"权重{format_plain(weight)}与三级指标名称中标注的{format_plain(label.weight)}不一致",
            )
            weight = None
        if first.kind == scoring.ADJUSTMENT:
            leaf.kind = self.adjustment_kind(leaf, second, first, weight)
            if weight is not None and weight < 0:
                if leaf.kind == scoring.BONUS:
                    self.problem(row, weight_column, f"加分项的权重不能为负数（现为{format_plain(weight)}）")
                    weight = None
                else:
                    weight = -weight
        elif weight is not None and weight <= 0:
            self.problem(row, weight_column, f"权重必须大于0（现为{format_plain(weight)}）")
            weight = None
        if weight is not None and (problem := weight_problem(weight)):
            self.problem(row, weight_column, problem)
            weight = None
        leaf.weight = weight
        for key in indicator_sheet.TEXT_KEYS:
            leaf.texts[key] = self.text(row, key)
        self.check_leaf_lengths(row, leaf)
        second.children.append(leaf)
        self.leaves.append(leaf)
        self.read_score(row, leaf)

    @staticmethod
    def adjustment_kind(leaf: _Node, second: _Node, first: _Node, weight: Decimal | None) -> str:
        for name in (leaf.label.name, second.label.name, first.label.name):
            hint = _kind_hint(name)
            if hint in (scoring.BONUS, scoring.DEDUCTION):
                return hint
        return scoring.DEDUCTION if weight is not None and weight < 0 else scoring.BONUS

    def score_problem(self, row: int, message: str) -> None:
        if self.with_scores:
            self.problem(row, self.columns["score"], message)
        else:
            self.warn(row, self.columns["score"], message + "（得分未导入）")

    def read_score(self, row: int, leaf: _Node) -> None:
        process = self.text(row, "process")
        if "score" not in self.columns:
            return
        raw = self.value(row, "score")
        try:
            score = cell_number(raw, unit="分")
        except NumberError:
            self.score_problem(row, f"得分“{shown(raw)}”不是数字")
            return
        if score is None:
            if process:
                self.warn(row, self.columns["score"], "有评分过程但未填写得分")
            return
        if score < 0:
            if leaf.kind != scoring.DEDUCTION:
                self.score_problem(row, f"得分不能为负数（现为{format_plain(score)}）")
                return
            score = -score
        if leaf.weight is not None and score > leaf.weight:
            self.score_problem(row, f"得分{format_plain(score)}超过权重{format_plain(leaf.weight)}")
            return
        judgment = {
            "inputs": {"score": format_plain(score)},
            "process": process,
            "actual": self.text(row, "actual"),
            "deviation_reason": self.text(row, "deviation"),
        }
        if self.with_scores and not self.judgment_fits(row, judgment):
            return
        self.scores[row] = score
        self.judgments[row] = judgment
        if leaf.weight:
            self.check_rate(row, score, leaf.weight)

    def stated_rate(self, row: int) -> tuple[list[Decimal], str] | None:
        """The 得分率 cell as percentages it could mean, and as shown; ``None`` when blank or unreadable."""
        column = self.columns.get("rate")
        raw = self.value(row, "rate")
        if column is None or is_blank(raw):
            return None
        if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
            number = cell_number(raw, unit="分")
            if "%" in self.formats[row - 1][column - 1]:
                return [number * 100], f"{format_plain(number * 100)}%"
            return [number * 100, number], shown(raw)
        text = SPACES.sub("", str(raw)).translate(FULL_WIDTH)
        try:
            if text.endswith(("%", "％")):
                return [to_decimal(text[:-1])], text
            number = to_decimal(text)
        except NumberError:
            return None
        return [number * 100, number], text

    def check_rate(self, row: int, score: Decimal, weight: Decimal) -> None:
        stated = self.stated_rate(row)
        if stated is None:
            return
        options, shown = stated
        expected = percent(score, weight)
        tolerance = Decimal("0.005")
        if all(abs(option - expected) > tolerance for option in options):
            self.warn(
                row,
                self.columns["rate"],
                f"得分率{shown}与得分{format_plain(score)}÷权重{format_plain(weight)}"
                f"（{round_half_up(expected)}%）不一致；得分率不导入，将按得分重新计算",
            )

    def read_total(self, row: int) -> None:
        self.total_row = row
        if "score" in self.columns:
            raw = self.value(row, "score")
            try:
                self.stated_total = cell_number(raw, unit="分")
            except NumberError:
                self.warn(row, self.columns["score"], f"合计得分“{shown(raw)}”不是数字，未核对")

    # -- the tree

    def finish(self) -> list[dict[str, Any]] | None:
        for first in self.first_level:
            if not first.children:
                self.problem(first.row, first.column, f"一级指标“{first.label.name}”下没有三级指标")
            for second in first.children:
                if not second.children:
                    self.problem(second.row, second.column, f"二级指标“{second.label.name}”下没有三级指标")
        if not self.first_level and not self.problems:
            self.problem(self.header_row, None, "表头下没有指标行")
        for first in self.first_level:
            for second in first.children:
                self.settle_weight(second)
            self.settle_weight(first)
        normal = [n.weight for n in self.first_level if n.kind == scoring.NORMAL]
        if self.first_level and None not in normal:  # unknown when a weight below it could not be read
            total = sum(normal, Decimal(0))
            if total != scoring.FULL_MARKS:
                self.problem(
                    self.header_row, self.columns["weight"], f"一级指标权重合计为{format_plain(total)}，应为100"
                )
        self.assign_codes()
        self.check_duplicates()
        self.fits(self.title_row, 1, "标题", self.title, SYSTEM_NAME)
        if self.problems:
            return None
        return [self.as_dict(node) for node in self.first_level]

    def settle_weight(self, node: _Node) -> None:
        """A parent's weight: the sum of its children, checked against the weight its label states."""
        if node.kind == scoring.ADJUSTMENT:
            node.weight = Decimal(0)
            return
        weights = [child.weight for child in node.children]
        total = sum((w for w in weights if w is not None), Decimal(0)) if None not in weights else None
        if node.stated_weight is not None:
            if total is not None and node.children and total != node.stated_weight:
                self.problem(
                    node.stated_row,
                    node.column,
                    f"{node.shown}的下级权重合计为{format_plain(total)}，与标注的{format_plain(node.stated_weight)}不一致",
                )
            node.weight = node.stated_weight
        else:
            node.weight = total

    def assign_codes(self) -> None:
        used = {n.label.code for n in self._walk() if n.label.code}
        self._codes(self.first_level, "", used)
        for first in self.first_level:
            self._codes(first.children, first.code, used)
            for second in first.children:
                self._codes(second.children, second.code, used)

    @staticmethod
    def _codes(nodes: Sequence[_Node], prefix: str, used: set[str]) -> None:
        for position, node in enumerate(nodes, start=1):
            if node.label.code:
                node.code = node.label.code
                continue
            counter = position
            while True:
                if prefix:
                    candidate = f"{prefix}{counter}"
                else:
                    candidate = chr(ord("A") + counter - 1) if counter <= 26 else f"Z{counter - 26}"
                if candidate not in used:
                    break
                counter += 1
            node.code = candidate
            used.add(candidate)

    def _walk(self):
        for first in self.first_level:
            yield first
            for second in first.children:
                yield second
                yield from second.children

    def check_duplicates(self) -> None:
        seen: dict[str, _Node] = {}
        for node in self._walk():
            if node.code in seen:
                self.problem(node.row, node.column, f"编码{node.code}重复（第{seen[node.code].row}行已使用）")
            else:
                seen[node.code] = node

    def as_dict(self, node: _Node) -> dict[str, Any]:
        data: dict[str, Any] = {"code": node.code, "name": node.label.name, "weight": format_plain(node.weight)}
        if node.kind != scoring.NORMAL:
            data["kind"] = node.kind
        if node.level < 3:
            data["children"] = [self.as_dict(child) for child in node.children]
            return data
        data.update(node.texts)
        points = points_from_texts([node.texts.get("criteria", ""), node.texts.get("explanation", "")])
        if points:  # the 评价要点 a checklist or deduction rule answers one by one, once the rule is chosen
            data["points"] = points
        data["rule"] = {"kind": "judgment"}
        data["binding"] = None
        return data

    def validate(self, indicators: list[dict[str, Any]]) -> list[scoring.Indicator] | None:
        """The engine's own checks, each message placed at the row of the indicator it names."""
        places = {node.code: (node.row, node.column) for node in self._walk()}
        try:
            tree = scoring.indicators_from_dicts(indicators)
        except scoring.ScoringError as exc:
            messages = list(exc.messages)
            tree = None
        else:
            messages = scoring.validate_tree(tree)
        for message in messages:
            code = message.partition("：")[0]
            row, column = places.get(code, (self.header_row, self.columns["weight"]))
            self.problem(row, column, message)
        return None if messages else tree

    def check_totals(self) -> None:
        scored = {leaf.row for leaf in self.leaves if leaf.row in self.scores}
        if scored and len(scored) < len(self.leaves):
            missing = [leaf.code for leaf in self.leaves if leaf.row not in scored]
            self.warn(None, self.columns.get("score"), f"以下三级指标未填写得分：{'、'.join(missing)}")
        if self.total_row is None:
            return
        weight_raw = self.value(self.total_row, "weight")
        try:
            stated_weight = cell_number(weight_raw, unit="分")
        except NumberError:
            stated_weight = None
        designed = sum((n.weight for n in self.first_level if n.kind == scoring.NORMAL), Decimal(0))
        if stated_weight is not None and stated_weight != designed:
            self.warn(
                self.total_row,
                self.columns["weight"],
                f"合计行权重为{format_plain(stated_weight)}，与各一级指标权重合计{format_plain(designed)}不一致",
            )
        if self.stated_total is None or not scored:
            return
        computed = Decimal(0)
        for leaf in self.leaves:
            value = self.scores.get(leaf.row, Decimal(0))
            computed += -value if leaf.kind == scoring.DEDUCTION else value
        if computed != self.stated_total:
            self.warn(
                self.total_row,
                self.columns["score"],
                f"合计得分{format_plain(self.stated_total)}与各行得分合计{format_plain(computed)}不一致；"
                "合计不导入，将按各行得分重新计算",
            )
        if designed:
            self.check_rate(self.total_row, self.stated_total, designed)

    def result(self, indicators: list[dict[str, Any]]) -> ImportedSystem:
        judgments = {leaf.code: self.judgments[leaf.row] for leaf in self.leaves if leaf.row in self.judgments}
        system = {
            "name": self.title,
            "source": f"导入自工作表“{self.name}”",
            "indicators": indicators,
        }
        return ImportedSystem(
            system=system,
            judgments=judgments,
            stated_total=self.stated_total,
            warnings=list(self.warnings),
            sheet=self.name,
            header_row=self.header_row,
        )


def read_indicator_workbook(data: bytes, *, with_scores: bool = True) -> ImportedSystem:
    """Read the first sheet with a recognisable header row; raise :class:`IndicatorImportError` listing every problem.

    ``with_scores=False`` is for importing only the system: score problems
    become warnings and those scores are left out of ``judgments``.
    """
    workbook = open_workbook(data, IndicatorImportError)
    parser = None
    first_filled = None
    for sheet in workbook.worksheets:
        candidate = _SheetParser(sheet, with_scores)
        if candidate.empty:
            continue
        first_filled = first_filled or candidate.name
        if candidate.find_header():
            parser = candidate
            break
    if parser is None:
        if first_filled is None:
            raise IndicatorImportError([Problem(workbook.worksheets[0].title, None, None, "工作表为空")])
        raise IndicatorImportError([Problem(first_filled, None, None, NO_HEADER)])
    if not parser.check_columns():
        raise IndicatorImportError(parser.problems)
    parser.fill_merged_cells()
    parser.read_rows()
    indicators = parser.finish()
    if indicators is None or parser.validate(indicators) is None:
        raise IndicatorImportError(parser.problems)
    parser.check_totals()
    return parser.result(indicators)
