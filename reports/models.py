"""The report's narrative (texts per chapter, problems, suggestions, declared goals) and what sign-off keeps.

Only words written by people are stored in the narrative. Every number a report
prints is computed when it is rendered (``evaluations.fiscal``,
``rubrics.scoring``); a text quotes a number through a placeholder such as
``{总分}`` (see ``reports.placeholders``), so it cannot drift from the data.
Once signed, the rendered files are kept as they were (``reports.archive``):
the signed versions, their files with SHA-256, the firm's seal, and the bureau's replies.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from evalsite.accounts.models import Organization
from evalsite.fields import BoundedTextField
from evalsite.lib.text_limits import LONG_TEXT, NOTE
from evaluations.enums import EvaluationStatus
from evaluations.models import Evaluation
from reports import profiles
from reports.enums import PREVIEW, CommentTarget, NotificationKind, RenderState, ReportFormat, SectionKey, Step
from rubrics.models import Indicator


class Section(models.Model):
    """One narrative text of an evaluation's report; a missing row means the drafted default is used."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评价项目", on_delete=models.CASCADE, related_name="report_sections"
    )
    key = models.CharField("章节", max_length=30, choices=SectionKey.choices)
    text = BoundedTextField("内容", max_length=LONG_TEXT, blank=True)
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
    text = BoundedTextField("问题说明及原因分析", max_length=LONG_TEXT, blank=True)
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
    text = BoundedTextField("建议内容", max_length=LONG_TEXT, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    history = HistoricalRecords(verbose_name="建议历史")

    class Meta:
        verbose_name = "建议"
        verbose_name_plural = "建议"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class GoalRow(models.Model):
    """One row of the department's 部门整体绩效目标申报表, as declared (transcribed, never scored)."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评价项目", on_delete=models.CASCADE, related_name="report_goals"
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


# ---------------------------------------------------------------------------
# Sign-off: the firm's seal, the frozen versions and their files, the bureau's replies


class AppendOnlyRecord(Exception):
    """A frozen record was to be changed or deleted."""


class WrittenOnce(models.Model):
    """A record of what was signed: saved once, never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyRecord(f"{self._meta.verbose_name}一经保存不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyRecord(f"{self._meta.verbose_name}不能删除。")


class FirmSigningKey(models.Model):
    """The firm's certificate and private key for sealing signed reports (PAdES).

    The key is an encrypted PKCS#8 PEM; its passphrase is ``SIGNING_KEY_PASSPHRASE``
    from the environment and never stored here. Installed with
    ``manage.py set_signing_key``; the demo firms get a self-signed pair from ``load_demo``.
    """

    firm = models.OneToOneField(
        "accounts.Organization", verbose_name="评价机构", on_delete=models.CASCADE, related_name="signing_key"
    )
    certificate = BoundedTextField("证书（PEM）", max_length=LONG_TEXT)
    private_key = BoundedTextField("加密的私钥（PEM）", max_length=LONG_TEXT)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "电子签章证书"
        verbose_name_plural = "电子签章证书"

    def __str__(self) -> str:
        return f"{self.firm} 电子签章证书"


class SignedVersion(WrittenOnce):
    """One signed version of an evaluation's report: who signed it, when, and the facts it was built from.

    Written once by ``reports.archive.freeze`` inside the sign-off and never
    changed; a version is superseded when a later version of the same
    evaluation has been signed (computed, see ``reports.archive``).
    """

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评价项目", on_delete=models.PROTECT, related_name="signed_versions"
    )
    version = models.PositiveIntegerField("版本")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签发人", on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField("签发时间")
    facts = models.JSONField("签发时的事实", default=dict)
    certificate = BoundedTextField("签章证书（PEM）", max_length=LONG_TEXT, blank=True)

    class Meta:
        verbose_name = "签发版本"
        verbose_name_plural = "签发版本"
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "version"], name="signed_version_unique_per_evaluation")
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} 第{self.version}版"

    @property
    def seal(self) -> dict:
        """Whose certificate sealed this version's PDF and its SHA-256 fingerprint (what a PDF reader shows)."""
        from reports.signing import fingerprint, subject_name

        if not self.certificate:
            return {}
        return {"subject": subject_name(self.certificate), "fingerprint": fingerprint(self.certificate)}


def signed_file_path(instance: "ReportFile", filename: str) -> str:
    version = instance.signed_version
    return f"signed/{version.evaluation_id}/v{version.version}/{filename}"


class ReportFile(WrittenOnce):
    """One file rendered at sign-off (DOCX, PDF/A with the firm's seal, XLSX, 自评表), with its SHA-256.

    Every download serves these bytes after checking them against ``sha256``.
    """

    signed_version = models.ForeignKey(
        SignedVersion, verbose_name="签发版本", on_delete=models.PROTECT, related_name="files"
    )
    format = models.CharField("格式", max_length=20, choices=ReportFormat.choices)
    file = models.FileField("文件", upload_to=signed_file_path, max_length=300)
    filename = models.CharField("下载文件名", max_length=300)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("字节数")

    class Meta:
        verbose_name = "签发文件"
        verbose_name_plural = "签发文件"
        ordering = ["-signed_version__version", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["signed_version", "format"], name="report_file_one_per_format")
        ]

    def __str__(self) -> str:
        return f"{self.signed_version} {self.get_format_display()}"

    @property
    def version(self) -> int:
        return self.signed_version.version

    @property
    def signed_by(self):
        return self.signed_version.signed_by

    @property
    def signed_at(self):
        return self.signed_version.signed_at

    @property
    def path(self) -> str:
        return self.file.name


class BureauResponse(models.Model):
    """The client bureau's reply to a delivered version: a confirmation of receipt or a written 意见."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", "确认收到"
        OPINION = "opinion", "意见"

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评价项目", on_delete=models.PROTECT, related_name="bureau_responses"
    )
    version = models.PositiveIntegerField("版本")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    text = BoundedTextField("内容", max_length=LONG_TEXT, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="委托单位用户", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "委托单位回复"
        verbose_name_plural = "委托单位回复"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.evaluation} 第{self.version}版 {self.get_kind_display()}"


# ---------------------------------------------------------------------------
# Review: the workflow's record, 复核意见, notifications


class TransitionEvent(WrittenOnce):
    """One step of the workflow (``reports.workflow``): appended once, never changed or deleted."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评价项目", on_delete=models.PROTECT, related_name="transition_events"
    )
    step = models.CharField("操作", max_length=10, choices=Step.choices)
    from_status = models.CharField("原状态", max_length=10, choices=EvaluationStatus.choices)
    to_status = models.CharField("新状态", max_length=10, choices=EvaluationStatus.choices)
    review_level = models.PositiveSmallIntegerField("复核级次", default=0)
    version = models.PositiveIntegerField("版本")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", default=timezone.now)
    comment = BoundedTextField("意见或理由", max_length=NOTE, blank=True)
    acknowledged = models.JSONField("已确认的提示", default=list, blank=True)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.get_step_display()}"


class ReviewComment(models.Model):
    """A reviewer's note (复核意见) on one part of an evaluation, answered by the team and closed by a reviewer."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评价项目", on_delete=models.PROTECT, related_name="review_comments"
    )
    version = models.PositiveIntegerField("版本")
    target_kind = models.CharField("对象类型", max_length=10, choices=CommentTarget.choices)
    target_key = models.CharField("对象", max_length=50)
    target_label = models.CharField("对象名称", max_length=300)
    text = BoundedTextField("复核意见", max_length=NOTE)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="复核人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("提出时间", default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="关闭人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)

    class Meta:
        verbose_name = "复核意见"
        verbose_name_plural = "复核意见"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["evaluation", "closed_at"], name="review_comment_open")]

    def __str__(self) -> str:
        return f"{self.target_label}：{self.text[:30]}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CommentReply(models.Model):
    """One message in a 复核意见's thread."""

    comment = models.ForeignKey(ReviewComment, verbose_name="复核意见", on_delete=models.PROTECT, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="回复人", on_delete=models.PROTECT, related_name="+")
    text = BoundedTextField("回复", max_length=NOTE)
    created_at = models.DateTimeField("回复时间", default=timezone.now)

    class Meta:
        verbose_name = "复核意见回复"
        verbose_name_plural = "复核意见回复"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:30]


class Notification(models.Model):
    """A message to one user inside the app (also sent by e-mail when he has an address)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="收件人", on_delete=models.CASCADE, related_name="notifications"
    )
    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评价项目", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField("类型", max_length=10, choices=NotificationKind.choices)
    message = models.CharField("内容", max_length=500)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.message


class RenderJob(models.Model):
    """One rendering of a draft (a download or the preview) by the background worker, and its file.

    Keyed by what the file is built from: the evaluation at one content version
    and state, the format and the options; while that key stands, the stored
    file is served again instead of rendering anew. The worker writes its
    progress here (``step`` of ``steps``, named ``step_label``) for the page to poll.
    """

    evaluation = models.ForeignKey(Evaluation, verbose_name="评价项目", on_delete=models.CASCADE, related_name="renders")
    content_version = models.PositiveBigIntegerField("内容版本")
    evaluation_status = models.CharField("项目状态", max_length=10)
    format = models.CharField(
        "格式", max_length=20, choices=[*ReportFormat.choices, (PREVIEW, "网页预览")]
    )
    options = models.CharField("选项", max_length=100, blank=True, default="")  # a report profile, once there are several
    state = models.CharField("状态", max_length=10, choices=RenderState.choices, default=RenderState.QUEUED)
    step = models.PositiveSmallIntegerField("当前步骤", default=0)
    steps = models.PositiveSmallIntegerField("步骤数", default=0)
    step_label = models.CharField("当前步骤名称", max_length=50, blank=True)
    file = models.FileField("文件", upload_to="renders/%Y/%m/", blank=True)
    filename = models.CharField("下载文件名", max_length=255, blank=True)
    error = BoundedTextField("错误", max_length=LONG_TEXT, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="请求人", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("请求时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    seconds = models.FloatField("耗时（秒）", null=True, blank=True)

    class Meta:
        verbose_name = "报告生成任务"
        verbose_name_plural = "报告生成任务"
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "content_version", "evaluation_status", "format", "options"],
                name="render_job_unique_content",
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} v{self.content_version} {self.format} {self.state}"

    @property
    def ready(self) -> bool:
        return self.state == RenderState.READY

    @property
    def finished(self) -> bool:
        return self.state in (RenderState.READY, RenderState.FAILED)


class ReportProfile(models.Model):
    """A report outline of the firm's library (``reports.profiles``): built-in ones are copied, copies are edited.

    Saving checks the definition (:func:`reports.profiles.definition_errors`) and moves ``revision`` on, so that
    a report rendered from the old definition is never taken for one of the new.
    """

    firm = models.ForeignKey(
        Organization, verbose_name="评价机构", on_delete=models.CASCADE, related_name="report_profiles"
    )
    name = models.CharField("名称", max_length=100)
    slug = models.SlugField("内置标识", max_length=80, blank=True)
    builtin = models.BooleanField("内置格式", default=False)
    source = BoundedTextField("来源与说明", max_length=LONG_TEXT, blank=True)
    definition = models.JSONField("格式定义", default=dict)
    revision = models.PositiveIntegerField("修订次数", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "报告格式"
        verbose_name_plural = "报告格式"
        ordering = ["-builtin", "name"]
        constraints = [
            models.UniqueConstraint(fields=["firm", "name"], name="report_profile_unique_name"),
            models.UniqueConstraint(
                fields=["firm", "slug"], condition=~models.Q(slug=""), name="report_profile_unique_builtin_slug"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.clean()
        if self.pk is not None:
            self.revision += 1
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = profiles.definition_errors(self.definition)
        if errors:
            raise ValidationError({"definition": errors})

    @property
    def outline(self) -> profiles.Outline:
        return profiles.outline_of(self.definition, name=self.name, key=f"profile:{self.pk}.{self.revision}")


class BureauDefaultProfile(models.Model):
    """The profile a firm uses by default for the evaluations one bureau commissions."""

    firm = models.ForeignKey(Organization, verbose_name="评价机构", on_delete=models.CASCADE, related_name="+")
    bureau = models.ForeignKey(
        Organization, verbose_name="委托单位", on_delete=models.CASCADE, related_name="default_report_profiles"
    )
    profile = models.ForeignKey(
        ReportProfile, verbose_name="报告格式", on_delete=models.CASCADE, related_name="bureau_defaults"
    )

    class Meta:
        verbose_name = "委托单位的默认报告格式"
        verbose_name_plural = "委托单位的默认报告格式"
        constraints = [models.UniqueConstraint(fields=["firm", "bureau"], name="bureau_default_profile_once")]

    def __str__(self) -> str:
        return f"{self.bureau} → {self.profile}"


class EvaluationProfile(models.Model):
    """The profile one evaluation's report follows, when the team picked one (else its bureau's default)."""

    evaluation = models.OneToOneField(
        Evaluation, verbose_name="评价项目", on_delete=models.CASCADE, primary_key=True, related_name="report_profile"
    )
    profile = models.ForeignKey(
        ReportProfile, verbose_name="报告格式", on_delete=models.PROTECT, related_name="evaluations"
    )

    class Meta:
        verbose_name = "评价项目的报告格式"
        verbose_name_plural = "评价项目的报告格式"

    def __str__(self) -> str:
        return f"{self.evaluation} → {self.profile}"
