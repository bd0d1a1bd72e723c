"""The report's narrative: texts per chapter, problems, suggestions and the declared targets.

Only words written by people are stored here. Every number a report prints is
computed when it is rendered (``evaluations.fiscal``, ``rubrics.scoring``);
a text quotes a number through a placeholder such as ``{总分}`` (see
``reports.placeholders``), so it cannot drift from the data.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from evaluations.models import Evaluation
from reports.enums import SectionKey
from rubrics.models import Indicator


class Section(models.Model):
    """One narrative text of an evaluation's report; a missing row means the drafted default is used."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评价项目", on_delete=models.CASCADE, related_name="report_sections"
    )
    key = models.CharField("章节", max_length=30, choices=SectionKey.choices)
    text = models.TextField("内容", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    history = HistoricalRecords(verbose_name="报告文字历史")

    class Meta:
        verbose_name = "报告文字"
        verbose_name_plural = "报告文字"
        constraints = [models.UniqueConstraint(fields=["evaluation", "key"], name="report_section_unique_key")]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.get_key_display()}"


class Problem(models.Model):
    """一个存在的问题 (第七章), linked to the indicators it concerns."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评价项目", on_delete=models.CASCADE, related_name="report_problems"
    )
    position = models.PositiveIntegerField("顺序", default=0)
    title = models.CharField("问题", max_length=200)
    text = models.TextField("问题说明及原因分析", blank=True)
    indicators = models.ManyToManyField(
        Indicator, verbose_name="相关指标", blank=True, related_name="report_problems"
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    history = HistoricalRecords(verbose_name="问题历史", m2m_fields=[indicators])

    class Meta:
        verbose_name = "存在的问题"
        verbose_name_plural = "存在的问题"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Suggestion(models.Model):
    """一条建议 (第八章), usually answering one problem."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评价项目", on_delete=models.CASCADE, related_name="report_suggestions"
    )
    problem = models.ForeignKey(
        Problem, verbose_name="针对的问题", on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestions"
    )
    position = models.PositiveIntegerField("顺序", default=0)
    title = models.CharField("建议", max_length=200)
    text = models.TextField("建议内容", blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    history = HistoricalRecords(verbose_name="建议历史")

    class Meta:
        verbose_name = "建议"
        verbose_name_plural = "建议"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class TargetRow(models.Model):
    """One row of the department's 部门整体绩效目标申报表, as declared (transcribed, never scored)."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评价项目", on_delete=models.CASCADE, related_name="report_targets"
    )
    position = models.PositiveIntegerField("顺序", default=0)
    level1 = models.CharField("一级指标", max_length=100, blank=True)
    level2 = models.CharField("二级指标", max_length=100, blank=True)
    level3 = models.CharField("三级指标", max_length=300, blank=True)
    value = models.CharField("指标值", max_length=200, blank=True)
    basis = models.CharField("指标设定依据", max_length=300, blank=True)
    history = HistoricalRecords(verbose_name="绩效目标历史")

    class Meta:
        verbose_name = "绩效目标申报表行"
        verbose_name_plural = "绩效目标申报表"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.level1}/{self.level2}/{self.level3}"
