"""Every write to an evaluation that has rules: creation, team, budget figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F

from evalsite.accounts.enums import OrganizationKind
from evalsite.accounts.models import Organization
from evalsite.accounts.queries import client_bureaus
from evalsite.lib.text_limits import too_long
from evaluations.enums import BEFORE_SUBMISSION, REVIEW_LEVEL_ROLES, EvaluationStatus, TeamRole
from evaluations.models import (
    BudgetFigures,
    BureauChange,
    Department,
    DepartmentFacts,
    EconomicLine,
    Evaluation,
    Membership,
    Project,
)
from evaluations.queries import BUDGET_AMOUNT_FIELDS
from evaluations.revisions import check_revision

BUREAU_SETTLED = "评价项目已提交审核，不能再更改委托单位。"

SIGNED_MESSAGE = "报告已签发，不能再修改。"
REVIEW_MESSAGE = "报告正在审核中，不能修改；需要修改时请复核人退回。"


def locked_message(status: str) -> str:
    return SIGNED_MESSAGE if status == EvaluationStatus.SIGNED else REVIEW_MESSAGE


def current_status(evaluation: Evaluation) -> str:
    """The evaluation's state read afresh, its row locked until the caller's transaction ends.

    A write and a transition (``reports.workflow``, which takes the same lock)
    therefore never overlap: either the write lands before the step and is
    checked by it, or it sees the new state.
    """
    # no ordering: the model's (by the facts' name) joins a nullable relation, which PostgreSQL cannot lock
    rows = Evaluation.objects.filter(pk=evaluation.pk).order_by()
    if transaction.get_connection().in_atomic_block:
        rows = rows.select_for_update(of=("self",))
    evaluation.status = rows.values_list("status", flat=True).first() or evaluation.status
    return evaluation.status


def refuse_if_locked(evaluation: Evaluation, *, content: bool = True) -> None:
    """Every write service calls this first, inside its transaction: the guard of every change.

    Under review and after sign-off nothing changes, whoever asks (the state is read
    afresh, the evaluation's row locked: see :func:`current_status`). Otherwise the evaluation's
    ``content_version`` moves on in the same transaction as the change (so it
    moves only if the change is stored): results cached under the old version
    (scores, a rendered draft) are never read again. ``evaluation`` carries the
    new version afterwards. A write that is not the evaluation's content (a user's
    unsaved draft) passes ``content=False``: checked the same, the version stays.
    """
    status = current_status(evaluation)
    if evaluation.is_locked:
        raise ValidationError(locked_message(status))
    if not content:
        return
    _move_versions(Evaluation.objects.filter(pk=evaluation.pk))
    evaluation.content_version = Evaluation.objects.filter(pk=evaluation.pk).values_list("content_version", flat=True).get()


def _move_versions(evaluations) -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("write services run in a transaction: the version must move with the change")
    evaluations.update(content_version=F("content_version") + 1)


def save_department(department: Department) -> Department:
    """Store a department of the firm's list: new evaluations start from it, existing ones keep their own copy
    (:func:`save_department_facts`), so no evaluation's content changes."""
    department.save()
    return department


def _refuse_other_firms_department(firm_id: int, department: Department) -> None:
    if department.firm_id != firm_id:
        raise ValidationError("部门不属于本评价机构。")


def _client_bureau(firm: Organization, bureau: Organization | None, new_bureau: str) -> Organization | None:
    """The 委托单位 chosen among the firm's clients, or typed in ``new_bureau`` (see :func:`client_bureau_named`)."""
    new_bureau = (new_bureau or "").strip()
    if new_bureau:
        return client_bureau_named(firm, new_bureau)
    if bureau is not None:
        check_client_bureau(firm, bureau)
    return bureau


@transaction.atomic
def create_evaluation(
    *, firm: Organization, department: Department, creator, bureau: Organization | None = None, new_bureau: str = "",
    **engagement,
) -> Evaluation:
    """A new evaluation with empty figures; the creator joins as 主评人. Its 委托单位, one of the firm's clients, is logged."""
    _refuse_other_firms_department(firm.pk, department)
    evaluation = Evaluation(firm=firm, department=department, bureau=_client_bureau(firm, bureau, new_bureau), **engagement)
    evaluation.full_clean()
    evaluation.save()
    BudgetFigures.objects.create(evaluation=evaluation)
    BureauChange.objects.create(evaluation=evaluation, changed_by=creator, from_bureau=None, to_bureau=evaluation.bureau)
    if creator is not None and creator.is_firm_staff:
        Membership.objects.create(evaluation=evaluation, user=creator, role=TeamRole.LEAD)
    return evaluation


@transaction.atomic
def update_evaluation(
    evaluation: Evaluation, *, department: Department, actor=None, bureau: Organization | None = None,
    new_bureau: str = "", **engagement,
) -> Evaluation:
    """Change the engagement's facts (department, year, methods, dates…); refused after sign-off.

    A different 委托单位 goes through :func:`change_bureau` (before submission, one of the firm's clients, logged);
    whether ``actor`` may change it at all is the view's business (``Capability.CHANGE_BUREAU``).
    """
    refuse_if_locked(evaluation)
    _refuse_other_firms_department(evaluation.firm_id, department)
    changes = {"department": department, **engagement}
    if not _unchanged(Evaluation.objects.get(pk=evaluation.pk), changes):  # nothing changed: no save, no history entry
        for name, value in changes.items():
            setattr(evaluation, name, value)
        evaluation.full_clean()
        evaluation.save()
    chosen = _client_bureau(evaluation.firm, bureau, new_bureau)
    if chosen is not None and chosen.pk != evaluation.bureau_id:
        change_bureau(evaluation, chosen, actor=actor)
    return evaluation


@transaction.atomic
def save_department_facts(evaluation: Evaluation, values: dict) -> DepartmentFacts:
    """Change the department as this evaluation's report prints it; the firm's list and other evaluations keep theirs."""
    refuse_if_locked(evaluation)
    facts = DepartmentFacts.objects.select_for_update().get(evaluation=evaluation)
    for name in DepartmentFacts.PROFILE_FIELDS:
        if name in values:
            setattr(facts, name, values[name])
    facts.full_clean(exclude=["evaluation"])
    facts.save()
    evaluation.department_facts = facts
    return facts


def _unchanged(stored, values: dict) -> bool:
    """Whether ``stored`` (as read from the database) already holds ``values`` (related rows by key)."""
    meta = stored._meta
    for name, value in values.items():
        field = meta.get_field(name)
        if field.is_relation:
            value = getattr(value, "pk", value)
        if getattr(stored, field.attname) != value:
            return False
    return True


def client_bureau_named(firm: Organization, name: str) -> Organization:
    """A 委托单位 typed in a form: one of the firm's clients, or a bureau new to the system (which becomes one).

    A bureau already registered that is not the firm's client is refused: a team
    cannot point its evaluation at another firm's client (whose users would then
    receive the report); the firm's administrator adds clients.
    """
    name = name.strip()
    if problem := too_long(name, Organization._meta.get_field("name").max_length):
        raise ValidationError(f"委托单位名称{problem}。")
    existing = Organization.objects.filter(name=name).first()
    if existing is None:
        bureau = Organization.objects.create(name=name, kind=OrganizationKind.BUREAU)
        firm.clients.add(bureau)
        return bureau
    if existing.kind != OrganizationKind.BUREAU:
        raise ValidationError(f"“{name}”已登记为评价机构，不能作为委托单位。")
    if not client_bureaus(firm).filter(pk=existing.pk).exists():
        raise ValidationError(f"“{name}”不是本机构的委托单位；请由本机构的机构管理员在“用户管理”中添加为委托单位。")
    return existing


def check_client_bureau(firm: Organization, bureau: Organization) -> None:
    if not client_bureaus(firm).filter(pk=bureau.pk).exists():
        raise ValidationError(f"“{bureau.name}”不是本机构的委托单位，不能选为委托单位。")


@transaction.atomic
def change_bureau(evaluation: Evaluation, bureau: Organization, *, actor) -> BureauChange | None:
    """Point the evaluation at another of the firm's client bureaus, before it is submitted; logged.

    Who may is the view's business (``Capability.CHANGE_BUREAU``, the 项目负责人).
    Returns the log entry, or None when the bureau stays the same.
    """
    refuse_if_locked(evaluation)
    status = Evaluation.objects.select_for_update().filter(pk=evaluation.pk).values_list("status", flat=True).get()
    if status not in BEFORE_SUBMISSION:
        raise ValidationError(BUREAU_SETTLED)
    if bureau.pk == evaluation.bureau_id:
        return None
    check_client_bureau(evaluation.firm, bureau)
    change = BureauChange.objects.create(
        evaluation=evaluation, changed_by=actor, from_bureau_id=evaluation.bureau_id, to_bureau=bureau
    )
    Evaluation.objects.filter(pk=evaluation.pk).update(bureau=bureau)
    evaluation.bureau = bureau
    return change


@transaction.atomic
def add_member(evaluation: Evaluation, user, role: str, *, actor=None) -> Membership:
    """Put ``user`` on the team with ``role``, keeping the team whole.

    A team has exactly one 主评人 once it has one: naming a new 主评人 hands the
    role over (the previous one stays as 评价人员), nobody names himself, and
    the 主评人 cannot simply be given another role. The last 项目负责人 stays
    one, so the review is never done by the author: nobody who is or was this
    evaluation's 主评人 takes a review level.
    """
    refuse_if_locked(evaluation)
    if not user.is_firm_staff or user.organization_id != evaluation.firm_id:
        raise ValidationError("只能添加本评价机构的工作人员。")
    current = evaluation.memberships.filter(user=user).first()
    if current is not None and current.role == role:
        return current
    if role in REVIEW_LEVEL_ROLES and current is not None and (current.role == TeamRole.LEAD or current.former_lead):
        raise ValidationError(
            f"{user.display_name}是（或曾是）本项目的主评人，不能担任{TeamRole(role).label}：不能复核自己的工作。"
        )
    if current is not None and current.role == TeamRole.LEAD:
        raise ValidationError("主评人不能直接改为其他角色：请先把主评人指定给另一位成员。")
    if current is not None and current.role == TeamRole.REVIEWER and _last_reviewer(evaluation, user):
        raise ValidationError("本项目只有这一位项目负责人，请先指定另一位项目负责人。")
    if role == TeamRole.LEAD:
        if actor is not None and actor.pk == user.pk:
            raise ValidationError("不能把自己指定为主评人，请由项目负责人或现任主评人指定。")
        for previous in evaluation.memberships.filter(role=TeamRole.LEAD).exclude(user=user):
            previous.role, previous.former_lead = TeamRole.STAFF, True  # one by one: the team's history records it
            previous.save(update_fields=["role", "former_lead"])
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
    *,
    base_revision: int | None = None,
) -> BudgetFigures:
    """Store the figures in one transaction; ``None`` lists leave those rows untouched.

    ``amounts`` may hold any subset of :data:`BUDGET_AMOUNT_FIELDS`; fields not
    named keep their value. A save from the budget form passes the revision it
    was loaded with (``base_revision``): if someone stored the figures since,
    :class:`~evaluations.revisions.EditConflict` refuses it (checked under a
    row lock). A save that changes nothing stores nothing and moves no revision.
    """
    refuse_if_locked(evaluation)
    unknown = set(amounts) - set(BUDGET_AMOUNT_FIELDS)
    if unknown:
        raise ValueError(f"unknown budget fields: {sorted(unknown)}")
    budget, _ = BudgetFigures.objects.select_for_update().get_or_create(evaluation=evaluation)
    check_revision("预算数据", budget, budget.revision, base_revision)
    changed = [name for name, value in amounts.items() if getattr(budget, name) != value]
    for name in changed:
        setattr(budget, name, amounts[name])
    budget.full_clean(exclude=["evaluation"])
    lines_changed = False
    if economic is not None:
        lines_changed |= _replace_rows(
            evaluation, EconomicLine, [(e.category, e.name, e.amount) for e in economic],
            key=("category", "name"), values=("amount",),
        )
    if projects is not None:
        lines_changed |= _replace_rows(
            evaluation, Project, [(p.name, p.initial, p.adjusted, p.final) for p in projects],
            key=("name",), values=("initial", "adjusted", "final"),
        )
    if changed or lines_changed:
        budget.revision += 1
        budget.save()
    evaluation.budget = budget  # keep the caller's instance in step with what was stored
    return budget


def _replace_rows(evaluation: Evaluation, model, wanted: list[tuple], *, key: tuple[str, ...], values: tuple[str, ...]) -> bool:
    """Make the evaluation's rows of ``model`` exactly ``wanted`` (in order), changing only what differs.

    A row is matched to an existing one by ``key`` (e.g. its name), so the
    history shows an amount changed rather than a line deleted and re-created.
    Returns whether anything was stored.
    """
    names = (*key, *values)
    existing: dict[tuple, list] = {}
    for row in model.objects.filter(evaluation=evaluation).order_by("position", "pk"):
        existing.setdefault(tuple(getattr(row, name) for name in key), []).append(row)
    stored = False
    for position, entry in enumerate(wanted, start=1):
        fields = dict(zip(names, entry, strict=True))
        matches = existing.get(tuple(fields[name] for name in key))
        if matches:
            row = matches.pop(0)
            if all(getattr(row, name) == fields[name] for name in names) and row.position == position:
                continue
        else:
            row = model(evaluation=evaluation)
        for name, value in fields.items():
            setattr(row, name, value)
        row.position = position
        row.save()
        stored = True
    for rows in existing.values():
        for row in rows:
            row.delete()
            stored = True
    return stored
