"""The finance bureau's checklist for grading a report's quality: its items and the points each deducts. Pure data.

One list for both sides: the firm's pre-flight on its own report
(:data:`reports.checks.BUREAU_CHECKLIST` runs the items it can check on the
evaluation's data) and the bureau's 复核台 reading any report
(:mod:`audits.checklist`, where a bureau sets its own points per item).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

#: A report meeting every item scores this; each failed item deducts its points once.
FULL_SCORE = Decimal(100)


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    points: Decimal  # the default deduction


ITEMS: tuple[Item, ...] = (
    Item("cover", "封面要素齐全（项目单位、委托单位、评价单位、评价日期）", Decimal(2)),
    Item("sums", "散总一致：各级分值、得分逐级相加等于上级和合计，一级指标合计100，各表同一指标一致", Decimal(5)),
    Item("rates", "得分率等于得分除以分值", Decimal(2)),
    Item("grade", "评分与评级相符", Decimal(3)),
    Item("text", "文字中的数字与表格一致，算式无误", Decimal(3)),
    Item("process", "评分过程写明的得分与得分一致", Decimal(3)),
    Item("budget", "预算表合计、占比无误，财政比率可由预算表复算", Decimal(2)),
    Item("surveys", "满意度可由问卷份数复算", Decimal(2)),
    Item("numbering", "序号、编码连续", Decimal(1)),
    Item("outline", "参考提纲各章齐全", Decimal(2)),
    Item("problems", "扣分指标均说明了问题或偏差原因", Decimal(2)),
    Item("figures", "结论有数据支撑", Decimal(2)),
)
ITEM_BY_KEY = {item.key: item for item in ITEMS}
