"""The self-evaluation forms (绩效自评表) around their indicator table, written down once.

Seed 001 (甘肃) has two kinds: the department's 部门（单位）整体支出绩效自评表
and one 项目支出绩效自评表 per key project. Above the indicator table each
holds its names (项目名称, 主管部门, 实施单位 on a project's form), the funds
block (lines × 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分) and
年度总体目标 with 预期目标 and 实际完成情况; below it 总分 (only checked),
说明 / 其他需要说明的问题 and the notes. The funds block's 分值 is the
first-level 预算执行率 that the indicator table leaves out: the reader adds it
to the tree as the 自评表 templates define it (``rubrics/systems``), and the
engine scores it as rate × 分值 from the block's own figures, never from the
得分 typed beside them.

The reader (:mod:`rubrics.indicator_xlsx`) calls :func:`read_form` on the rows
above the table and :func:`read_below` on the rows under it; the writers
(``reports.selfeval``, ``reports.project_form``) print these labels. Pure: no
file, no database.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from evalsite.lib.numbers import NumberError, format_plain, round_half_up, to_decimal
from evalsite.lib.sheet_cells import cell_number, cell_text, is_blank, shown
from rubrics import scoring
from rubrics.indicator_columns import header_label

DEPARTMENT = "department"
PROJECT = "project"
FORM_NAMES = {DEPARTMENT: "部门整体支出绩效自评表", PROJECT: "项目支出绩效自评表"}

# The funds block: its columns (key, printed header, the names a file may use) and its lines.
FUNDS_COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("initial", "年初预算数", ("年初预算数", "年初预算")),
    ("adjusted", "全年预算数", ("全年预算数", "调整预算数", "全年预算")),
    ("final", "全年执行数", ("全年执行数", "实际支出数", "执行数", "决算数", "实际执行数")),
    ("weight", "分值", ("分值",)),
    ("rate", "执行率", ("执行率", "预算执行率")),
    ("score", "得分", ("得分",)),
)
#: The funds block's column headers as each form prints them.
DEPARTMENT_FUNDS_HEADERS = ("年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分")
PROJECT_FUNDS_HEADERS = tuple(printed for _key, printed, _names in FUNDS_COLUMNS)
DEPARTMENT_BLOCK = "部门（单位）整体支出（万元）"
PROJECT_BLOCK = "项目资金（万元）"
DEPARTMENT_LINES = ("年度资金总额", "其中：基本支出", "项目支出")
PROJECT_LINES = ("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金")
PROJECT_FIELDS = (("project", "项目名称"), ("supervisor", "主管部门"), ("implementer", "实施单位"))
DEPARTMENT_NAME = "部门（单位）名称"
GOALS = "年度总体目标"
EXPECTED = "预期目标"
OUTCOME = "实际完成情况"
OUTCOME_NAMES = ("实际完成情况", "目标实际完成情况", "年度总体目标完成情况", "实际完成")
#: Labels of the block itself (the merged cell on its left), as compared: not a line's name.
BLOCK_LABELS = ("部门整体支出", "项目资金", "部门名称", "单位名称", "部门（单位）名称")
TOTAL = "总分"
PROJECT_NOTE = "说明"
DEPARTMENT_NOTE = "其他需要说明的问题"
NOTE_PROMPT = "请在此处简要说明中央和省委巡视、市委巡察、各级审计和财政监督中发现的问题及其所涉及的金额，如没有填无。"
PROJECT_NOTES = (
    "注：1. 其他资金包括中央补助、各级财政资金共同投入到同一项目的自有资金、社会资金等。",
    "2. 绩效自评采取打分评价形式，满分为100分，各部门可根据指标的重要程度自主确定各项三级指标的权重分值，"
    "各项指标得分加总得出该项目绩效自评的总分，各项指标得分最高不能超过该指标分值上限，原则上一级指标分值统一设置为："
    "产出指标50分、效益指标30分、满意度指标10分、预算资金执行率10分。如有特殊情况，除预算资金执行率外，"
    "其他指标权重可作适当调整，但总分应为100分。",
    "3. 定性指标根据指标完成情况分为：全部或基本达成预期指标、部分达成预期指标并具有一定效果、未达成预期指标且效果较差三档，"
    "分别按照100%-80%（含）、80%-60%（含）、60%-0%合理填写完成比例。",
)
#: A project form's first levels as its note sets them (the funds block's 预算资金执行率 included).
PROJECT_FIRST_LEVELS: tuple[tuple[str, Decimal], ...] = (
    ("产出指标", Decimal(50)),
    ("效益指标", Decimal(30)),
    ("满意度指标", Decimal(10)),
    ("预算资金执行率", Decimal(10)),
)
DEFAULT_EXECUTION_WEIGHT = Decimal(10)
#: The 自评表 templates whose first indicator is the funds block's 预算执行率.
EXECUTION_TEMPLATES = {DEPARTMENT: "self-eval-management-capacity", PROJECT: "self-eval-output-benefit"}
SYSTEMS_DIR = Path(__file__).resolve().parent / "systems"


@dataclass
class FundsLine:
    label: str
    initial: Decimal | None = None
    adjusted: Decimal | None = None
    final: Decimal | None = None
    stated_rate: str = ""

    @property
    def rate(self) -> Decimal | None:
        """全年执行数 / 全年预算数 × 100, rounded once (half up) to two decimals; ``None`` without both."""
        if self.final is None or not self.adjusted:
            return None
        fraction = Fraction(self.final) * 100 / Fraction(self.adjusted)
        return round_half_up(Decimal(fraction.numerator) / Decimal(fraction.denominator))

    @property
    def stated_percent(self) -> Decimal | None:
        """The 执行率 as typed, in percent (``100%``, ``1`` for a cell formatted as a percentage); ``None`` when unreadable."""
        text = self.stated_rate.strip().replace("％", "%")
        try:
            if text.endswith("%"):
                return to_decimal(text[:-1])
            number = to_decimal(text)
        except NumberError:
            return None
        return number * 100 if number <= 2 else number


@dataclass
class SelfEvalForm:
    """What a self-evaluation form says besides its indicator rows."""

    kind: str
    title: str = ""
    project: str = ""
    supervisor: str = ""
    implementer: str = ""
    funds: list[FundsLine] = field(default_factory=list)
    weight: Decimal | None = None  # the funds block's 分值: the first-level 预算执行率
    stated_score: Decimal | None = None  # its 得分 as typed (checked, never used)
    goals: str = ""
    outcome: str = ""
    note: str = ""
    rows: list[int] = field(default_factory=list)  # the rows the blocks take (not indicators)

    @property
    def name(self) -> str:
        return FORM_NAMES[self.kind]

    @property
    def execution_rate(self) -> Decimal | None:
        return self.funds[0].rate if self.funds else None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("rows")
        for key in ("weight", "stated_score"):
            data[key] = None if data[key] is None else format_plain(data[key])
        data["funds"] = [
            {**line, **{k: None if line[k] is None else format_plain(line[k]) for k in ("initial", "adjusted", "final")}}
            for line in data["funds"]
        ]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SelfEvalForm:
        def number(value):
            return None if value in (None, "") else to_decimal(value)

        funds = [
            FundsLine(line["label"], number(line["initial"]), number(line["adjusted"]), number(line["final"]),
                      line.get("stated_rate", ""))
            for line in data.get("funds") or []
        ]
        return cls(
            kind=data["kind"],
            title=data.get("title", ""),
            project=data.get("project", ""),
            supervisor=data.get("supervisor", ""),
            implementer=data.get("implementer", ""),
            funds=funds,
            weight=number(data.get("weight")),
            stated_score=number(data.get("stated_score")),
            goals=data.get("goals", ""),
            outcome=data.get("outcome", ""),
            note=data.get("note", ""),
        )


# ---------------------------------------------------------------------------
# Reading the blocks


def _label(value: Any) -> str:
    return header_label(value)


def _funds_key(value: Any) -> str | None:
    label = _label(value)
    for key, _printed, names in FUNDS_COLUMNS:
        if any(label.startswith(name) for name in names):
            return key
    return None


def _cells(values: Sequence[Sequence[Any]], row: int) -> list[tuple[int, Any]]:
    return [(column, value) for column, value in enumerate(values[row - 1], start=1) if not is_blank(value)]


def _text(value: Any) -> str:
    return cell_text(value)


class _BlockReader:
    def __init__(self, values: Sequence[Sequence[Any]], last_row: int, sheet: str):
        self.values = values
        self.last = last_row  # the row above the indicator table's header
        self.sheet = sheet
        self.problems: list[tuple[int, int | None, str]] = []
        self.warnings: list[tuple[int, int | None, str]] = []

    def funds_header(self) -> tuple[int, dict[str, int]] | None:
        for row in range(1, self.last + 1):
            keys: dict[str, int] = {}
            for column, value in _cells(self.values, row):
                key = _funds_key(value)
                if key and key not in keys:
                    keys[key] = column
            if {"initial", "adjusted"} <= set(keys) and keys.keys() & {"weight", "score", "rate"}:
                return row, keys
        return None

    def number(self, row: int, column: int | None, what: str) -> Decimal | None:
        if column is None or column - 1 >= len(self.values[row - 1]):
            return None
        raw = self.values[row - 1][column - 1]
        try:
            return cell_number(raw, unit="万元")
        except NumberError:
            self.problems.append((row, column, f"{what}“{shown(raw)}”不是数字"))
            return None

    def funds(self, form: SelfEvalForm, header: int, keys: dict[str, int]) -> int:
        """The lines under the funds header; the row after the last one."""
        first_money = min(keys[k] for k in ("initial", "adjusted", "final") if k in keys)
        row = header + 1
        while row <= self.last:
            cells = _cells(self.values, row)
            if any(_label(v) in (GOALS, EXPECTED, *OUTCOME_NAMES) for _, v in cells):
                break
            labels = [_text(v) for c, v in cells if c < first_money and _label(v) not in BLOCK_LABELS]
            if not labels and not any(c >= first_money for c, _ in cells):
                row += 1
                continue
            line = FundsLine(
                labels[-1] if labels else "",
                self.number(row, keys.get("initial"), "年初预算数"),
                self.number(row, keys.get("adjusted"), "全年预算数"),
                self.number(row, keys.get("final"), "全年执行数"),
                self.text(row, keys.get("rate")),
            )
            if not form.funds:
                form.weight = self.number(row, keys.get("weight"), "分值")
                form.stated_score = self.number(row, keys.get("score"), "得分")
            form.funds.append(line)
            form.rows.append(row)
            row += 1
        return row

    def text(self, row: int, column: int | None) -> str:
        if column is None or column - 1 >= len(self.values[row - 1]):
            return ""
        return _text(self.values[row - 1][column - 1])

    def goals(self, form: SelfEvalForm, start: int) -> None:
        for row in range(start, self.last + 1):
            cells = _cells(self.values, row)
            expected = next((c for c, v in cells if _label(v) == EXPECTED), None)
            if expected is None:
                continue
            outcome = next((c for c, v in cells if _label(v) in OUTCOME_NAMES), None)
            form.rows.append(row)
            for below in range(row + 1, self.last + 1):
                found = dict(_cells(self.values, below))
                if not found:
                    continue
                form.rows.append(below)
                form.goals = _text(found.get(expected, ""))
                if outcome is not None:
                    form.outcome = _text(found.get(outcome, ""))
                break
            return

    def names(self, form: SelfEvalForm) -> None:
        for row in range(1, self.last + 1):
            cells = _cells(self.values, row)
            for index, (_column, value) in enumerate(cells):
                label = _label(value)
                for key, printed in PROJECT_FIELDS:
                    if label == printed and index + 1 < len(cells):
                        setattr(form, key, _text(cells[index + 1][1]))
                        form.rows.append(row)

    def title(self, form: SelfEvalForm) -> None:
        for row in range(1, self.last + 1):
            cells = _cells(self.values, row)
            if len(cells) == 1 and "自评表" in _text(cells[0][1]):
                form.title = _text(cells[0][1])
                form.rows.append(row)
                return


def read_form(values: Sequence[Sequence[Any]], header_row: int, sheet: str = "") -> tuple[SelfEvalForm | None, list, list]:
    """The form blocks above an indicator table whose header starts at ``header_row``.

    Returns the form (``None`` when there is no funds block: a plain table),
    and the problems and warnings as ``(row, column, message)``.
    """
    reader = _BlockReader(values, header_row - 1, sheet)
    found = reader.funds_header()
    if found is None:
        return None, [], []
    header, keys = found
    form = SelfEvalForm(kind=DEPARTMENT)
    form.rows.append(header)
    after = reader.funds(form, header, keys)
    reader.names(form)
    reader.title(form)
    reader.goals(form, after)
    labels = {_label(line.label) for line in form.funds}
    if form.project or any("当年财政拨款" in label for label in labels):
        form.kind = PROJECT
    if not form.funds:
        reader.problems.append((header, None, "预算执行块下没有资金行（年度资金总额）"))
    elif form.weight is None:
        form.weight = DEFAULT_EXECUTION_WEIGHT
        reader.warnings.append(
            (form.rows[1], keys.get("weight"), f"预算执行块没有填写分值，按{format_plain(DEFAULT_EXECUTION_WEIGHT)}分计")
        )
    elif form.weight <= 0:
        reader.problems.append((form.rows[1], keys.get("weight"), f"预算执行的分值必须大于0（现为{format_plain(form.weight)}）"))
    if form.funds and form.execution_rate is None:
        reader.problems.append(
            (form.rows[1], keys.get("final"), "年度资金总额缺少全年预算数或全年执行数，无法计算预算执行率")
        )
    return form, reader.problems, reader.warnings


def read_below(values: Sequence[Sequence[Any]], start: int) -> tuple[str, list[int]]:
    """说明 / 其他需要说明的问题 in the rows from ``start``: its text, and the rows it takes."""
    for row in range(start, len(values) + 1):
        cells = _cells(values, row)
        if not cells:
            continue
        first = _text(cells[0][1])
        label = _label(first)
        if label == PROJECT_NOTE or label == DEPARTMENT_NOTE:
            rest = [_text(value) for _, value in cells[1:]]
            return "\n".join(t for t in rest if t), [row]
        if label.startswith(DEPARTMENT_NOTE):
            text = first.split("：", 1)[1] if "：" in first else first.split(":", 1)[-1]
            rest = [text.strip(), *(_text(value) for _, value in cells[1:])]
            return "\n".join(t for t in rest if t), [row]
    return "", []


# ---------------------------------------------------------------------------
# The first-level 预算执行率


@functools.cache
def _execution_json(kind: str) -> str:
    document = json.loads((SYSTEMS_DIR / f"{EXECUTION_TEMPLATES[kind]}.json").read_text(encoding="utf-8"))
    return json.dumps(document["indicators"][0], ensure_ascii=False)


def execution_indicator(kind: str, weight: Decimal) -> dict[str, Any]:
    """The first-level 预算执行率 of the form's template (a fresh copy), weighted ``weight`` at every level.

    The department's leaf stays bound to the evaluation's 预算执行率; a
    project's leaf takes the rate of its own funds block (:func:`execution_judgment`).
    """
    node = json.loads(_execution_json(kind))
    for level in (node, node["children"][0], node["children"][0]["children"][0]):
        level["weight"] = format_plain(weight)
    node["children"] = node["children"][:1]
    node["children"][0]["children"] = node["children"][0]["children"][:1]
    if kind == PROJECT:
        node["children"][0]["children"][0]["binding"] = None
    return copy.deepcopy(node)


def execution_leaf(node: dict[str, Any]) -> dict[str, Any]:
    return node["children"][0]["children"][0]


def execution_judgment(rate: Decimal | None) -> dict[str, Any]:
    """The judgment of the 预算执行率 leaf: the rate bound from the funds block (RULES.md ``bound``)."""
    return {"inputs": {}, "bound": {"label": "预算执行率", "value": None if rate is None else format_plain(rate)}}


def score_project(tree: list[dict[str, Any]], judgments: dict[str, Any], rate: Decimal | None, execution_code: str):
    """A project form's tree scored by the engine, its 预算资金执行率 leaf fed by the rate of the form's funds."""
    entries = dict(judgments)
    if execution_code:
        entries[execution_code] = execution_judgment(rate)
    parsed = scoring.indicators_from_dicts(tree)
    return scoring.score(parsed, {code: scoring.judgment_from_dict(entry, code) for code, entry in entries.items()})
