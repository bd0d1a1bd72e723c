"""Indicator-system templates, the indicator tree copied into each evaluation, and judgments.

A template is a document (its tree as RULES.md JSON); starting an evaluation
copies it into :class:`Indicator` rows, so a later template edit never reaches
an evaluation under way. Scores are never stored: the engine computes them
from the judgments' inputs every time.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from evalsite.accounts.models import Organization
from evalsite.fields import BoundedTextField, LinesLimit
from evalsite.lib.text_limits import LONG_TEXT
from evaluations.models import Evaluation
from rubrics.enums import IndicatorKind
from rubrics.limits import INDICATOR, JUDGMENT, SYSTEM_NAME, SYSTEM_SOURCE, WEIGHT_DIGITS, WEIGHT_PLACES


class IndicatorSystem(models.Model):
    """A template in the firm's library."""

    firm = models.ForeignKey(
        Organization, verbose_name="评价机构", on_delete=models.CASCADE, related_name="indicator_systems"
    )
    slug = models.SlugField("标识", max_length=80)
    name = models.CharField("名称", max_length=SYSTEM_NAME)
    family = models.CharField("类型", max_length=100, blank=True)
    source = models.CharField("来源", max_length=SYSTEM_SOURCE, blank=True)
    settings = models.JSONField("评分设置", default=dict, blank=True)
    tree = models.JSONField("指标树", default=list)
    builtin = models.BooleanField("内置模板", default=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "指标体系模板"
        verbose_name_plural = "指标体系模板"
        ordering = ["-builtin", "name"]
        constraints = [models.UniqueConstraint(fields=["firm", "slug"], name="indicator_system_unique_slug")]

    def __str__(self) -> str:
        return self.name


class Rubric(models.Model):
    """The indicator system of one evaluation: where it came from and its scoring settings."""

    evaluation = models.OneToOneField(
        Evaluation, verbose_name="评价项目", on_delete=models.CASCADE, related_name="rubric"
    )
    source_name = models.CharField("来源模板", max_length=SYSTEM_NAME, blank=True)
    settings = models.JSONField("评分设置", default=dict, blank=True)
    form_texts = models.JSONField(
        "自评表中的文字", default=dict, blank=True,
        help_text="从部门整体支出绩效自评表导入时：年度总体目标（goals）、实际完成情况（outcome）、其他需要说明的问题（note）。",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "评价指标体系"
        verbose_name_plural = "评价指标体系"

    def __str__(self) -> str:
        return f"{self.evaluation} 指标体系"


class Indicator(models.Model):
    """One node of an evaluation's indicator tree (一级/二级/三级指标)."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评价项目", on_delete=models.CASCADE, related_name="indicators"
    )
    parent = models.ForeignKey(
        "self", verbose_name="上级指标", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    level = models.PositiveSmallIntegerField("层级")
    position = models.PositiveIntegerField("顺序", default=0)
    code = models.CharField("编码", max_length=INDICATOR["code"])
    name = models.CharField("名称", max_length=INDICATOR["name"])
    weight = models.DecimalField("权重", max_digits=WEIGHT_DIGITS, decimal_places=WEIGHT_PLACES)
    kind = models.CharField("类型", max_length=12, choices=IndicatorKind.choices, default=IndicatorKind.NORMAL)
    explanation = BoundedTextField("指标解释", max_length=INDICATOR["explanation"], blank=True)
    basis = BoundedTextField("评价依据", max_length=INDICATOR["basis"], blank=True)
    target = models.CharField("标杆值", max_length=INDICATOR["target"], blank=True)
    criteria = BoundedTextField("评分标准", max_length=INDICATOR["criteria"], blank=True)
    points = models.JSONField("评价要点", default=list, blank=True, validators=[LinesLimit()],
                              help_text="每项一行；要点计分和每处不符扣分的规则逐项判断。")
    rule = models.JSONField("评分规则", default=dict, blank=True)
    binding = models.JSONField("数据来源", null=True, blank=True)
    applicable = models.BooleanField("适用", default=True)
    not_applicable_reason = BoundedTextField("不适用的理由", max_length=INDICATOR["not_applicable_reason"], blank=True)

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "code"], name="indicator_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}{self.name}"


class Judgment(models.Model):
    """The evaluator's finding for one third-level indicator: inputs, an optional override, 评分过程."""

    indicator = models.OneToOneField(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="judgment"
    )
    inputs = models.JSONField("评分输入", default=dict, blank=True)
    bound_value = models.DecimalField(
        "采用的数据值", max_digits=14, decimal_places=4, null=True, blank=True,
        help_text="保存时从预算数据或问卷取得的值；数据变化后提示复核。",
    )
    bound_parts = models.JSONField(
        "各分项采用的数据值", default=list, blank=True,
        help_text="分项计分的指标：保存时各分项从预算数据或问卷取得的值（按分项顺序，手工填写的分项为空）。",
    )
    override_score = models.DecimalField("调整后得分", max_digits=7, decimal_places=2, null=True, blank=True)
    override_reason = BoundedTextField("调整理由", max_length=JUDGMENT["override_reason"], blank=True)
    process = BoundedTextField("评分过程", max_length=JUDGMENT["process"], blank=True)
    actual = models.CharField("实际完成值", max_length=JUDGMENT["actual"], blank=True)
    deviation_reason = BoundedTextField("偏差原因分析及改进措施", max_length=JUDGMENT["deviation_reason"], blank=True)
    revision = models.PositiveIntegerField(
        "修订号", default=0, help_text="每次保存的改动加一；据此拒绝基于旧版本的保存（evaluations.revisions）。"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评分人", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField("评分时间", auto_now=True)
    history = HistoricalRecords(verbose_name="评分记录历史")

    class Meta:
        verbose_name = "评分记录"
        verbose_name_plural = "评分记录"

    def __str__(self) -> str:
        return f"{self.indicator} 评分"


class ProjectForm(models.Model):
    """A 项目支出绩效自评表 of one of the department's key projects: funds, goals and its own indicator tree.

    The tree (RULES.md shape, first levels 产出/效益/满意度 and the funds
    block's 预算资金执行率) is scored by the same engine as the department's;
    the 预算资金执行率 leaf (``execution_code``) takes the rate of ``funds``.
    ``stated_total`` is the 总分 printed in the imported form, only checked.
    """

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评价项目", on_delete=models.CASCADE, related_name="project_forms"
    )
    position = models.PositiveIntegerField("顺序", default=0)
    name = models.CharField("项目名称", max_length=200)
    supervisor = models.CharField("主管部门", max_length=200, blank=True)
    implementer = models.CharField("实施单位", max_length=200, blank=True)
    funds = models.JSONField("项目资金（万元）", default=list, blank=True)
    goals = BoundedTextField("年度总体目标·预期目标", max_length=LONG_TEXT, blank=True)
    outcome = BoundedTextField("年度总体目标·实际完成情况", max_length=LONG_TEXT, blank=True)
    note = BoundedTextField("说明", max_length=LONG_TEXT, blank=True)
    tree = models.JSONField("指标树", default=list)
    judgments = models.JSONField("自评得分", default=dict, blank=True)
    execution_code = models.CharField("预算资金执行率指标编码", max_length=20, blank=True)
    stated_total = models.DecimalField("表中所填总分", max_digits=7, decimal_places=2, null=True, blank=True)
    in_report = models.BooleanField("作为报告附件", default=True)
    source = models.CharField("来源", max_length=300, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "项目支出绩效自评表"
        verbose_name_plural = "项目支出绩效自评表"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class ProcessDraft(models.Model):
    """A 评分过程 being written, kept per user and indicator until it is saved or discarded.

    The judgment page stores what is typed every few seconds, so a closed tab
    or an expired session loses nothing; on return the page offers to restore it.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="process_drafts"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撰写人", on_delete=models.CASCADE, related_name="+")
    text = BoundedTextField("评分过程草稿", max_length=JUDGMENT["process"], blank=True)
    saved_at = models.DateTimeField("保存时间", auto_now=True)

    class Meta:
        verbose_name = "评分过程草稿"
        verbose_name_plural = "评分过程草稿"
        constraints = [models.UniqueConstraint(fields=["indicator", "user"], name="process_draft_one_per_user")]

    def __str__(self) -> str:
        return f"{self.indicator} 评分过程草稿（{self.user}）"


def evidence_path(instance: "Evidence", filename: str) -> str:
    indicator = instance.indicator
    return f"evidence/{indicator.evaluation_id}/{indicator.code}/{filename}"


class Evidence(models.Model):
    """A working paper (工作底稿) behind a score: a document, a photo, a spreadsheet.

    It belongs to an indicator (so it can be attached before scoring), is
    numbered within it (``A11-2``, never reused), carries the date of the
    document itself (资料日期) apart from the upload time, and is removed only
    softly: a removed paper stays listed as removed, with who and when.
    """

    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="evidence")
    number = models.PositiveIntegerField("序号", help_text="本指标内的序号；编号为“指标编码-序号”，移除后不再使用。")
    file = models.FileField("文件", upload_to=evidence_path)
    title = models.CharField("说明", max_length=200, blank=True)
    document_date = models.DateField("资料日期", null=True, blank=True, help_text="资料本身的日期（如文件印发日期），不是上传时间。")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    shared_with_bureau = models.BooleanField(
        "共享给委托单位", default=False, help_text="签发后委托单位可在交付页面查看、下载；其他佐证材料是工作底稿，不对委托单位开放。"
    )
    removed_at = models.DateTimeField("移除时间", null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="移除人", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["indicator__position", "number"]
        constraints = [models.UniqueConstraint(fields=["indicator", "number"], name="evidence_unique_number")]

    def __str__(self) -> str:
        return self.title or self.file.name

    @property
    def code(self) -> str:
        """The paper's 编号 in the 底稿 index: ``A11-2``."""
        return f"{self.indicator.code}-{self.number}"

    @property
    def removed(self) -> bool:
        return self.removed_at is not None
