from django.db import models


class IndicatorKind(models.TextChoices):
    NORMAL = "normal", "常规指标"
    BONUS = "bonus", "加分项"
    DEDUCTION = "deduction", "减分项"
    ADJUSTMENT = "adjustment", "加减分项目（分组）"


class RuleKind(models.TextChoices):
    CHECKLIST = "checklist", "要点计分（符合一项得一项）"
    DEDUCT = "deduct", "每处不符扣分"
    RATIO = "ratio", "实际值与目标值之比"
    RATE_DEVIATION = "rate_deviation", "比率达标，偏离扣分"
    BANDS = "bands", "分档计分"
    YES_NO = "yes_no", "是否符合（满分或零分）"
    TIER = "tier", "定性分档（达成/部分达成/未达成）"
    JUDGMENT = "judgment", "评价人员综合判断"
