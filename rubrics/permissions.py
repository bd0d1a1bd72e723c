"""Access to the firm's template library: any staff member of the firm, nobody else."""

from django.db.models import QuerySet

from evalsite.accounts import permissions
from rubrics.models import IndicatorSystem

LIBRARY = "指标体系模板库"


def systems_for_user(user) -> QuerySet[IndicatorSystem]:
    return permissions.of_users_firm(IndicatorSystem.objects.all(), user)


def require_firm_staff(user) -> None:
    permissions.require_firm_staff(user, LIBRARY)


def get_system_for_user(request, pk: int) -> IndicatorSystem:
    return permissions.get_from_library(request, IndicatorSystem.objects.all(), pk, library=LIBRARY, missing="指标体系模板不存在")
