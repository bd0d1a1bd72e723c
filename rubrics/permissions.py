"""Access to the firm's template library: any staff member of the firm, nobody else."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from rubrics.models import IndicatorSystem


def systems_for_user(user) -> QuerySet[IndicatorSystem]:
    if user.is_superuser:
        return IndicatorSystem.objects.all()
    if user.is_firm_staff:
        return IndicatorSystem.objects.filter(firm_id=user.organization_id)
    return IndicatorSystem.objects.none()


def require_firm_staff(user) -> None:
    if not (user.is_firm_staff or user.is_superuser):
        raise PermissionDenied("只有评价机构的工作人员可以使用指标体系模板库。")


def get_system_for_user(request, pk: int) -> IndicatorSystem:
    require_firm_staff(request.user)
    system = systems_for_user(request.user).filter(pk=pk).first()
    if system is None:
        raise Http404("指标体系模板不存在")
    return system
