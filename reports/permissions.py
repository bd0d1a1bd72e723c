"""Access to the firm's library of report profiles: any staff member of the firm, nobody else."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from reports.models import ReportProfile


def profiles_for_user(user) -> QuerySet[ReportProfile]:
    if user.is_superuser:
        return ReportProfile.objects.all()
    if user.is_firm_staff:
        return ReportProfile.objects.filter(firm_id=user.organization_id)
    return ReportProfile.objects.none()


def require_firm_staff(user) -> None:
    if not (user.is_firm_staff or user.is_superuser):
        raise PermissionDenied("只有评价机构的工作人员可以使用报告格式库。")


def get_profile_for_user(request, pk: int) -> ReportProfile:
    require_firm_staff(request.user)
    profile = profiles_for_user(request.user).select_related("firm").filter(pk=pk).first()
    if profile is None:
        raise Http404("报告格式不存在")
    return profile
