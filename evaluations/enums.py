from django.db import models


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SCORING = "scoring", "评分中"
    REVIEW = "review", "待审核"
    SIGNED = "signed", "已签发"


#: Before it is submitted for review: the 委托单位 can still be changed (by the 项目负责人).
BEFORE_SUBMISSION = frozenset({EvaluationStatus.DRAFT, EvaluationStatus.SCORING})

#: While under review and once signed nobody changes the evaluation's data; only ``reports.workflow`` moves it on.
LOCKED_STATUSES = frozenset(EvaluationStatus) - BEFORE_SUBMISSION


class TeamRole(models.TextChoices):
    """A member's role on one evaluation's team; what each may do is ``evaluations.permissions.HOLDERS``.

    质控复核人 and 机构负责人 are the optional second and third review levels (三级复核).
    """

    STAFF = "staff", "评价人员"
    LEAD = "lead", "主评人"
    REVIEWER = "reviewer", "项目负责人"
    QUALITY = "quality", "质控复核人"
    HEAD = "head", "机构负责人"


#: The review levels (三级复核) in order; a firm uses the first one to three (``Organization.review_levels``).
REVIEW_LEVEL_ROLES: tuple[TeamRole, ...] = (TeamRole.REVIEWER, TeamRole.QUALITY, TeamRole.HEAD)


class EconomicCategory(models.TextChoices):
    """基本支出 by economic class (政府支出经济分类), in the order the reports print them."""

    WAGES = "wages", "工资福利支出"
    GOODS = "goods", "商品和服务支出"
    TRANSFERS = "transfers", "对个人和家庭的补助"
