"""Who may see and change an evaluation: the one access helper for the aggregate.

Every view that touches an evaluation goes through :func:`get_evaluation_for_user`.
An evaluation the user may not see answers 404 (its existence is not
revealed); one the user may see but not change answers 403.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from evaluations.enums import EvaluationStatus, TeamRole
from evaluations.models import Department, Evaluation, Membership


class Action(StrEnum):
    VIEW = "view"
    EDIT_FIGURES = "edit_figures"
    SCORE = "score"
    EDIT_ENGAGEMENT = "edit_engagement"
    MANAGE_TEAM = "manage_team"


#: What each team role may do while the evaluation is not signed off.
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    TeamRole.STAFF: frozenset({Action.VIEW, Action.EDIT_FIGURES, Action.SCORE}),
    TeamRole.LEAD: frozenset(
        {Action.VIEW, Action.EDIT_FIGURES, Action.SCORE, Action.EDIT_ENGAGEMENT, Action.MANAGE_TEAM}
    ),
    TeamRole.REVIEWER: frozenset({Action.VIEW, Action.EDIT_ENGAGEMENT, Action.MANAGE_TEAM}),
}
#: After sign-off nothing changes.
LOCKED_ACTIONS = frozenset({Action.VIEW})


def role_of(user, evaluation: Evaluation) -> str | None:
    """The user's team role on the evaluation (memberships prefetched or not)."""
    for membership in evaluation.memberships.all():
        if membership.user_id == user.pk:
            return membership.role
    return None


def allowed_actions(user, evaluation: Evaluation) -> frozenset[Action]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        actions = frozenset(Action)
    elif user.is_bureau_user:
        visible = (
            user.organization_id == evaluation.bureau_id
            and evaluation.status == EvaluationStatus.SIGNED
        )
        actions = frozenset({Action.VIEW}) if visible else frozenset()
    elif user.is_firm_staff and user.organization_id == evaluation.firm_id:
        role = role_of(user, evaluation)
        actions = ROLE_ACTIONS.get(role, frozenset())
    else:
        actions = frozenset()
    if evaluation.is_locked:
        actions = actions & LOCKED_ACTIONS
    return actions


def get_evaluation_for_user(request, pk: int, action: Action = Action.VIEW) -> Evaluation:
    """The evaluation ``pk`` if ``request.user`` may perform ``action`` on it."""
    evaluation = (
        Evaluation.objects.select_related("department", "bureau", "firm")
        .prefetch_related(team_prefetch())
        .filter(pk=pk)
        .first()
    )
    if evaluation is None:
        raise Http404("评价项目不存在")
    actions = allowed_actions(request.user, evaluation)
    if Action.VIEW not in actions:
        raise Http404("评价项目不存在")
    if action not in actions:
        raise PermissionDenied(DENIED_MESSAGES[action] if not evaluation.is_locked else "报告已签发，不能再修改。")
    request.evaluation_actions = actions
    return evaluation


DENIED_MESSAGES = {
    Action.EDIT_FIGURES: "只有评价人员和主评人可以修改预算数据。",
    Action.SCORE: "只有评价人员和主评人可以评分。",
    Action.EDIT_ENGAGEMENT: "只有主评人和项目负责人可以修改评价项目信息。",
    Action.MANAGE_TEAM: "只有主评人和项目负责人可以调整评价团队。",
}


def team_prefetch() -> Prefetch:
    """Memberships with their users in one query."""
    return Prefetch("memberships", queryset=Membership.objects.select_related("user"))


def evaluations_for_user(user) -> QuerySet[Evaluation]:
    """The evaluations listed on the user's dashboard."""
    if not user.is_authenticated:
        return Evaluation.objects.none()
    queryset = Evaluation.objects.all()
    if user.is_superuser:
        return queryset
    if user.is_bureau_user:
        return queryset.filter(bureau_id=user.organization_id)
    if user.is_firm_staff:
        return queryset.filter(firm_id=user.organization_id, memberships__user=user).distinct()
    return queryset.none()


def can_create_evaluation(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.is_firm_staff)


def departments_for_user(user) -> QuerySet[Department]:
    if user.is_superuser:
        return Department.objects.all()
    if user.is_firm_staff:
        return Department.objects.filter(firm_id=user.organization_id)
    return Department.objects.none()


def get_department_for_user(request, pk: int, write: bool = False) -> Department:
    """A department of the user's firm; to change it the user must work on one of its evaluations.

    Its name and staffing feed every evaluation of it (在职人员控制率, the
    report's title), so once one of them is signed off the department is frozen.
    """
    department = departments_for_user(request.user).filter(pk=pk).first()
    if department is None:
        raise Http404("部门不存在")
    if write and not request.user.is_superuser:
        evaluations = list(department.evaluations.prefetch_related(team_prefetch()))
        if any(evaluation.is_locked for evaluation in evaluations):
            raise PermissionDenied("该部门已有签发的评价报告，部门信息已冻结，不能修改。")
        editors = {Action.EDIT_FIGURES, Action.EDIT_ENGAGEMENT}
        if evaluations and not any(editors & allowed_actions(request.user, e) for e in evaluations):
            raise PermissionDenied("只有该部门评价项目的团队成员可以修改部门信息。")
    return department
