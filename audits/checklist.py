"""The bureau's checklist for grading a report's quality: its items, their default points, and the score. Pure.

Each item deducts its points once when any of its checks found something (a
bureau sets its own points per item, ``audits.models.ReviewSettings``); the
quality score is 100 less the points deducted, never below 0. Every check of
:data:`audits.checks.CHECKS` belongs to one item (a test holds them together).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from audits.checks.base import Finding

FULL_SCORE = Decimal(100)


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    points: Decimal  # the default deduction
    checks: tuple[str, ...]  # the finding checks that fail it


ITEMS: tuple[Item, ...] = (
    Item("cover", "封面要素齐全（项目单位、委托单位、评价单位、评价日期）", Decimal(2), ("cover",)),
    Item("sums", "散总一致：各级分值、得分逐级相加等于上级和合计，一级指标合计100，各表同一指标一致", Decimal(5),
         ("sums", "hundred", "across", "over_weight")),
    Item("rates", "得分率等于得分除以分值", Decimal(2), ("rates",)),
    Item("grade", "评分与评级相符", Decimal(3), ("grade",)),
    Item("text", "文字中的数字与表格一致，算式无误", Decimal(3), ("text_figures", "arithmetic")),
    Item("process", "评分过程写明的得分与得分一致", Decimal(3), ("process",)),
    Item("budget", "预算表合计、占比无误，财政比率可由预算表复算", Decimal(2), ("budget_sums", "budget_rates", "ratios")),
    Item("surveys", "满意度可由问卷份数复算", Decimal(2), ("surveys", "survey_counts")),
    Item("numbering", "序号、编码连续", Decimal(1), ("numbering",)),
    Item("outline", "参考提纲各章齐全", Decimal(2), ("outline",)),
    Item("problems", "扣分指标均说明了问题或偏差原因", Decimal(2), ("problems",)),
    Item("figures", "结论有数据支撑", Decimal(2), ("figures",)),
)
ITEM_BY_KEY = {item.key: item for item in ITEMS}
ITEM_OF_CHECK = {check: item.key for item in ITEMS for check in item.checks}


@dataclass(frozen=True)
class ItemResult:
    key: str
    title: str
    points: Decimal
    findings: int

    @property
    def passed(self) -> bool:
        return not self.findings

    @property
    def deducted(self) -> Decimal:
        return Decimal(0) if self.passed else self.points

    def stored(self) -> dict:
        return {"key": self.key, "title": self.title, "points": str(self.points), "findings": self.findings}

    @classmethod
    def from_stored(cls, data: dict) -> ItemResult:
        return cls(data["key"], data["title"], Decimal(data["points"]), data["findings"])


def grade_quality(findings: list[Finding], points: dict[str, Decimal] | None = None) -> tuple[Decimal, list[ItemResult]]:
    """The quality score and each item's result; ``points`` overrides the default points of some items."""
    points = points or {}
    counts = {item.key: 0 for item in ITEMS}
    for finding in findings:
        counts[ITEM_OF_CHECK[finding.check]] += 1
    results = [ItemResult(item.key, item.title, points.get(item.key, item.points), counts[item.key]) for item in ITEMS]
    score = max(FULL_SCORE - sum((result.deducted for result in results), Decimal(0)), Decimal(0))
    return score, results
