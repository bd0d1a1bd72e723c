"""The seeds' 附件1 tables as other firms and bureaus lay them out: a generated corpus of variants.

Each :class:`Variant` rewrites seed 000's or seed 002's table (the
transcribed systems and demo scores are the oracles) along the dimensions a
new user's file varies in: column order, header wordings, one or two header
rows, weights in a column or only in the labels, merged / blank / repeated
first- and second-level cells, title rows, 合计/备注/填表人 rows below,
full-width digits, line breaks in labels, codes given (A11, 一（一）1.1.1) or
not, a first column headed just 指标. Its ``name`` says all of that, so a
failing variant names itself.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from tests.indicator_xlsx.builders import load_scores, load_system, percent_text, to_bytes

FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")
CHINESE = "一二三四五六七八九十"

#: Header wordings of point 1 of the issue, by column.
WORDINGS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号"),
    "level1": ("一级指标", "一级"),
    "level2": ("二级指标", "二级"),
    "level3": ("三级指标", "三级"),
    "weight": ("分值", "权重", "标准分", "满分", "权重（分）"),
    "explanation": ("指标解释", "指标内涵"),
    "basis": ("评价依据", "评价要点", "数据来源"),
    "target": ("标杆值", "年度指标值", "目标值", "指标值"),
    "criteria": ("评分标准", "评分细则", "指标说明"),
    "process": ("评分过程", "评分依据"),
    "score": ("得分", "自评分", "评分", "评价得分", "实际得分"),
    "rate": ("得分率",),
}
#: A plain 指标 standing for one level (the other levels named): the reader gives it the level left open.
GENERIC = ("指标", "评价指标", "指标名称", "评价内容")

SEEDS = {
    "000": {
        "slug": "decision-management-performance",
        "scores": "shawan_2024",
        "fields": ("seq", "level1", "level2", "level3", "weight", "explanation", "basis", "target", "criteria",
                   "process", "score", "rate"),
        "title": "沙湾市政务服务中心部门整体绩效评价指标体系",
        "total": Decimal("89.5"),
        "expected": (Decimal("89.50"), "良"),
    },
    "002": {
        "slug": "decision-management-output-benefit",
        "scores": "yanjin_2022",
        "fields": ("level1", "level2", "level3", "weight", "explanation", "criteria", "score", "rate"),
        "title": "延津县政务服务和大数据管理局部门整体支出指标体系得分表",
        "total": Decimal("86"),
        "expected": (Decimal("86.00"), "良"),
    },
}
LAYOUTS = ("merged", "blank", "repeated")
CODES = ("given", "numbered", "none")


@dataclass(frozen=True)
class Variant:
    seed: str
    number: int
    order: tuple[str, ...]
    wording: tuple[tuple[str, str], ...]
    two_rows: bool = False
    weights: str = "column"  # or "labels": no 权重 column, every level's weight in its label
    parent_weights: bool = True  # with a 权重 column: first/second-level labels carry their weights too
    layout: str = "merged"
    titles: int = 1
    trailing: bool = False
    full_width: bool = False
    line_breaks: bool = False
    codes: str = "given"
    generic: str = ""  # the level whose column is headed by a plain 指标

    @property
    def name(self) -> str:
        parts = [
            f"seed{self.seed}#{self.number:02d}",
            self.layout,
            "权重在名称中" if self.weights == "labels" else ("权重列+名称" if self.parent_weights else "权重列"),
            "两行表头" if self.two_rows else "一行表头",
            f"标题{self.titles}行",
            f"编码{ {'given': '如A11', 'numbered': '如一（一）1.1.1', 'none': '无'}[self.codes] }",
        ]
        if self.order != SEEDS[self.seed]["fields"]:
            parts.append("列序打乱")
        if self.trailing:
            parts.append("合计备注填表人")
        if self.full_width:
            parts.append("全角数字")
        if self.line_breaks:
            parts.append("名称换行")
        if self.generic:
            level = {"level1": "一级指标", "level3": "三级指标"}[self.generic]
            parts.append(f"{level}列题为“{dict(self.wording)[self.generic]}”")
        parts.append("表头：" + "、".join(header.replace("\n", "") for _, header in self.wording))
        return "，".join(parts)

    @property
    def expected(self) -> tuple[Decimal, str]:
        return SEEDS[self.seed]["expected"]


def generate(count_per_seed: int = 24) -> list[Variant]:
    """A deterministic corpus: every dimension takes each of its values across the variants of a seed."""
    variants = []
    for seed, spec in SEEDS.items():
        for number in range(count_per_seed):
            rng = random.Random(f"{seed}-{number}")
            weights = ("column", "labels")[number % 2]
            fields = [key for key in spec["fields"] if not (weights == "labels" and key == "weight")]
            shuffled = number % 4 == 3
            two_rows = number % 3 == 1 and not shuffled
            generic = ""
            if not shuffled and not two_rows and number % 5 in (0, 2):
                generic = ("level1", "level3")[number % 5 == 2]
            if shuffled:
                rng.shuffle(fields)
            wording = []
            for key in fields:
                if key == generic:
                    wording.append((key, rng.choice(GENERIC)))
                else:
                    wording.append((key, rng.choice(WORDINGS[key])))
            variants.append(
                Variant(
                    seed=seed,
                    number=number,
                    order=tuple(fields),
                    wording=tuple(wording),
                    two_rows=two_rows,
                    weights=weights,
                    parent_weights=number % 4 < 2,
                    layout=LAYOUTS[number % 3],
                    titles=number % 3,
                    trailing=number % 2 == 0 or number % 7 == 1,
                    full_width=number % 5 in (1, 3),
                    line_breaks=number % 3 == 2 or number % 7 == 0,
                    codes=CODES[(number // 2) % 3],
                    generic=generic,
                )
            )
    return variants


# ---------------------------------------------------------------------------
# Writing a variant


def _digits(variant: Variant, text: str) -> str:
    return text.translate(FULL_WIDTH) if variant.full_width else text


def _broken(variant: Variant, name: str) -> str:
    """A label with a line break in the middle, as narrow merged cells are typed."""
    if not variant.line_breaks or len(name) < 4:
        return name
    middle = len(name) // 2
    return f"{name[:middle]}\n{name[middle:]}"


def _weight_suffix(variant: Variant, weight: str, number: int) -> str:
    weight = _digits(variant, weight)
    styles = ("（{}分）", "({}分)", "【{}】", "［{}分］", " {}分")
    suffix = styles[number % len(styles)].format(weight)
    return ("\n" + suffix.strip()) if variant.line_breaks else suffix


def _label(variant: Variant, level: int, node: dict[str, Any], numbers: tuple[int, ...], with_weight: bool) -> str:
    adjustment = node.get("kind") == "adjustment"
    name = _broken(variant, node["name"])
    if variant.codes == "given" and not adjustment:
        code = node["code"]
        prefix = f"{code} " if level == 3 else code
    elif variant.codes == "numbered":
        if level == 1:
            prefix = f"{CHINESE[numbers[0] - 1]}、"
        elif level == 2:
            prefix = f"（{CHINESE[numbers[1] - 1]}）"
        else:
            prefix = ".".join(str(n) for n in numbers) + " "
    else:
        prefix = ""
    label = prefix + name
    if with_weight and not adjustment:
        label += _weight_suffix(variant, node["weight"], sum(numbers))
    return label


def rows_of(variant: Variant) -> Iterator[tuple[dict[str, Any], dict[str, Any], dict[str, Any], tuple[int, int, int]]]:
    system = load_system(SEEDS[variant.seed]["slug"])
    for i, first in enumerate(system["indicators"], start=1):
        for j, second in enumerate(first["children"], start=1):
            for k, leaf in enumerate(second["children"], start=1):
                yield first, second, leaf, (i, j, k)


def workbook(variant: Variant) -> bytes:
    spec = SEEDS[variant.seed]
    scores = load_scores(spec["scores"])
    expected_scores = scores["expected"]["scores"]
    processes = {code: entry.get("process") for code, entry in scores["judgments"].items()}
    book = Workbook()
    sheet = book.active
    sheet.title = "指标体系"
    row = 1
    for index in range(variant.titles):
        sheet.cell(row, 1, spec["title"] if index == 0 else "单位：分")
        row += 1
    column = {key: index for index, key in enumerate(variant.order, start=1)}
    header = dict(variant.wording)
    if variant.two_rows:
        levels = [column[key] for key in ("level1", "level2", "level3")]
        for key, index in column.items():
            if index in levels:
                sheet.cell(row + 1, index, {"level1": "一级", "level2": "二级", "level3": "三级"}[key] + ("指标" if variant.number % 2 else ""))
            else:
                sheet.cell(row, index, header[key])
                sheet.merge_cells(start_row=row, start_column=index, end_row=row + 1, end_column=index)
        sheet.cell(row, min(levels), "评价指标" if variant.number % 2 else "指标")
        sheet.merge_cells(start_row=row, start_column=min(levels), end_row=row, end_column=max(levels))
        row += 2
    else:
        for key, index in column.items():
            sheet.cell(row, index, header[key])
        row += 1
    in_labels = variant.weights == "labels"
    parents = in_labels or variant.parent_weights
    seq = 0
    spans: dict[str, list[tuple[int, int]]] = {"level1": [], "level2": []}
    previous: dict[str, Any] = {"level1": None, "level2": None}
    for first, second, leaf, numbers in rows_of(variant):
        seq += 1
        code = leaf["code"]
        score = expected_scores.get(code)
        weight = Decimal(leaf["weight"])
        if leaf.get("kind") == "deduction" and not in_labels:
            weight = -weight
        values: dict[str, Any] = {
            "seq": seq,
            "level1": _label(variant, 1, first, numbers, parents),
            "level2": _label(variant, 2, second, numbers, parents),
            "level3": _label(variant, 3, leaf, numbers, in_labels),
            "weight": _digits(variant, f"{weight}分") if variant.full_width else weight,
            "process": processes.get(code),
            "score": None if score is None else (_digits(variant, score) if variant.full_width else Decimal(score)),
            "rate": None if score is None else percent_text(Decimal(score), Decimal(leaf["weight"])),
            **{key: leaf.get(key) or None for key in ("explanation", "basis", "target", "criteria")},
        }
        for level in ("level1", "level2"):
            node = first if level == "level1" else second
            starts = previous[level] is not node
            if starts:
                spans[level].append((row, row))
                previous[level] = node
                if level == "level1":
                    previous["level2"] = None
            else:
                spans[level][-1] = (spans[level][-1][0], row)
                if variant.layout != "repeated":
                    values[level] = None
        for key, index in column.items():
            cell = sheet.cell(row, index, values.get(key))
            if isinstance(values.get(key), str) and values[key].startswith("="):
                cell.data_type = "s"
        row += 1
    if variant.layout == "merged":
        for level in ("level1", "level2"):
            for top, bottom in spans[level]:
                if bottom > top:
                    sheet.merge_cells(start_row=top, start_column=column[level], end_row=bottom, end_column=column[level])
    if variant.trailing:
        label_column = min(column[key] for key in ("level1", "level2", "level3"))
        sheet.cell(row, label_column, "合  计" if variant.number % 2 else "合计")
        if "weight" in column:
            sheet.cell(row, column["weight"], 100)
        sheet.cell(row, column["score"], spec["total"])
        sheet.cell(row + 1, 1, "备注：减分项以负数表示。")
        sheet.cell(row + 2, 1, "填表人：王某某")
        sheet.cell(row + 2, 4, "日期：2023年3月1日")
    return to_bytes(book)
