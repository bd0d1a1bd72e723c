"""The bureau's checklist applied to a report read by the 复核台: which checks fail each item, and the score. Pure.

The items and their default points are :mod:`reports.bureau_checklist` (the
firm's pre-flight shows the same list). Each item deducts its points once when
any of its checks found something (a bureau sets its own points per item,
``audits.models.ReviewSettings``); the quality score is 100 less the points
deducted, never below 0. Every check of :data:`audits.checks.CHECKS` belongs to
one item (a test holds them together).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from audits.checks.base import Finding
from reports.bureau_checklist import FULL_SCORE, ITEM_BY_KEY, ITEMS

__all__ = ["CHECKS_OF_ITEM", "FULL_SCORE", "ITEMS", "ITEM_BY_KEY", "ITEM_OF_CHECK", "ItemResult", "grade_quality"]

#: The finding checks (:data:`audits.checks.CHECKS`) that fail each item of the bureau's checklist.
CHECKS_OF_ITEM: dict[str, tuple[str, ...]] = {
    "cover": ("cover",),
    "sums": ("sums", "hundred", "across", "over_weight"),
    "rates": ("rates",),
    "grade": ("grade",),
    "text": ("text_figures", "arithmetic"),
    "process": ("process",),
    "budget": ("budget_sums", "budget_rates", "ratios"),
    "surveys": ("surveys", "survey_counts"),
    "numbering": ("numbering",),
    "outline": ("outline",),
    "problems": ("problems",),
    "figures": ("figures",),
}
ITEM_OF_CHECK = {check: key for key, checks in CHECKS_OF_ITEM.items() for check in checks}


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
