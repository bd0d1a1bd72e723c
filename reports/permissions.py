"""Access to the firm's library of report profiles: any staff member of the firm, nobody else."""

from django.db.models import QuerySet

from evalsite.accounts import permissions
from reports.models import ReportProfile

LIBRARY = "报告格式库"


def profiles_for_user(user) -> QuerySet[ReportProfile]:
    return permissions.of_users_firm(ReportProfile.objects.all(), user)


def require_firm_staff(user) -> None:
    permissions.require_firm_staff(user, LIBRARY)


def get_profile_for_user(request, pk: int) -> ReportProfile:
    queryset = ReportProfile.objects.select_related("firm")
    return permissions.get_from_library(request, queryset, pk, library=LIBRARY, missing="报告格式不存在")
