"""The bureau's 复核 of reports made elsewhere: each record, its versions (resubmissions), their files, and the
bureau's own rules (checklist points, grade bands, outline).

A 复核 belongs to one bureau and is never visible to any firm. A version keeps
the files exactly as uploaded (with SHA-256), what the checks found, the
quality score by the bureau's checklist at the time, the comparison with the
version before, and the 复核意见书 written from it.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models

from audits.enums import FileKind, ReviewStatus
from evalsite.accounts.enums import OrganizationKind
from evalsite.accounts.models import Organization


class ReviewSettings(models.Model):
    """A bureau's rules for its 复核; a bureau without a row uses the defaults (national bands, 财预〔2020〕10号)."""

    bureau = models.OneToOneField(
        Organization, verbose_name="财政局", on_delete=models.CASCADE, related_name="review_settings",
        limit_choices_to={"kind": OrganizationKind.BUREAU},
    )
    checklist_points = models.JSONField("复核清单各项扣分", default=dict, blank=True,
                                        help_text="清单项目 → 扣分；未列出的项目用默认分值。")
    grade_bands = models.JSONField("等级划分", default=list, blank=True,
                                   help_text="[[90, \"优\"], [80, \"良\"], [60, \"中\"], [0, \"差\"]]；留空用财预〔2020〕10号的划分。")
    outline = models.JSONField("报告提纲", default=list, blank=True,
                               help_text="[{\"title\": \"基本情况\", \"words\": [\"部门概况\"], \"required\": true}, …]；留空用财预〔2020〕10号参考提纲。")

    class Meta:
        verbose_name = "复核设置"
        verbose_name_plural = "复核设置"

    def __str__(self) -> str:
        return f"{self.bureau}的复核设置"

    def points(self) -> dict[str, Decimal]:
        return {key: Decimal(str(value)) for key, value in (self.checklist_points or {}).items()}


class Review(models.Model):
    """One report the bureau received from a firm and 复核s (with its resubmissions)."""

    bureau = models.ForeignKey(
        Organization, verbose_name="财政局", on_delete=models.PROTECT, related_name="reviews",
        limit_choices_to={"kind": OrganizationKind.BUREAU},
    )
    firm_name = models.CharField("评价机构", max_length=100)
    department_name = models.CharField("被评价部门", max_length=100)
    year = models.PositiveSmallIntegerField("评价年度")
    status = models.CharField("状态", max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.TO_FIX)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="建立人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("建立时间", auto_now_add=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接受人", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    accepted_at = models.DateTimeField("接受时间", null=True, blank=True)

    class Meta:
        verbose_name = "报告复核"
        verbose_name_plural = "报告复核"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.year}年度{self.department_name}（{self.firm_name}）"

    @property
    def title(self) -> str:
        return f"{self.year}年度{self.department_name}部门整体支出绩效评价报告"


class ReviewVersion(models.Model):
    """One submission of the report and what its 复核 found; version 2 is the firm's resubmission."""

    review = models.ForeignKey(Review, verbose_name="复核", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("版本")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    findings = models.JSONField("发现的问题", default=list)
    notes = models.JSONField("核对一致的项目", default=list)
    reading_notes = models.JSONField("读取说明", default=list)
    checklist = models.JSONField("复核清单", default=list)
    quality_score = models.DecimalField("报告质量得分", max_digits=5, decimal_places=2)
    errors = models.PositiveIntegerField("须更正")
    warnings = models.PositiveIntegerField("需说明")
    comparison = models.JSONField("与上一版比较", default=dict, blank=True)

    class Meta:
        verbose_name = "复核版本"
        verbose_name_plural = "复核版本"
        ordering = ["review", "-number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="review_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.review} 第{self.number}版"


def review_file_path(instance: "ReviewFile", filename: str) -> str:
    version = instance.version
    return f"reviews/{version.review_id}/v{version.number}/{filename}"


class ReviewFile(models.Model):
    """A file of a version as uploaded (or the 复核意见书 written), kept with its SHA-256."""

    version = models.ForeignKey(ReviewVersion, verbose_name="版本", on_delete=models.CASCADE, related_name="files")
    kind = models.CharField("类型", max_length=10, choices=FileKind.choices)
    name = models.CharField("文件名", max_length=200)
    file = models.FileField("文件", upload_to=review_file_path, max_length=300)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField("大小（字节）")

    class Meta:
        verbose_name = "复核文件"
        verbose_name_plural = "复核文件"
        ordering = ["version", "kind", "pk"]

    def __str__(self) -> str:
        return self.name
