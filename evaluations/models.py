"""Departments, evaluations (the engagement), their teams and budget figures.

Amounts are 万元 with two decimals. Nothing here stores a total, a subtotal or
a rate: those are computed by ``evaluations.fiscal`` from these rows.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from evalsite.accounts.models import Organization
from evalsite.fields import BoundedTextField, LinesLimit
from evalsite.lib.text_limits import LONG_TEXT
from evaluations.enums import LOCKED_STATUSES, EconomicCategory, EvaluationStatus, TeamRole

#: The largest 编制数/实有人数 a department may state (any department; far inside the database integer).
MAX_STAFF = 1_000_000


def amount_field(label: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=14, decimal_places=2, null=True, blank=True)


class DepartmentProfile(models.Model):
    """What a report says about a department: name, functions, units, staffing (编制/实有 by 行政/事业), contact.

    The firm's :class:`Department` list holds these as a starting point; each
    evaluation holds its own copy (:class:`DepartmentFacts`), taken when it is
    created and edited there by its team, so no team changes another's report.
    """

    name = models.CharField("部门名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    profile = BoundedTextField("部门简介", max_length=LONG_TEXT, blank=True)
    functions = models.JSONField("部门职能", default=list, blank=True, validators=[LinesLimit()])
    internal_units = models.JSONField("内设机构", default=list, blank=True, validators=[LinesLimit()])
    admin_authorized = models.PositiveIntegerField("行政编制数", default=0, validators=[MaxValueValidator(MAX_STAFF)])
    admin_actual = models.PositiveIntegerField("行政实有人数", default=0, validators=[MaxValueValidator(MAX_STAFF)])
    institution_authorized = models.PositiveIntegerField("事业编制数", default=0, validators=[MaxValueValidator(MAX_STAFF)])
    institution_actual = models.PositiveIntegerField("事业实有人数", default=0, validators=[MaxValueValidator(MAX_STAFF)])
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=50, blank=True)

    #: The fields an evaluation copies from the firm's list.
    PROFILE_FIELDS: tuple[str, ...] = (
        "name", "short_name", "profile", "functions", "internal_units",
        "admin_authorized", "admin_actual", "institution_authorized", "institution_actual",
        "contact_person", "contact_phone",
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def authorized_total(self) -> int:
        return self.admin_authorized + self.institution_authorized

    @property
    def actual_total(self) -> int:
        return self.admin_actual + self.institution_actual

    def profile_values(self) -> dict:
        return {name: getattr(self, name) for name in self.PROFILE_FIELDS}


class Department(DepartmentProfile):
    """A government department (项目单位 / 被评价单位) in the firm's list: the starting point of its evaluations."""

    firm = models.ForeignKey(
        Organization, verbose_name="评价机构", on_delete=models.PROTECT, related_name="departments"
    )

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["firm", "name"], name="department_unique_name_per_firm")
        ]


class Evaluation(models.Model):
    """One 部门整体支出绩效评价: a department, a year, a client bureau, a team."""

    firm = models.ForeignKey(
        Organization, verbose_name="评价机构", on_delete=models.PROTECT, related_name="evaluations"
    )
    department = models.ForeignKey(
        Department, verbose_name="被评价部门", on_delete=models.PROTECT, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(
        "评价年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    bureau = models.ForeignKey(
        Organization,
        verbose_name="委托单位",
        on_delete=models.PROTECT,
        related_name="commissioned_evaluations",
    )
    bureau_section = models.CharField("财政局分管科室", max_length=50, blank=True)
    fund_source = models.CharField("资金来源", max_length=100, default="一般公共预算", blank=True)
    methods = models.JSONField("评价方法", default=list, blank=True, validators=[LinesLimit()])
    standards = models.JSONField("评价标准", default=list, blank=True, validators=[LinesLimit()])
    basis = models.JSONField("评价依据", default=list, blank=True, validators=[LinesLimit()])
    start_date = models.DateField("评价开始日期", null=True, blank=True)
    end_date = models.DateField("评价结束日期", null=True, blank=True)
    report_date = models.DateField("报告日期", null=True, blank=True)
    # The state, the version and the review level change only through ``reports.workflow``.
    status = models.CharField(
        "状态", max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    facts = models.JSONField(
        "签发时的事实", null=True, blank=True, editable=False,
        help_text="最近一次签发时报告所依据的部门、委托单位和评价机构信息（evaluations.facts）；签发后的页面显示这些。",
    )
    version = models.PositiveIntegerField("版本", default=1, help_text="签发后重新打开时加一。")
    review_level = models.PositiveSmallIntegerField(
        "复核级次", default=0, help_text="待审核时为正在复核的一级（1至3），其他状态为0。"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    #: Moved by every write service (``evaluations.services.refuse_if_locked``): results computed from the
    #: evaluation's content (scores, a draft report) are cached under it, so a change is never served stale.
    content_version = models.PositiveBigIntegerField("内容版本", default=0, editable=False)
    history = HistoricalRecords(verbose_name="评价项目历史", excluded_fields=["created_at", "updated_at", "content_version"])

    class Meta:
        verbose_name = "评价项目"
        verbose_name_plural = "评价项目"
        ordering = ["-year", "department_facts__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "year"], name="evaluation_unique_department_year"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        """Saving an existing evaluation never writes ``content_version``: only the write guard moves it,
        so an instance read before a change cannot put an older version back."""
        if self.pk is not None and not self._state.adding and kwargs.get("update_fields") is None:
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.name for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "content_version" and field.attname not in deferred
            ]
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        return f"{self.year}年度{self.department_name}部门整体支出绩效评价"

    @property
    def department_name(self) -> str:
        """The department's name as this evaluation's report prints it (its own copy of the facts)."""
        return self.department_facts.name

    @property
    def is_signed(self) -> bool:
        return self.status == EvaluationStatus.SIGNED

    @property
    def is_locked(self) -> bool:
        """Under review or signed: the data is read-only (a reviewer returns it to change anything)."""
        return self.status in LOCKED_STATUSES


class DepartmentFacts(DepartmentProfile):
    """The evaluated department as this evaluation's report prints it; edited by its team (页签“部门情况”).

    Copied from the firm's :class:`Department` when the evaluation is created
    (``evaluations.signals``); every reader (在职人员控制率, the cover, the
    基本信息表, the report's placeholders) reads this copy, never the firm's list.
    """

    evaluation = models.OneToOneField(
        Evaluation, verbose_name="评价项目", on_delete=models.CASCADE, related_name="department_facts"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "部门情况"
        verbose_name_plural = "部门情况"


class Membership(models.Model):
    """A firm member's role on one evaluation's team."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评价项目", on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="成员",
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField("角色", max_length=10, choices=TeamRole.choices)
    former_lead = models.BooleanField(
        "曾任主评人", default=False, help_text="主评人移交后仍记着：不能复核自己写过的报告。"
    )
    history = HistoricalRecords(verbose_name="团队成员历史")

    class Meta:
        verbose_name = "团队成员"
        verbose_name_plural = "团队成员"
        ordering = ["role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "user"], name="membership_one_role_per_user"),
            models.UniqueConstraint(
                fields=["evaluation"],
                condition=models.Q(role=TeamRole.LEAD),
                name="membership_one_lead_per_evaluation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.display_name}（{self.get_role_display()}）"


class BudgetFigures(models.Model):
    """The figures of 表2-1 and 表2-2, 三公经费, last year's figures and 政府采购.

    Each line holds 年初预算数 / 调整预算数 / 决算数; ``None`` is "not given"
    (printed as "-"), distinct from zero.
    """

    evaluation = models.OneToOneField(
        Evaluation, verbose_name="评价项目", on_delete=models.CASCADE, related_name="budget"
    )
    # 表2-1 income by source
    general_initial = amount_field("一般公共预算财政拨款收入·年初预算数")
    general_adjusted = amount_field("一般公共预算财政拨款收入·调整预算数")
    general_final = amount_field("一般公共预算财政拨款收入·决算数")
    fund_initial = amount_field("政府性基金预算财政拨款收入·年初预算数")
    fund_adjusted = amount_field("政府性基金预算财政拨款收入·调整预算数")
    fund_final = amount_field("政府性基金预算财政拨款收入·决算数")
    other_initial = amount_field("其他收入·年初预算数")
    other_adjusted = amount_field("其他收入·调整预算数")
    other_final = amount_field("其他收入·决算数")
    carry_in_initial = amount_field("年初结转结余·年初预算数")
    carry_in_adjusted = amount_field("年初结转结余·调整预算数")
    carry_in_final = amount_field("年初结转结余·决算数")
    # 表2-2 expenditure
    personnel_initial = amount_field("人员经费·年初预算数")
    personnel_adjusted = amount_field("人员经费·调整预算数")
    personnel_final = amount_field("人员经费·决算数")
    public_initial = amount_field("公用经费·年初预算数")
    public_adjusted = amount_field("公用经费·调整预算数")
    public_final = amount_field("公用经费·决算数")
    # 基本支出 when a source gives it without the 人员/公用 split; ignored once either is given.
    basic_initial = amount_field("基本支出（未分人员/公用）·年初预算数")
    basic_adjusted = amount_field("基本支出（未分人员/公用）·调整预算数")
    basic_final = amount_field("基本支出（未分人员/公用）·决算数")
    project_initial = amount_field("项目支出·年初预算数")
    project_adjusted = amount_field("项目支出·调整预算数")
    project_final = amount_field("项目支出·决算数")
    carry_out_initial = amount_field("年末结转和结余·年初预算数")
    carry_out_adjusted = amount_field("年末结转和结余·调整预算数")
    carry_out_final = amount_field("年末结转和结余·决算数")
    # 三公经费, last year, procurement
    three_public_budget = amount_field("“三公”经费预算数")
    three_public_actual = amount_field("“三公”经费决算数")
    prev_three_public_budget = amount_field("上年“三公”经费预算数")
    prev_three_public_actual = amount_field("上年“三公”经费决算数")
    prev_carryover = amount_field("上年末结转结余")
    procurement_budget = amount_field("政府采购预算数")
    procurement_actual = amount_field("政府采购实际数")
    revision = models.PositiveIntegerField(
        "修订号", default=0, help_text="每次保存的改动加一；据此拒绝基于旧版本的保存（evaluations.revisions）。"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="预算数据历史", excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "预算数据"
        verbose_name_plural = "预算数据"

    def __str__(self) -> str:
        return f"{self.evaluation} 预算数据"


class EconomicLine(models.Model):
    """One line of 表2-3: 基本支出 by economic class (决算数)."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评价项目", on_delete=models.CASCADE, related_name="economic_lines"
    )
    category = models.CharField("类别", max_length=10, choices=EconomicCategory.choices)
    name = models.CharField("科目", max_length=50)
    amount = models.DecimalField("支出金额（万元）", max_digits=14, decimal_places=2)
    position = models.PositiveIntegerField("顺序", default=0)
    history = HistoricalRecords(verbose_name="基本支出明细历史")

    class Meta:
        verbose_name = "基本支出明细"
        verbose_name_plural = "基本支出明细"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}·{self.name}"


class Project(models.Model):
    """A 项目支出 line with its own budget and execution."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评价项目", on_delete=models.CASCADE, related_name="projects"
    )
    name = models.CharField("项目名称", max_length=200)
    initial = amount_field("年初预算数")
    adjusted = amount_field("调整预算数")
    final = amount_field("决算数")
    position = models.PositiveIntegerField("顺序", default=0)
    history = HistoricalRecords(verbose_name="项目支出历史")

    class Meta:
        verbose_name = "项目支出"
        verbose_name_plural = "项目支出"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class AppliedPreview(models.Model):
    """An import preview that was confirmed: its signed token can never be applied again (``evaluations.previews``)."""

    digest = models.CharField("预览令牌摘要", max_length=64, unique=True)
    kind = models.CharField("导入类型", max_length=40)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField("确认时间", auto_now_add=True)

    class Meta:
        verbose_name = "已确认的导入预览"
        verbose_name_plural = "已确认的导入预览"

    def __str__(self) -> str:
        return f"{self.kind} {self.applied_at:%Y-%m-%d %H:%M}"


class BureauChange(models.Model):
    """One setting or change of an evaluation's 委托单位: who, when, from which bureau to which."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评价项目", on_delete=models.CASCADE, related_name="bureau_changes"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    changed_at = models.DateTimeField("时间", auto_now_add=True)
    from_bureau = models.ForeignKey(
        Organization, verbose_name="原委托单位", on_delete=models.PROTECT, null=True, related_name="+"
    )
    to_bureau = models.ForeignKey(Organization, verbose_name="新委托单位", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "委托单位变更记录"
        verbose_name_plural = "委托单位变更记录"
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.evaluation}：{self.from_bureau or '—'} → {self.to_bureau}"
