from django.db import models


class ReviewStatus(models.TextChoices):
    """Where a 复核 stands; set from the latest version's findings, or by the bureau accepting the report."""

    TO_FIX = "to_fix", "须修改"
    TO_EXPLAIN = "to_explain", "待说明"
    CLEAN = "clean", "未发现问题"
    ACCEPTED = "accepted", "已接受"


class FileKind(models.TextChoices):
    REPORT = "report", "报告文件"
    OPINION = "opinion", "复核意见书"
