"""Every write to an evaluation that has rules: creation, team, budget figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from evalsite.accounts.enums import OrganizationKind
from evalsite.accounts.models import Organization
from evaluations import fiscal
from evaluations.enums import TeamRole
from evaluations.models import BudgetFigures, Department, EconomicLine, Evaluation, Membership, Project
from evaluations.queries import triple_field


def refuse_if_locked(evaluation: Evaluation) -> None:
    """Every write service calls this first: after sign-off nothing changes, whoever asks."""
    if evaluation.is_locked:
        raise ValidationError("报告已签发，不能再修改。")


def _refuse_other_firms_department(firm_id: int, department: Department) -> None:
    if department.firm_id != firm_id:
        raise ValidationError("部门不属于本评价机构。")


def _engagement(engagement: dict, new_bureau: str) -> dict:
    """The engagement's fields, with the bureau typed in ``new_bureau`` (created on first use) when given."""
    new_bureau = (new_bureau or "").strip()
    return {**engagement, "bureau": bureau_named(new_bureau)} if new_bureau else engagement


@transaction.atomic
def create_evaluation(
    *, firm: Organization, department: Department, creator, new_bureau: str = "", **engagement
) -> Evaluation:
    """A new evaluation with empty figures; the creator joins as 主评人."""
    _refuse_other_firms_department(firm.pk, department)
    evaluation = Evaluation(firm=firm, department=department, **_engagement(engagement, new_bureau))
    evaluation.full_clean()
    evaluation.save()
    BudgetFigures.objects.create(evaluation=evaluation)
    if creator is not None and creator.is_firm_staff:
        Membership.objects.create(evaluation=evaluation, user=creator, role=TeamRole.LEAD)
    return evaluation


@transaction.atomic
def update_evaluation(evaluation: Evaluation, *, department: Department, new_bureau: str = "", **engagement) -> Evaluation:
    """Change the engagement's facts (department, year, bureau, methods, dates…); refused after sign-off."""
    refuse_if_locked(evaluation)
    _refuse_other_firms_department(evaluation.firm_id, department)
    evaluation.department = department
    for name, value in _engagement(engagement, new_bureau).items():
        setattr(evaluation, name, value)
    evaluation.full_clean()
    evaluation.save()
    return evaluation


def bureau_named(name: str) -> Organization:
    """The finance bureau of that name, created on first use."""
    name = name.strip()
    bureau, created = Organization.objects.get_or_create(name=name, defaults={"kind": OrganizationKind.BUREAU})
    if not created and bureau.kind != OrganizationKind.BUREAU:
        raise ValidationError(f"“{name}”已登记为评价机构，不能作为委托单位。")
    return bureau


@transaction.atomic
def add_member(evaluation: Evaluation, user, role: str, *, actor=None) -> Membership:
    """Put ``user`` on the team with ``role``, keeping the team whole.

    A team has exactly one 主评人 once it has one: naming a new 主评人 hands the
    role over (the previous one stays as 评价人员), nobody names himself, and
    the 主评人 cannot simply be given another role. The last 项目负责人 stays
    one, so the review is never done by the author.
    """
    refuse_if_locked(evaluation)
    if not user.is_firm_staff or user.organization_id != evaluation.firm_id:
        raise ValidationError("只能添加本评价机构的工作人员。")
    current = evaluation.memberships.filter(user=user).first()
    if current is not None and current.role == role:
        return current
    if current is not None and current.role == TeamRole.LEAD:
        raise ValidationError("主评人不能直接改为其他角色：请先把主评人指定给另一位成员。")
    if current is not None and current.role == TeamRole.REVIEWER and _last_reviewer(evaluation, user):
        raise ValidationError("本项目只有这一位项目负责人，请先指定另一位项目负责人。")
    if role == TeamRole.LEAD:
        if actor is not None and actor.pk == user.pk:
            raise ValidationError("不能把自己指定为主评人，请由项目负责人或现任主评人指定。")
        evaluation.memberships.filter(role=TeamRole.LEAD).exclude(user=user).update(role=TeamRole.STAFF)
    membership, _ = Membership.objects.update_or_create(evaluation=evaluation, user=user, defaults={"role": role})
    return membership


def _last_reviewer(evaluation: Evaluation, user) -> bool:
    return not evaluation.memberships.filter(role=TeamRole.REVIEWER).exclude(user=user).exists()


@transaction.atomic
def remove_member(evaluation: Evaluation, membership: Membership) -> None:
    refuse_if_locked(evaluation)
    if membership.evaluation_id != evaluation.pk:
        raise ValidationError("该成员不属于本项目。")
    if membership.role == TeamRole.LEAD:
        raise ValidationError("不能移除主评人：每个评价项目必须有一名主评人。")
    if membership.role == TeamRole.REVIEWER and _last_reviewer(evaluation, membership.user):
        raise ValidationError("不能移除唯一的项目负责人：请先指定另一位项目负责人。")
    membership.delete()


BUDGET_AMOUNT_FIELDS: tuple[str, ...] = tuple(
    triple_field(line, column) for line in fiscal.TRIPLE_LINES for column, _ in fiscal.COLUMNS
) + (
    "three_public_budget",
    "three_public_actual",
    "prev_three_public_budget",
    "prev_three_public_actual",
    "prev_carryover",
    "procurement_budget",
    "procurement_actual",
)


@dataclass(frozen=True)
class EconomicEntry:
    category: str
    name: str
    amount: Decimal


@dataclass(frozen=True)
class ProjectEntry:
    name: str
    initial: Decimal | None
    adjusted: Decimal | None
    final: Decimal | None


@transaction.atomic
def save_budget(
    evaluation: Evaluation,
    amounts: dict[str, Decimal | None],
    economic: Iterable[EconomicEntry] | None = None,
    projects: Iterable[ProjectEntry] | None = None,
) -> BudgetFigures:
    """Store the figures in one transaction; ``None`` lists leave those rows untouched.

    ``amounts`` may hold any subset of :data:`BUDGET_AMOUNT_FIELDS`; fields not
    named keep their value.
    """
    refuse_if_locked(evaluation)
    unknown = set(amounts) - set(BUDGET_AMOUNT_FIELDS)
    if unknown:
        raise ValueError(f"unknown budget fields: {sorted(unknown)}")
    budget, _ = BudgetFigures.objects.select_for_update().get_or_create(evaluation=evaluation)
    for name, value in amounts.items():
        setattr(budget, name, value)
    budget.full_clean(exclude=["evaluation"])
    budget.save()
    evaluation.budget = budget  # keep the caller's instance in step with what was stored
    if economic is not None:
        evaluation.economic_lines.all().delete()
        EconomicLine.objects.bulk_create(
            EconomicLine(evaluation=evaluation, category=e.category, name=e.name, amount=e.amount, position=i)
            for i, e in enumerate(economic, start=1)
        )
    if projects is not None:
        evaluation.projects.all().delete()
        Project.objects.bulk_create(
            Project(evaluation=evaluation, name=p.name, initial=p.initial, adjusted=p.adjusted, final=p.final, position=i)
            for i, p in enumerate(projects, start=1)
        )
    return budget
