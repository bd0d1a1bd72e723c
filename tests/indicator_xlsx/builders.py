"""Workbooks as firms type them, built with openpyxl from the transcribed systems.

The systems (rubrics/systems/*.json) and the demo scores (demo/*_scores.json)
are the oracles: a table built from them must read back to the same tree.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[2]
SYSTEMS = ROOT / "rubrics" / "systems"
DEMO = ROOT / "demo"
SYSTEM_SLUGS = sorted(path.stem for path in SYSTEMS.glob("*.json"))
TEXT_KEYS = ("explanation", "basis", "target", "criteria")

SEED_000_HEADER = [
    "序号",
    "一级指标",
    "二级指标",
    "三级指标",
    "权重",
    "指标解释",
    "评价依据",
    "标杆值",
    "评分标准",
    "评分过程",
    "得分",
    "得分率",
]
SEED_000_FIELDS = [
    "seq",
    "level1",
    "level2",
    "level3",
    "weight",
    "explanation",
    "basis",
    "target",
    "criteria",
    "process",
    "score",
    "rate",
]
SEED_002_HEADER = ["一级\n\n指标", "二级\n\n指标", "三级指标", "分值", "指标解释", "评价标准", "得分", "得分率"]
SEED_002_FIELDS = ["level1", "level2", "level3", "weight", "explanation", "criteria", "score", "rate"]


def load_system(slug: str) -> dict[str, Any]:
    return json.loads((SYSTEMS / f"{slug}.json").read_text(encoding="utf-8"))


def load_scores(name: str) -> dict[str, Any]:
    return json.loads((DEMO / f"{name}_scores.json").read_text(encoding="utf-8"))


def walk(nodes: Sequence[dict[str, Any]], level: int = 1) -> Iterator[tuple[int, dict[str, Any]]]:
    for node in nodes:
        yield level, node
        yield from walk(node.get("children") or [], level + 1)


def shape(indicators: Sequence[dict[str, Any]]) -> list[tuple]:
    """What an import must reproduce: codes, names, weights, kinds and texts, in order."""
    rows = []
    for level, node in walk(indicators):
        texts = tuple(node.get(key) or "" for key in TEXT_KEYS) if not node.get("children") else ()
        rows.append((level, node["code"], node["name"], Decimal(node["weight"]), node.get("kind") or "normal", texts))
    return rows


def to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def percent_text(score: Decimal, weight: Decimal) -> str:
    """A 得分率 as firms type it: ``100%``, ``83.33%``."""
    if weight == 0:
        return "0%"
    rate = (score / weight * 100).quantize(Decimal("0.01"))
    return f"{rate.normalize():f}%"


def seed_label(code: str, name: str, weight: str | None) -> str:
    """Seed 002's way of writing a label: a line break every two characters, weight as ``(10分)``."""
    chunks = [name[i : i + 2] for i in range(0, len(name), 2)]
    label = code + "\n\n".join(chunks)
    return label + (f"\n\n({weight}分)" if weight is not None else "")


def table(
    system: dict[str, Any],
    *,
    header: Sequence[str],
    fields: Sequence[str],
    label1: Callable[[dict[str, Any]], str],
    label2: Callable[[dict[str, Any], dict[str, Any]], str],
    label3: Callable[[dict[str, Any]], str],
    weight: Callable[[dict[str, Any]], Any] = lambda leaf: Decimal(leaf["weight"]),
    scores: dict[str, str] | None = None,
    processes: dict[str, str] | None = None,
    rates: dict[str, str] | None = None,
    above: Sequence[Sequence[Any]] = (("指标体系",), ()),
    layout: str = "merged",
    total: Sequence[Any] | None = None,
    below: Sequence[Sequence[Any]] = (),
    sheet_title: str = "附件1",
) -> Workbook:
    """One row per third-level indicator; first/second level merged, blank below, or repeated."""
    scores = scores or {}
    processes = processes or {}
    rates = rates or {}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for values in above:
        sheet.append(list(values) or [None])
    sheet.append(list(header))
    column = {key: index for index, key in enumerate(fields, start=1)}
    row = sheet.max_row + 1
    seq = 0
    for first in system["indicators"]:
        first_row = row
        for second in first["children"]:
            second_row = row
            for leaf in second["children"]:
                seq += 1
                code = leaf["code"]
                score = scores.get(code)
                values = {
                    "seq": seq,
                    "level1": label1(first) if row == first_row or layout == "repeated" else None,
                    "level2": label2(second, first) if row == second_row or layout == "repeated" else None,
                    "level3": label3(leaf),
                    "weight": weight(leaf),
                    "process": processes.get(code),
                    "score": None if score is None else Decimal(score),
                    "rate": rates.get(
                        code, None if score is None else percent_text(Decimal(score), Decimal(leaf["weight"]))
                    ),
                    **{key: leaf.get(key) or None for key in TEXT_KEYS},
                }
                for key, index in column.items():
                    cell = sheet.cell(row=row, column=index, value=values[key])
                    if isinstance(values[key], str) and values[key].startswith("="):
                        cell.data_type = "s"  # typed as text ('=8场次), not a formula
                row += 1
            if layout == "merged" and row - 1 > second_row:
                sheet.merge_cells(
                    start_row=second_row, start_column=column["level2"], end_row=row - 1, end_column=column["level2"]
                )
        if layout == "merged" and row - 1 > first_row:
            sheet.merge_cells(
                start_row=first_row, start_column=column["level1"], end_row=row - 1, end_column=column["level1"]
            )
    if total is not None:
        for index, value in enumerate(total, start=1):
            sheet.cell(row=row, column=index, value=value)
        row += 1
    for values in below:
        for index, value in enumerate(values, start=1):
            sheet.cell(row=row, column=index, value=value)
        row += 1
    return workbook


def seed_000_workbook(layout: str = "merged") -> Workbook:
    """Seed 000 附件1 as the firm typed it: weights in first-level labels, 减分项 weight −2, a title above."""
    system = load_system("decision-management-performance")
    demo = load_scores("shawan_2024")
    scores = demo["expected"]["scores"]
    processes = {code: entry["process"] for code, entry in demo["judgments"].items()}

    def label1(node: dict[str, Any]) -> str:
        if node.get("kind") == "adjustment":
            return node["name"]  # the seed writes “加减分项目” without a code
        return f"{node['code']}{node['name']}（{node['weight']}）"

    def label2(node: dict[str, Any], first: dict[str, Any]) -> str:
        if node.get("kind") == "adjustment":
            return node["name"]
        return f"{node['code']}{node['name']}"

    def weight(leaf: dict[str, Any]) -> Decimal:
        value = Decimal(leaf["weight"])
        return -value if leaf.get("kind") == "deduction" else value

    return table(
        system,
        header=SEED_000_HEADER,
        fields=SEED_000_FIELDS,
        label1=label1,
        label2=label2,
        label3=lambda leaf: f"{leaf['code']} {leaf['name']}",
        weight=weight,
        scores=scores,
        processes=processes,
        rates={"B51": "100%"},  # the seed prints 100% beside 2.5 of 3
        above=(("沙湾市政务服务中心部门整体绩效评价指标体系",), ()),
        layout=layout,
        total=("合计", None, None, None, 100, None, None, None, None, None, Decimal("89.5"), "89.5%"),
        below=(("备注：扣分用负数表示“-x”",),),
    )


def seed_002_workbook(layout: str = "merged") -> Workbook:
    """Seed 002 附件1: multi-line labels ``A部门\\n\\n决策\\n\\n(10分)``, header ``一级\\n\\n指标``, 分值 column."""
    system = load_system("decision-management-output-benefit")
    scores = load_scores("yanjin_2022")["expected"]["scores"]

    def label2(node: dict[str, Any], first: dict[str, Any]) -> str:
        # the seed prints “D3满意度 ” without a weight: it must come from the children
        return (
            f"{node['code']}{node['name']} "
            if node["code"] == "D3"
            else seed_label(node["code"], node["name"], node["weight"])
        )

    return table(
        system,
        header=SEED_002_HEADER,
        fields=SEED_002_FIELDS,
        label1=lambda node: seed_label(node["code"], node["name"], node["weight"]),
        label2=label2,
        label3=lambda leaf: seed_label(leaf["code"], leaf["name"], None),
        scores=scores,
        above=(("附件1",), ("延津县政务服务和大数据管理局部门整体支出指标体系得分表",), ()),
        layout=layout,
        total=("合计", None, None, 100, None, None, Decimal("86"), "86%"),
    )


SMALL_HEADER = ("序号", "一级指标", "二级指标", "三级指标", "权重", "评分标准", "得分")


def small_rows(
    *rows: Sequence[Any], header: Sequence[str] = SMALL_HEADER, above: Sequence[Sequence[Any]] = ()
) -> bytes:
    """A tiny table on a sheet named 指标: ``above`` rows, the header, then ``rows``."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "指标"
    for values in above:
        sheet.append(list(values) or [None])
    sheet.append(list(header))
    for values in rows:
        sheet.append(list(values))
    return to_bytes(workbook)


# A valid small system (header on row 1, rows 2–4): A (60) = A1 (60) = A11 40 + A12 20; B (40) = B1 = B11 40.
VALID_ROWS: tuple[tuple[Any, ...], ...] = (
    (1, "A投入（60）", "A1目标设定（60分）", "A11 绩效目标合理性", 40, "符合得满分", 40),
    (2, None, None, "A12 绩效指标明确性", 20, "符合得满分", 15),
    (3, "B过程（40）", "B1预算执行", "B11 预算执行率", 40, "执行率×权重", 38.5),
)


def replace(rows: Sequence[tuple[Any, ...]], index: int, column: int, value: Any) -> list[tuple[Any, ...]]:
    """``rows`` with one cell changed (0-based row index and column index)."""
    changed = [list(row) for row in rows]
    changed[index][column] = value
    return [tuple(row) for row in changed]
