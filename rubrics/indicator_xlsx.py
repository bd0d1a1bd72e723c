"""An indicator system (指标体系) as an XLSX table like 附件1, read and written.

Reading (:func:`read_indicator_workbook`) takes the table a firm or a bureau
already keeps in Excel: one row per third-level indicator, first- and
second-level cells merged down, left blank below their label or repeated,
weights in a 权重/分值 column or only inside the labels at any level
(``A部门决策（15）``, ``A部门\\n决策\\n(10分)``, ``过   程（30分）``, ``【2】``).
It is forgiving about layout (the header, one or two rows in any common
wording, is looked for in the first 15 rows of every sheet, see
:mod:`rubrics.indicator_columns`; a table without a second level; a
first-level label may reappear in a second block; codes are generated when the
labels carry none; rows below the table are checked or skipped) and strict
about content: every problem names the sheet, the row and the column, and
nothing is returned unless the whole table reads cleanly. How the sheet was
understood (columns, skipped rows, weights per level) travels with the result
and with the error, and the caller may name the sheet and correct the columns.
A self-evaluation form's blocks around the table (:mod:`rubrics.selfeval_form`)
are read too: its funds block becomes the first-level 预算执行率.

Errors (raise :class:`IndicatorImportError`, nothing returned):

* the file is empty, not a zip, a Word document renamed, or unreadable;
* every sheet is empty (工作表为空); no sheet has a header row; the chosen
  sheet lacks the 一级指标 or 三级指标 column, or has no 权重/分值 column
  while no label states a weight;
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
from evalsite.lib.sheet_problems import SheetImportError, SheetProblem, column_letter
from evalsite.lib.text_limits import too_long
from rubrics import indicator_sheet, scoring, selfeval_form
from rubrics.indicator_columns import (
    HeaderGuess,
    LevelWeights,
    SkippedRow,
    Understanding,
    column_uses,
    corrected,
    find_header,
    header_key,
    header_label,
    is_header_of,
    mapping_problems,
)
from rubrics.limits import INDICATOR, JUDGMENT, SYSTEM_NAME, weight_problem
from rubrics.points import points_from_texts

# ---------------------------------------------------------------------------
# Problems


class IndicatorImportError(SheetImportError):
    """Every problem of a workbook that could not be imported.

    ``understanding`` is how the reader understood the sheet when it found a
    header (the problems page shows it, so a wrong column guess can be corrected).
    """

    def __init__(self, problems: list[SheetProblem], understanding: Understanding | None = None):
        super().__init__(problems)
        self.understanding = understanding


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
    warnings: list[SheetProblem] = field(default_factory=list)
    sheet: str = ""
    header_row: int = 0
    understanding: Understanding | None = None
    form: selfeval_form.SelfEvalForm | None = None  # a self-evaluation form's blocks around the table
    execution_code: str = ""  # the leaf the form's funds block scores (预算执行率), when there is a form

    def engine_judgments(self, with_scores: bool = True) -> dict[str, Any]:
        """The judgments to score the tree with before anything is saved (the preview, the checks)."""
        judgments = dict(self.judgments) if with_scores else {}
        if self.form is not None and self.execution_code:
            judgments[self.execution_code] = selfeval_form.execution_judgment(self.form.execution_rate)
        return judgments


# ---------------------------------------------------------------------------
# Header recognition (rubrics.indicator_columns) and the rows that are not indicators

REQUIRED_COLUMNS = (("level1", "一级指标"), ("level3", "三级指标"))
NO_HEADER = "找不到表头行：应包含“三级指标”和“权重/分值”列"
NO_WEIGHT_COLUMN = "缺少“权重/分值”列"
TEXT_KEYS = ("explanation", "basis", "target", "criteria", "process", "actual", "deviation")
TOTAL_LABELS = ("合计", "总计", "总分", "合计得分", "总得分", "得分合计")
#: Rows under the table: notes, signatures, dates. They end the table and are never indicators.
FOOTER = re.compile(
    r"^(?:备注|注|说明|填表人|填报人|填报单位|审核人|复核人|负责人|单位负责人|部门负责人|日期|填表日期|填报日期|"
    r"联系人|联系电话|制表人|制表|其他需要说明的问题)(?:[:：0-9０-９.．、（(]|$)"
)
_header_label = header_label
_header_key = header_key


# ---------------------------------------------------------------------------
# Labels: code, name and weight

_CODE_PATTERNS = {
    1: r"[A-ZＡ-Ｚ]",
    2: r"[A-ZＡ-Ｚ][0-9０-９]{1,2}",
    3: r"[A-ZＡ-Ｚ][0-9０-９]{1,3}",
}
_ITEM_PREFIX = re.compile(r"^指标[0-9０-９]+\s*[:：.、]\s*")
#: Numbered codes a table may carry instead of A11: ``1.1.1``, ``一（一）1``, ``（一）1.``; the product generates its own.
_NUMBERED_CODE = re.compile(
    r"^(?:[0-9０-９]+(?:[.．][0-9０-９]+)+|[一二三四五六七八九十]+[（(][一二三四五六七八九十]+[)）][0-9０-９]*)"
    r"(?![0-9０-９%％])\s*[、.．:：]?\s*"
)
_SEPARATORS = " \t\n\u3000、.．:：-—_"
_WEIGHT_NUMBER = r"([+\-−±]?\s*[0-9０-９]+(?:\s*[.．]\s*[0-9０-９]+)?)"
_LABEL_WEIGHT = re.compile(
    r"\s*[（(【\[［〔]\s*(?:权重|分值|满分|权重分)?\s*[:：]?\s*" + _WEIGHT_NUMBER + r"\s*分?\s*[)）】\]］〕]\s*[:：]?\s*$"
    r"|(?:\s+|[:：]\s*)(?:权重|分值|满分)?\s*" + _WEIGHT_NUMBER + r"\s*分\s*$"
    r"|(?<=[^\s0-9０-９.．])(?:权重|分值|满分)?" + _WEIGHT_NUMBER + r"\s*分\s*$"
)


@dataclass(frozen=True)
class Label:
    code: str | None
    name: str
    weight: Decimal | None


def parse_label(raw: Any, level: int, *, bare_weight: bool = False) -> Label:
    """``"A部门决策（15）"`` → code A, name 部门决策, weight 15; code and weight may be absent.

    A third-level label gives a weight only when written with 分 (``A11 xx（2分）``),
    since its weight belongs in the 权重 column and a name may end in a number;
    ``bare_weight`` (a table without a 权重 column) also takes ``【2】``.
    Line breaks, padding spaces and numbering (``一、`` ``（一）`` ``1.1.1``)
    are left out of the name.
    """
    text = str(raw).replace("\r", "\n").strip()
    text = _NUMBERED_CODE.sub("", text)
    text = _ITEM_PREFIX.sub("", strip_numbering(text))
    code = None
    match = re.match(_CODE_PATTERNS[level] + r"(?![A-Za-z0-9Ａ-Ｚａ-ｚ０-９])", text)
    if match:
        code = match.group(0).translate(FULL_WIDTH)
        text = text[match.end() :].lstrip(_SEPARATORS)
    weight = None
    match = _LABEL_WEIGHT.search(text)
    if match and (level < 3 or bare_weight or match.group(0).rstrip(" )）】]］〕:：").endswith("分")):
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
    extra: dict[str, Any] = field(default_factory=dict)  # a leaf's rule and binding when not typed in the table

    @property
    def shown(self) -> str:
        """The label as the messages print it: ``A部门决策（15）``."""
        return f"{self.label.code or ''}{self.label.name}（{format_plain(self.stated_weight)}）"


class _SheetParser:
    def __init__(self, sheet, with_scores: bool):
        self.sheet = sheet
        self.name = sheet.title
        self.with_scores = with_scores
        self.problems: list[SheetProblem] = []
        self.warnings: list[SheetProblem] = []
        self.values: list[list[Any]] = []
        self.formats: list[list[str]] = []
        for row in sheet.iter_rows():
            self.values.append([cell.value for cell in row])
            self.formats.append([cell.number_format or "General" for cell in row])
        while self.values and all(is_blank(v) for v in self.values[-1]):
            self.values.pop()
            self.formats.pop()
        self.merged = list(sheet.merged_cells.ranges)
        self.guess: HeaderGuess | None = None
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
        self.skipped: list[SkippedRow] = []
        self.levels: list[LevelWeights] = []
        self.form: selfeval_form.SelfEvalForm | None = None
        self.execution: _Node | None = None
        self.sheets: list[str] = []
        self.title_row: int | None = None

    # -- access

    @property
    def empty(self) -> bool:
        return not self.values

    def problem(self, row: int | None, column: int | None, message: str) -> None:
        self.problems.append(SheetProblem(self.name, row, column, message))

    def warn(self, row: int | None, column: int | None, message: str) -> None:
        self.warnings.append(SheetProblem(self.name, row, column, message))

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

    def row_text(self, row: int) -> str:
        """A row's non-blank cells, for the list of skipped rows."""
        texts = [squeeze(cell_text(v)) for v in self.values[row - 1] if not is_blank(v)]
        text = " | ".join(texts)
        return text if len(text) <= 60 else text[:59] + "…"

    def skip(self, row: int, reason: str) -> None:
        if any(not is_blank(v) for v in self.values[row - 1]):
            self.skipped.append(SkippedRow(row, reason, self.row_text(row)))

    # -- header

    def find_header(self, mapping: dict[int, str] | None = None) -> bool:
        """Find the header (one or two rows in the first 15) and map its columns, or take the user's mapping."""
        guess = find_header(self.values, self.merged)
        if guess is None:
            return False
        if mapping is not None:
            guess = corrected(guess, mapping)
        self.guess = guess
        self.header_row = guess.first_row
        self.data_start = guess.data_start
        self.columns = dict(guess.columns)
        self.title = self._title_above(guess.first_row)
        return True

    def _title_above(self, row: int) -> str:
        for above in range(row - 1, 0, -1):
            cells = [cell_text(v) for v in self.values[above - 1] if not is_blank(v)]
            if len(cells) == 1 and not cells[0].startswith("单位"):
                self.title_row = above
                return squeeze(cells[0])
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
        if not missing and "weight" not in self.columns and not self._label_weights():
            self.problem(self.header_row, None, NO_WEIGHT_COLUMN)
            return False
        return not missing

    def _label_weights(self) -> bool:
        """Some third-level label states its weight (a table without a 权重 column)."""
        column = self.columns["level3"] - 1
        return any(
            column < len(values) and not is_blank(values[column]) and parse_label(values[column], 3, bare_weight=True).weight is not None
            for values in self.values[self.data_start - 1 :]
        )

    def read_form(self) -> None:
        """A self-evaluation form's blocks above the table (funds, 年度总体目标, names)."""
        form, problems, warnings = selfeval_form.read_form(self.values, self.header_row, self.name)
        for row, column, message in problems:
            self.problem(row, column, message)
        for row, column, message in warnings:
            self.warn(row, column, message)
        self.form = form

    def skip_above(self) -> None:
        form_rows = set(self.form.rows) if self.form else set()
        for row in range(1, self.data_start):
            if self.guess and self.guess.first_row <= row <= self.guess.last_row:
                self.skip(row, "表头")
            elif row in form_rows:
                self.skip(row, f"{self.form.name}的预算执行、年度总体目标等栏目（单独读取）")
            else:
                self.skip(row, "表头上方的标题或说明")

    def fill_merged_cells(self) -> None:
        """Give merged cells their meaning below the header.

        A text cell merged over several rows (one 评价依据 for a block) belongs
        to each of them. A first-level label merged across the 二级指标 column
        (``加减分项`` spanning both) is also its own single second level.
        """
        level1, level2 = self.columns["level1"], self.columns.get("level2")
        ranges = self.merged
        for merged in ranges:
            top_row = merged.min_row
            if (
                level2 is not None
                and self.data_start <= top_row <= len(self.values)
                and merged.min_col == level1
                and merged.max_col >= level2 > level1
                and not self._footer(top_row)
                and not self._total_label(top_row)
            ):
                self.values[top_row - 1][level2 - 1] = self.values[top_row - 1][level1 - 1]
        text_columns = {self.columns[key] for key in TEXT_KEYS if key in self.columns}
        fill_merged_down(self.values, ranges, text_columns, first_row=self.data_start, formats=self.formats)

    # -- rows

    def _first_text(self, row: int) -> str:
        """The row's first non-blank cell left of the numbers (where a 合计 or a 备注 is written)."""
        for value in self.values[row - 1]:
            if not is_blank(value):
                return _header_label(value) if isinstance(value, str) else ""
        return ""

    def _total_label(self, row: int) -> bool:
        """A 合计/总计/总分 row (its label in the first cell or a label column): it ends the table."""
        labels = [self._first_text(row)]
        labels += [_header_label(self.value(row, key)) for key in ("seq", "level1", "level2")]
        if any(label in TOTAL_LABELS or label.startswith(("合计", "总计")) for label in labels if label):
            return True
        return _header_label(self.value(row, "level3")) in TOTAL_LABELS

    def _footer(self, row: int) -> bool:
        """A note, signature or date under the table (备注, 注：1., 填表人, 日期…)."""
        first = next((v for v in self.values[row - 1] if not is_blank(v)), None)
        return isinstance(first, str) and bool(FOOTER.match(SPACES.sub("", first)))

    def _repeated_header(self, row: int) -> bool:
        """The header again after a page break (exact header words, not a name that starts with one)."""
        raw3 = self.value(row, "level3")
        if is_blank(raw3):
            return False
        header3 = self.guess.headers.get(self.columns["level3"], "") if self.guess else ""
        return is_header_of(raw3, "level3") or _header_label(raw3) == _header_label(header3.split(" / ")[-1])

    def _has_content(self, row: int) -> bool:
        keys = ("weight", "score", *TEXT_KEYS)
        return any(not is_blank(self.value(row, key)) for key in keys)

    def end_of_table(self, row: int, reason: str) -> None:
        self.skip(row, reason)
        for below in range(row + 1, len(self.values) + 1):
            if self.form is not None and below in self.form.rows:
                self.skip(below, f"{self.form.name}的说明（单独读取）")
            else:
                self.skip(below, "表格下方的备注、说明或签字")

    def read_rows(self) -> None:
        current1: _Node | None = None
        current2: _Node | None = None
        two_level = bool(self.guess and self.guess.two_level)
        for row in range(self.data_start, len(self.values) + 1):
            if all(is_blank(v) for v in self.values[row - 1]):
                continue
            if self._total_label(row):
                self.read_total(row)
                self.read_below(row + 1)
                self.end_of_table(row, "合计行（只用于核对，不导入）")
                break
            if self._footer(row):
                self.read_below(row)
                self.end_of_table(row, "表格下方的备注、说明或签字")
                break
            if self._repeated_header(row):
                self.skip(row, "重复的表头")
                continue
            raw1, raw2, raw3 = (self.value(row, key) for key in ("level1", "level2", "level3"))
            new_label = False
            if not is_blank(raw1):
                node = self.first_level_node(raw1, row)
                if node is not None:
                    if node is not current1:
                        current2 = None
                    current1 = node
                    new_label = True
                    if two_level:
                        current2 = self.own_second_level(node, row)
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
                self.problem(row, self.columns.get("level2", self.columns["level1"]), "缺少二级指标")
                continue
            self.read_leaf(row, current1, current2, raw3)

    def own_second_level(self, first: _Node, row: int) -> _Node:
        """A two-level table: the first level is also its own single second level."""
        if first.children:
            return first.children[0]
        node = _Node(2, Label(None, first.label.name, None), row, first.column, kind=first.kind)
        first.children.append(node)
        return node

    def read_below(self, row: int) -> None:
        if self.form is None:
            return
        note, rows = selfeval_form.read_below(self.values, row)
        self.form.note = note
        self.form.rows.extend(rows)

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
        bare = "weight" not in self.columns
        label = parse_label(raw, 3, bare_weight=bare)
        if not label.name:
            self.problem(row, column, f"三级指标“{shown(raw)}”缺少名称" if label.code else "缺少三级指标名称")
            return
        leaf = _Node(3, label, row, column)
        weight_column = self.columns.get("weight", column)
        weight = self.weight_cell(row)
        if weight is None and is_blank(self.value(row, "weight")):
            weight = label.weight
        if weight is None:
            if is_blank(self.value(row, "weight")):
                self.problem(row, weight_column, "缺少权重（表中没有“权重/分值”列，名称中也没有写明，如“（2分）”）" if bare else "缺少权重")
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
        self.add_execution()
        for first in self.first_level:
            for second in first.children:
                self.settle_weight(second)
            self.settle_weight(first)
        normal = [n.weight for n in self.first_level if n.kind == scoring.NORMAL]
        if self.first_level and None not in normal:  # unknown when a weight below it could not be read
            total = sum(normal, Decimal(0))
            if total != scoring.FULL_MARKS:
                extra = ""
                if self.execution is not None:
                    extra = f"（含预算执行块的分值{format_plain(self.execution.weight)}）"
                self.problem(
                    self.header_row, self.columns.get("weight"), f"一级指标权重合计为{format_plain(total)}{extra}，应为100"
                )
        self.levels = self.level_weights()
        self.assign_codes()
        self.check_duplicates()
        self.fits(self.title_row, 1, "标题", self.title, SYSTEM_NAME)
        if self.problems:
            return None
        return [self.as_dict(node) for node in self.first_level]

    def add_execution(self) -> None:
        """A form's funds block is the first-level 预算执行率 the table leaves out: put it first in the tree."""
        form = self.form
        if form is None or form.weight is None or not form.funds or self.problems:
            return
        data = selfeval_form.execution_indicator(form.kind, form.weight)
        row = form.rows[1] if len(form.rows) > 1 else self.header_row
        first = _Node(1, Label(None, data["name"], None), row, 1, stated_weight=form.weight, stated_row=row)
        second_data = data["children"][0]
        second = _Node(2, Label(None, second_data["name"], None), row, 1, stated_weight=form.weight, stated_row=row)
        leaf_data = second_data["children"][0]
        leaf = _Node(3, Label(None, leaf_data["name"], None), row, 1, weight=form.weight)
        leaf.texts = {key: leaf_data.get(key) or "" for key in indicator_sheet.TEXT_KEYS}
        leaf.extra = {"rule": leaf_data["rule"], "binding": leaf_data.get("binding")}
        second.children.append(leaf)
        first.children.append(second)
        self.first_level.insert(0, first)
        self.execution = leaf

    def level_weights(self) -> list[LevelWeights]:
        """Per level: how many, where the weights were found, and whether they add up."""
        firsts = self.first_level
        seconds = [second for first in firsts for second in first.children]
        leaves = [leaf for second in seconds for leaf in second.children]
        two_level = bool(self.guess and self.guess.two_level)

        def source(nodes: list[_Node], level: int) -> str:
            own = [n for n in nodes if n is not self.execution and n not in (self.first_level[:1] if self.execution else [])]
            if level == 3:
                where = "名称中标注的分值" if "weight" not in self.columns else f"“权重/分值”列（{column_letter(self.columns['weight'])}列）"
            elif two_level and level == 2:
                return "无二级指标列：每个一级指标下设同名的二级指标，权重为其下级之和"
            else:
                stated = [n for n in own if n.stated_weight is not None and n.kind == scoring.NORMAL]
                normal = [n for n in own if n.kind == scoring.NORMAL]
                if not stated:
                    where = "未标注，按下级之和计算"
                elif len(stated) == len(normal):
                    where = "标注在名称中（或标题行的权重列）"
                else:
                    where = f"{len(stated)}项标注在名称中，其余按下级之和计算"
            if self.execution is not None and level == 1:
                where += f"；预算执行率{format_plain(self.form.weight)}分取自预算执行块的分值"
            return where

        def sums_agree(nodes: list[_Node]) -> tuple[bool, str]:
            wrong = []
            for node in nodes:
                if node.kind != scoring.NORMAL or node.stated_weight is None:
                    continue
                weights = [child.weight for child in node.children]
                if None in weights:
                    continue
                total = sum(weights, Decimal(0))
                if total != node.stated_weight:
                    wrong.append(f"{node.label.name}标注{format_plain(node.stated_weight)}分，下级合计{format_plain(total)}分")
            return (not wrong, "；".join(wrong) if wrong else "每项等于其下级权重之和")

        normal_first = [n.weight for n in firsts if n.kind == scoring.NORMAL]
        first_total = sum(normal_first, Decimal(0)) if None not in normal_first else None
        first_ok, first_note = sums_agree(firsts)
        first_ok = first_ok and first_total == scoring.FULL_MARKS
        first_note = f"合计{format_plain(first_total)}分" + ("" if first_total == scoring.FULL_MARKS else "，应为100分") + (
            "；" + first_note if first_note != "每项等于其下级权重之和" else "；每项等于其下级权重之和"
        )
        second_ok, second_note = sums_agree(seconds)
        leaf_weights = [leaf.weight for leaf in leaves if leaf.kind == scoring.NORMAL]
        missing = sum(1 for leaf in leaves if leaf.weight is None)
        leaf_total = sum((w for w in leaf_weights if w is not None), Decimal(0))
        adjustments = [leaf for leaf in leaves if leaf.kind in (scoring.BONUS, scoring.DEDUCTION)]
        leaf_note = f"合计{format_plain(leaf_total)}分"
        if adjustments:
            leaf_note += f"（另有{len(adjustments)}项加减分，不计入100分）"
        if missing:
            leaf_note += f"；{missing}项没有读到权重"
        return [
            LevelWeights(1, len(firsts), source(firsts, 1), first_total, first_ok, first_note),
            LevelWeights(2, len(seconds), source(seconds, 2), None, second_ok, second_note),
            LevelWeights(3, len(leaves), source(leaves, 3), leaf_total, missing == 0, leaf_note),
        ]

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
        data.update(node.extra)
        return data

    def validate(self, indicators: list[dict[str, Any]]) -> list[scoring.IndicatorSpec] | None:
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
            row, column = places.get(code, (self.header_row, self.columns.get("weight")))
            self.problem(row, column, message)
        return None if messages else tree

    def execution_score(self, tree: list[scoring.IndicatorSpec]) -> Decimal:
        """The engine's score of the form's 预算执行率 from the funds block's own figures (0 when it cannot say)."""
        if self.execution is None or self.form is None:
            return Decimal(0)
        leaf = next(node for node, _, _ in scoring._walk_indicators(tree) if node.code == self.execution.code)
        judgment = scoring.judgment_from_dict(selfeval_form.execution_judgment(self.form.execution_rate), leaf.code)
        result = scoring.score_indicator(leaf, judgment)
        score = result.score or Decimal(0)
        line = self.form.funds[0]
        row = self.form.rows[1] if len(self.form.rows) > 1 else None
        stated_rate = line.stated_percent
        if stated_rate is not None and line.rate is not None and round_half_up(stated_rate) != line.rate:
            self.warn(row, None, f"预算执行块的执行率{line.stated_rate}与全年执行数÷全年预算数（{line.rate}%）不一致；按计算的执行率评分")
        if self.form.stated_score is not None and self.form.stated_score != score:
            self.warn(
                row, None,
                f"预算执行块的得分{format_plain(self.form.stated_score)}与按执行率计算的{format_plain(score)}不一致；"
                "得分不导入，按执行率计算",
            )
        return score

    def check_totals(self, tree: list[scoring.IndicatorSpec]) -> None:
        scored = {leaf.row for leaf in self.leaves if leaf.row in self.scores}
        if scored and len(scored) < len(self.leaves):
            missing = [leaf.code for leaf in self.leaves if leaf.row not in scored]
            self.warn(None, self.columns.get("score"), f"以下三级指标未填写得分：{'、'.join(missing)}")
        execution = self.execution_score(tree)
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
                self.columns.get("weight"),
                f"合计行权重为{format_plain(stated_weight)}，与各一级指标权重合计{format_plain(designed)}不一致",
            )
        if self.stated_total is None or not scored:
            return
        computed = execution
        for leaf in self.leaves:
            value = self.scores.get(leaf.row, Decimal(0))
            computed += -value if leaf.kind == scoring.DEDUCTION else value
        if computed != self.stated_total:
            rows = "各行得分与预算执行率得分合计" if self.execution is not None else "各行得分合计"
            self.warn(
                self.total_row,
                self.columns["score"],
                f"合计得分{format_plain(self.stated_total)}与{rows}{format_plain(computed)}不一致；"
                "合计不导入，将按各行得分重新计算",
            )
        if designed:
            self.check_rate(self.total_row, self.stated_total, designed)

    def understanding(self) -> Understanding | None:
        if self.guess is None:
            return None
        return Understanding(
            sheet=self.name,
            sheets=list(self.sheets),
            header_first=self.guess.first_row,
            header_last=self.guess.last_row,
            columns=column_uses(self.values, self.guess),
            skipped=sorted(self.skipped, key=lambda skipped: skipped.row),
            levels=list(self.levels),
            two_level=self.guess.two_level,
            corrected=self.guess.corrected,
            form=self.form.name if self.form else "",
        )

    def failed(self) -> IndicatorImportError:
        return IndicatorImportError(self.problems, self.understanding())

    def result(self, indicators: list[dict[str, Any]]) -> ImportedSystem:
        judgments = {leaf.code: self.judgments[leaf.row] for leaf in self.leaves if leaf.row in self.judgments}
        if self.execution is not None and judgments:
            # the form scores its 预算执行率 itself: judged, from the bound rate (nothing typed)
            judgments = {self.execution.code: {"inputs": {}, "process": "", "actual": "", "deviation_reason": ""}, **judgments}
        title = self.title
        if self.form is not None and self.form.title:
            title = self.form.title
        system = {
            "name": title,
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
            understanding=self.understanding(),
            form=self.form,
            execution_code=self.execution.code if self.execution is not None else "",
        )


def read_indicator_workbook(
    data: bytes,
    *,
    with_scores: bool = True,
    sheet: str | None = None,
    columns: dict[int, str] | None = None,
) -> ImportedSystem:
    """Read one sheet's indicator table; raise :class:`IndicatorImportError` listing every problem.

    ``sheet`` names the sheet to read (by default the first with a
    recognisable header; the others are listed in ``understanding.sheets``).
    ``columns`` (column number → key of :data:`rubrics.indicator_columns.KEY_LABELS`,
    ``""`` for "not imported") replaces the reader's guess of what each
    column is. ``with_scores=False`` is for importing only the system: score
    problems become warnings and those scores are left out of ``judgments``.
    A self-evaluation form (:mod:`rubrics.selfeval_form`) is recognised by
    its funds block above the table.
    """
    workbook = open_workbook(data, IndicatorImportError)
    if columns is not None:
        problems = mapping_problems(columns)
        if problems:
            raise IndicatorImportError([SheetProblem(sheet or "", None, None, message) for message in problems])
    parsers: list[_SheetParser] = []
    first_filled = None
    for candidate_sheet in workbook.worksheets:
        candidate = _SheetParser(candidate_sheet, with_scores)
        if candidate.empty:
            continue
        first_filled = first_filled or candidate.name
        if candidate.find_header():
            parsers.append(candidate)
    names = [parser.name for parser in parsers]
    if sheet is not None:
        if sheet not in workbook.sheetnames:
            listed = "、".join(f"“{name}”" for name in workbook.sheetnames)
            raise IndicatorImportError([SheetProblem("", None, None, f"没有名为“{sheet}”的工作表（本文件的工作表：{listed}）")])
        parser = next((p for p in parsers if p.name == sheet), None)
        if parser is None:
            raise IndicatorImportError([SheetProblem(sheet, None, None, NO_HEADER)])
    elif parsers:
        parser = parsers[0]
    elif first_filled is None:
        raise IndicatorImportError([SheetProblem(workbook.worksheets[0].title, None, None, "工作表为空")])
    else:
        raise IndicatorImportError([SheetProblem(first_filled, None, None, NO_HEADER)])
    parser.sheets = names
    if columns is not None:
        parser.find_header(columns)
    if not parser.check_columns():
        raise parser.failed()
    parser.read_form()
    parser.skip_above()
    parser.fill_merged_cells()
    parser.read_rows()
    indicators = parser.finish()
    if indicators is None:
        raise parser.failed()
    tree = parser.validate(indicators)
    if tree is None:
        raise parser.failed()
    parser.check_totals(tree)
    return parser.result(indicators)
