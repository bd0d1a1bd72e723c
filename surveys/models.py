"""Questionnaires (满意度问卷) of an evaluation: questions, ordered options with weights, counts.

Only raw data is stored: counts per option and the 发放/回收/有效 numbers.
Shares, per-question satisfaction and the composite rate are computed by
:mod:`surveys.results`. The one exception is a questionnaire known only by
its totals (seed 000: "发放65份，回收65份，满意度100%"): it is marked
``totals_only`` and its satisfaction rate is typed, as the source states it.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from evaluations.models import Evaluation
from surveys import limits
from surveys.enums import Aggregation, Method


class Questionnaire(models.Model):
    """One questionnaire of an evaluation, for one respondent group (办事群众, 窗口工作人员, 企业…)."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评价项目", on_delete=models.CASCADE, related_name="questionnaires"
    )
    group = models.CharField(
        "调查对象", max_length=limits.GROUP, help_text="如：企业和办事群众、大厅入驻单位工作人员。指标的满意度按此名称取数。"
    )
    title = models.CharField("问卷名称", max_length=limits.TITLE, blank=True, help_text="如：企业和办事群众满意度调查")
    mode = models.CharField("调查方式", max_length=limits.MODE, blank=True, help_text="如：电子调查问卷、纸质问卷")
    method = models.CharField("满意度计算方法", max_length=10, choices=Method.choices, default=Method.WEIGHTED)
    aggregation = models.CharField(
        "综合满意度汇总方式", max_length=10, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    issued = models.PositiveIntegerField("发放问卷（份）", default=0)
    returned = models.PositiveIntegerField("回收问卷（份）", default=0)
    valid = models.PositiveIntegerField("有效问卷（份）", default=0)
    source = models.CharField("份数来源", max_length=limits.SOURCE, blank=True)
    totals_only = models.BooleanField(
        "仅有汇总数", default=False,
        help_text="没有各题的份数，只有发放、回收、有效份数和满意度（如原报告只写“发放65份，回收65份，满意度100%”）。",
    )
    stated_rate = models.DecimalField(
        "满意度（%）", max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text="仅有汇总数时录入的满意度，如 100 表示100%。",
    )
    position = models.PositiveIntegerField("顺序", default=0)
    revision = models.PositiveIntegerField(
        "修订号", default=0, help_text="份数、题目或选项每次保存的改动加一；据此拒绝基于旧版本的份数录入（evaluations.revisions）。"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="满意度问卷历史", excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "满意度问卷"
        verbose_name_plural = "满意度问卷"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "group"], name="questionnaire_unique_group_per_evaluation")
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or f"{self.group}满意度调查"


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name="问卷", on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveIntegerField("题号", default=0)
    title = models.CharField("题目", max_length=limits.QUESTION)
    counted = models.BooleanField(
        "计入满意度", default=True, help_text="了解情况的题目（如“需要跑几次”“是否了解投诉机制”）不计入。"
    )
    multiple = models.BooleanField("多选题", default=False, help_text="每份答卷可选多项；不计入满意度。")
    answered = models.PositiveIntegerField(
        "作答份数", null=True, blank=True, help_text="多选题至少选了一项的答卷份数：各选项比率的分母。"
    )

    class Meta:
        verbose_name = "题目"
        verbose_name_plural = "题目"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Option(models.Model):
    question = models.ForeignKey(Question, verbose_name="题目", on_delete=models.CASCADE, related_name="options")
    position = models.PositiveIntegerField("顺序", default=0)
    label = models.CharField("选项", max_length=limits.OPTION)
    weight = models.DecimalField(
        "权重",
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    excluded = models.BooleanField(
        "不计入分母", default=False, help_text="前两项占比法中不计入分母的选项，如“不了解”。"
    )
    count = models.PositiveIntegerField("份数", default=0)
    history = HistoricalRecords(verbose_name="选项历史")

    class Meta:
        verbose_name = "选项"
        verbose_name_plural = "选项"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label
