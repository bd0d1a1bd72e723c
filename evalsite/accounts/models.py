"""Organisations (the evaluation firm, the finance bureaus) and their people."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from evalsite.accounts.enums import OrganizationKind


class Organization(models.Model):
    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=10, choices=OrganizationKind.choices)
    clients = models.ManyToManyField(
        "self",
        verbose_name="委托单位",
        symmetrical=False,
        blank=True,
        related_name="firms",
        limit_choices_to={"kind": OrganizationKind.BUREAU},
        help_text="评价机构添加的客户（财政局）；有评价项目的委托单位不必添加。",
    )
    review_levels = models.PositiveSmallIntegerField(
        "复核级数",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text="评价机构的内部复核级数：1为项目负责人；2再加质控复核人；3再加机构负责人（三级复核）。",
    )

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person: staff of the evaluation firm, or a user of a finance bureau."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name="所属机构",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    is_firm_admin = models.BooleanField(
        "机构管理员", default=False, help_text="可在工作台中为本机构及其委托单位创建和停用用户。"
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_firm_staff(self) -> bool:
        return self.organization is not None and self.organization.kind == OrganizationKind.FIRM

    @property
    def is_bureau_user(self) -> bool:
        return self.organization is not None and self.organization.kind == OrganizationKind.BUREAU

    @property
    def manages_firm_users(self) -> bool:
        """A firm administrator: creates and deactivates the users of his firm and its client bureaus."""
        return self.is_active and self.is_firm_admin and self.is_firm_staff
