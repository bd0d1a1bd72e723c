"""Who may see and do what on an evaluation: one table of capabilities, one access helper.

Every view that touches an evaluation goes through :func:`get_evaluation_for_user`
and names the :class:`Capability` it needs. An evaluation the user may not see
answers 404 (its existence is not revealed); one the user may see but not act on
answers 403 with a message naming who may. The evaluation comes back with
``evaluation.can``, the capabilities this user holds on it, which templates ask
(``{% if evaluation.can.score %}``) so that no page shows a link its reader
cannot follow.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from evalsite.lib.chinese import join_and
from evaluations.enums import BEFORE_SUBMISSION, EvaluationStatus, TeamRole
from evaluations.facts import with_frozen_facts
from evaluations.models import Department, Evaluation, Membership
from evaluations.services import BUREAU_SETTLED, locked_message


class Capability(models.TextChoices):
    """What a role may do on an evaluation. The label is the row of the README's table and the verb of a refusal."""

    VIEW = "view", "查看项目、预算数据、评分与问卷"
    ENTER_FIGURES = "enter_figures", "录入、导入预算数据，修改部门情况"
    SCORE = "score", "评分、上传佐证材料"
    ENTER_SURVEYS = "enter_surveys", "录入问卷"
    WRITE_REPORT = "write_report", "编写报告文字、绩效目标、问题与建议"
    EDIT_ENGAGEMENT = "edit_engagement", "修改项目信息、选定或导入指标体系、选定报告格式"
    CHANGE_BUREAU = "change_bureau", "更改委托单位（提交审核前）"
    MANAGE_TEAM = "manage_team", "调整评价团队"
    SEE_WORKING_PAPERS = "see_working_papers", "查看、下载佐证材料（工作底稿）"
    DOWNLOAD_REPORT = "download_report", "下载报告"
    SUBMIT = "submit", "提交审核"
    REVIEW = "review", "复核（通过或退回）"
    COMMENT = "comment", "提出、关闭复核意见"
    REPLY_COMMENT = "reply_comment", "回复复核意见"
    SIGN_OFF = "sign_off", "签发报告"
    REOPEN = "reopen", "重新打开已签发的报告"
    VIEW_DELIVERED = "view_delivered", "查看交付的报告"
    CONFIRM_RECEIPT = "confirm_receipt", "确认收到报告、反馈意见"


#: The client bureau's users hold no team role; they are one more column of the same table. They see
#: a signed evaluation on its delivery desk (VIEW_DELIVERED), never the workshop pages (VIEW).
BUREAU = "bureau"
ROLE_LABELS: dict[str, str] = {**dict(TeamRole.choices), BUREAU: "财政局"}

_TEAM = tuple(TeamRole)
_AUTHORS = (TeamRole.STAFF, TeamRole.LEAD)
_REVIEW_LEVELS = (TeamRole.REVIEWER, TeamRole.QUALITY, TeamRole.HEAD)

#: Who holds each capability. The README's permissions table is this table (a test holds them equal).
#: The 主评人 writes the report and submits it; the review levels (项目负责人, then optionally
#: 质控复核人 and 机构负责人) review, sign off and reopen; nobody reviews what he wrote.
HOLDERS: dict[Capability, tuple[str, ...]] = {
    Capability.VIEW: _TEAM,
    Capability.ENTER_FIGURES: _AUTHORS,
    Capability.SCORE: _AUTHORS,
    Capability.ENTER_SURVEYS: _AUTHORS,
    Capability.WRITE_REPORT: (TeamRole.LEAD,),
    Capability.EDIT_ENGAGEMENT: (TeamRole.LEAD, TeamRole.REVIEWER),
    Capability.CHANGE_BUREAU: (TeamRole.REVIEWER,),
    Capability.MANAGE_TEAM: (TeamRole.LEAD, TeamRole.REVIEWER),
    Capability.SEE_WORKING_PAPERS: _TEAM,
    Capability.DOWNLOAD_REPORT: _TEAM,
    Capability.SUBMIT: (TeamRole.LEAD,),
    Capability.REVIEW: _REVIEW_LEVELS,
    Capability.COMMENT: _REVIEW_LEVELS,
    Capability.REPLY_COMMENT: _TEAM,
    Capability.SIGN_OFF: _REVIEW_LEVELS,
    Capability.REOPEN: _REVIEW_LEVELS,
    Capability.VIEW_DELIVERED: (BUREAU,),
    Capability.CONFIRM_RECEIPT: (BUREAU,),
}

#: Under review the data is read-only: what is left is reading, the review itself and its comments.
DURING_REVIEW = frozenset(
    {
        Capability.VIEW,
        Capability.SEE_WORKING_PAPERS,
        Capability.DOWNLOAD_REPORT,
        Capability.REVIEW,
        Capability.COMMENT,
        Capability.REPLY_COMMENT,
        Capability.SIGN_OFF,
    }
)

#: After sign-off nothing changes: what is left is reading, and the steps taken on a signed report.
AFTER_SIGN_OFF = frozenset(
    {
        Capability.VIEW,
        Capability.SEE_WORKING_PAPERS,
        Capability.DOWNLOAD_REPORT,
        Capability.REOPEN,
        Capability.VIEW_DELIVERED,
        Capability.CONFIRM_RECEIPT,
    }
)

#: Held only until the evaluation is submitted for review (the 委托单位 is settled by then).
UNTIL_SUBMITTED = frozenset({Capability.CHANGE_BUREAU})

#: Holding either of these, a user sees the evaluation (and is told why when he may not do something);
#: holding neither, it does not exist for him.
SEEING = frozenset({Capability.VIEW, Capability.VIEW_DELIVERED})

#: What may still be done in each locked state (``Evaluation.is_locked``).
STILL_ALLOWED: dict[str, frozenset[Capability]] = {
    EvaluationStatus.REVIEW: DURING_REVIEW,
    EvaluationStatus.SIGNED: AFTER_SIGN_OFF,
}


def permission_rows(roles: tuple[str, ...] = (*_TEAM, BUREAU)) -> list[tuple[str, list[bool]]]:
    """The table as shown to people: per capability one of ``roles`` holds, its label and who holds it."""
    return [
        (capability.label, [role in holders for role in roles])
        for capability, holders in HOLDERS.items()
        if any(role in holders for role in roles)
    ]


def role_capabilities(role: str | None) -> frozenset[Capability]:
    """What ``role`` (a team role or :data:`BUREAU`) may do on an evaluation in progress."""
    return frozenset(capability for capability, holders in HOLDERS.items() if role in holders)


class UnknownCapability(LookupError):
    """A template asked for a capability that does not exist (a typo must not hide a link silently)."""


class Capabilities(frozenset):
    """The capabilities one user holds on one evaluation; ``can.score`` in a template, ``in`` in code."""

    def __getitem__(self, name: str) -> bool:
        try:
            capability = Capability(name)
        except ValueError:
            raise UnknownCapability(f"没有这种权限：{name}") from None
        return capability in self


def role_of(user, evaluation: Evaluation) -> str | None:
    """The user's team role on the evaluation (memberships prefetched or not)."""
    for membership in evaluation.memberships.all():
        if membership.user_id == user.pk:
            return membership.role
    return None


def capabilities_of(user, evaluation: Evaluation) -> Capabilities:
    """What ``user`` may do on ``evaluation`` now.

    A bureau user sees only the evaluations his bureau commissioned, once signed;
    a firm member only those of his firm whose team he is on.
    """
    if not user.is_authenticated or not user.is_active:
        held: frozenset[Capability] = frozenset()
    elif user.is_superuser:
        held = frozenset(Capability)
    elif user.is_bureau_user:
        visible = user.organization_id == evaluation.bureau_id and evaluation.status == EvaluationStatus.SIGNED
        held = role_capabilities(BUREAU) if visible else frozenset()
    elif user.is_firm_staff and user.organization_id == evaluation.firm_id:
        held = role_capabilities(role_of(user, evaluation))
    else:
        held = frozenset()
    if evaluation.is_locked:
        held = held & STILL_ALLOWED[evaluation.status]
    if evaluation.status not in BEFORE_SUBMISSION:
        held = held - UNTIL_SUBMITTED
    return Capabilities(held)


def denial_message(capability: Capability, evaluation: Evaluation) -> str:
    """Why a user who sees the evaluation may not do this: it is signed, or who may."""
    if evaluation.is_locked and capability not in STILL_ALLOWED[evaluation.status]:
        return locked_message(evaluation.status)
    if capability in UNTIL_SUBMITTED and evaluation.status not in BEFORE_SUBMISSION:
        return BUREAU_SETTLED
    return only_holders(capability)


def only_holders(capability: Capability, of: str = "") -> str:
    """只有主评人可以编写报告文字…: the holders named from the table, so the message never drifts from it."""
    return f"只有{of}{join_and([ROLE_LABELS[role] for role in HOLDERS[capability]])}可以{capability.label}。"


def get_evaluation_for_user(request, pk: int, capability: Capability = Capability.VIEW) -> Evaluation:
    """The evaluation ``pk`` if ``request.user`` holds ``capability`` on it, with ``evaluation.can`` set.

    A signed evaluation comes with the facts it was signed with (``evaluations.facts``).
    """
    evaluation = (
        Evaluation.objects.select_related("department", "department_facts", "bureau", "firm")
        .prefetch_related(team_prefetch())
        .filter(pk=pk)
        .first()
    )
    if evaluation is None:
        raise Http404("评价项目不存在")
    can = capabilities_of(request.user, evaluation)
    if not can & SEEING:
        raise Http404("评价项目不存在")
    if capability not in can:
        raise PermissionDenied(denial_message(capability, evaluation))
    evaluation.can = can
    return with_frozen_facts(evaluation)


def team_prefetch() -> Prefetch:
    """Memberships with their users in one query."""
    return Prefetch("memberships", queryset=Membership.objects.select_related("user"))


def evaluations_for_user(user) -> QuerySet[Evaluation]:
    """The evaluations listed on the user's dashboard: a bureau's users see only those delivered to it."""
    if not user.is_authenticated:
        return Evaluation.objects.none()
    queryset = Evaluation.objects.all()
    if user.is_superuser:
        return queryset
    if user.is_bureau_user:
        return queryset.filter(bureau_id=user.organization_id, status=EvaluationStatus.SIGNED)
    if user.is_firm_staff:
        return queryset.filter(firm_id=user.organization_id, memberships__user=user).distinct()
    return queryset.none()


def can_create_evaluation(user) -> bool:
    """A new evaluation belongs to the creator's firm, so only a firm's staff may start one."""
    return user.is_authenticated and user.is_firm_staff


def departments_for_user(user) -> QuerySet[Department]:
    if user.is_superuser:
        return Department.objects.all()
    if user.is_firm_staff:
        return Department.objects.filter(firm_id=user.organization_id)
    return Department.objects.none()


def get_department_for_user(request, pk: int) -> Department:
    """A department of the user's firm's list, which its staff keep.

    The list is where a new evaluation's department facts start from
    (``evaluations.signals``); each evaluation then holds and edits its own
    copy (``DepartmentFacts``, capability :attr:`Capability.ENTER_FIGURES`),
    so changing the list changes no evaluation, and no team another's report.
    """
    department = departments_for_user(request.user).filter(pk=pk).first()
    if department is None:
        raise Http404("部门不存在")
    return department
