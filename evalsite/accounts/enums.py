from django.db import models


class OrganizationKind(models.TextChoices):
    FIRM = "firm", "评价机构"
    BUREAU = "bureau", "委托单位（财政局）"
