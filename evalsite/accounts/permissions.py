"""Access to a firm's libraries (indicator-system templates, report profiles): its own staff, nobody else.

Each library names what it holds; ``rubrics.permissions`` and
``reports.permissions`` say which model and in which words.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404


def of_users_firm(queryset: QuerySet, user) -> QuerySet:
    """The rows of ``queryset`` (a model with a ``firm``) that the user's firm owns; every row for a superuser."""
    if user.is_superuser:
        return queryset
    if user.is_firm_staff:
        return queryset.filter(firm_id=user.organization_id)
    return queryset.none()


def require_firm_staff(user, library: str) -> None:
    if not (user.is_firm_staff or user.is_superuser):
        raise PermissionDenied(f"只有评价机构的工作人员可以使用{library}。")


def get_from_library(request, queryset: QuerySet, pk: int, *, library: str, missing: str):
    """One row of the user's firm's library, 403 for anyone outside a firm, 404 for another firm's row."""
    require_firm_staff(request.user, library)
    row = of_users_firm(queryset, request.user).filter(pk=pk).first()
    if row is None:
        raise Http404(missing)
    return row
