from django.db import models

from surveys import results


class Method(models.TextChoices):
    """How one question's satisfaction is computed from its counts."""

    WEIGHTED = results.WEIGHTED, "加权得分法"
    TOP_TWO = results.TOP_TWO, "前两项占比法"


class Aggregation(models.TextChoices):
    """How the questions' satisfaction makes the questionnaire's composite rate."""

    MEAN = results.MEAN, "计入题目的算术平均"
    POOLED = results.POOLED, "计入题目的全部回答合并计算"
