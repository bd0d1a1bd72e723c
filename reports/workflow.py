"""The one function that moves an evaluation between states: 草稿 → 评分中 → 待审核 → 已签发, and back.

:data:`TRANSITIONS` is the whole rule book as data: for each step, the state it
starts from and leads to, the capability it needs (``evaluations.permissions``),
which review level takes it, whether a written comment is required and which
checks (``reports.checks``) guard it. :func:`take_step` applies one step
atomically: it locks the evaluation's row (every write service takes the same
lock, see ``evaluations.services.refuse_if_locked``), runs the rules and the
checks, changes the state, appends a :class:`~reports.models.TransitionEvent`,
freezes the report at sign-off and notifies the people concerned. When a rule
or a blocking check refuses, it raises :class:`TransitionRefused` with the
findings and nothing has changed.

Firms review in one to three levels (``Organization.review_levels``; the roles
are ``evaluations.enums.REVIEW_LEVEL_ROLES``): the 主评人 submits to the first
level, each level approves to the next or returns the evaluation to the team,
the last level signs off and is the one who may reopen (a new version). Nobody
reviews his own work: the 主评人, a former 主评人 and whoever submitted this
version take no review step.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from evalsite.lib.text_limits import NOTE, text_problem
from evaluations.enums import REVIEW_LEVEL_ROLES, EvaluationStatus, TeamRole
from evaluations.models import Evaluation
from evaluations.permissions import Capability, capabilities_of, denial_message, team_prefetch
from reports.archive import files_for, freeze
from reports.checks import Finding, Stage, check_context, error, run_checks
from reports.enums import NotificationKind, Step
from reports.models import TransitionEvent
from reports.notifications import notify

S = EvaluationStatus
CURRENT_LEVEL = "current"  # the review level under way takes the step
LAST_LEVEL = "last"  # the firm's last review level takes the step


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    capability: Capability
    level: str = ""  # "" (any holder of the capability), CURRENT_LEVEL or LAST_LEVEL
    at_last_level: bool | None = None  # only below the last level (False) or only at it (True)
    comment: str = ""  # what the required comment is called; "" when none is required
    checks: str | None = None  # the ``reports.checks.Stage`` that guards the step


TRANSITIONS: dict[Step, Transition] = {
    Step.START: Transition(S.DRAFT, S.SCORING, Capability.EDIT_ENGAGEMENT),
    Step.SUBMIT: Transition(S.SCORING, S.REVIEW, Capability.SUBMIT, checks=Stage.SUBMIT),
    Step.APPROVE: Transition(
        S.REVIEW, S.REVIEW, Capability.REVIEW, level=CURRENT_LEVEL, at_last_level=False, checks=Stage.SIGN_OFF
    ),
    Step.RETURN: Transition(S.REVIEW, S.SCORING, Capability.REVIEW, level=CURRENT_LEVEL, comment="退回修改的意见"),
    Step.SIGN_OFF: Transition(
        S.REVIEW, S.SIGNED, Capability.SIGN_OFF, level=CURRENT_LEVEL, at_last_level=True, checks=Stage.SIGN_OFF
    ),
    Step.REOPEN: Transition(S.SIGNED, S.SCORING, Capability.REOPEN, level=LAST_LEVEL, comment="重新打开的理由"),
}
REVIEW_STEPS = frozenset({Step.APPROVE, Step.RETURN, Step.SIGN_OFF})


class TransitionRefused(Exception):
    """A step refused by a rule or a check; ``findings`` say why and where to fix it."""

    def __init__(self, findings: list[Finding], *, step: Step, needs_acknowledgement: bool = False) -> None:
        self.findings = findings
        self.step = step
        self.needs_acknowledgement = needs_acknowledgement
        super().__init__("\n".join(finding.message for finding in findings))

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.blocking]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.blocking]

    @property
    def summary(self) -> str:
        if self.errors:
            return f"不能{self.step.label}：" + "；".join(f.message.rstrip("。") for f in self.errors) + "。"
        return f"有{len(self.warnings)}条提示需要确认：请阅读后勾选“已阅读并确认以上提示”再{self.step.label}。"


def step_to(status: str, target: str) -> Step | None:
    """The step that leads from ``status`` to ``target`` (each pair has at most one)."""
    for step, rule in TRANSITIONS.items():
        if rule.source == status and rule.target == target:
            return step
    return None


def level_role(level: int) -> TeamRole:
    return REVIEW_LEVEL_ROLES[level - 1]


def level_label(level: int) -> str:
    return f"第{level}级复核（{level_role(level).label}）"


def review_levels(evaluation: Evaluation) -> int:
    return max(1, min(evaluation.firm.review_levels, len(REVIEW_LEVEL_ROLES)))


def _members(evaluation: Evaluation, role: str) -> list:
    return [m.user for m in evaluation.memberships.all() if m.role == role]


def _membership(evaluation: Evaluation, user):
    return next((m for m in evaluation.memberships.all() if m.user_id == user.pk), None)


def _submitted_this_version(evaluation: Evaluation, user) -> bool:
    return TransitionEvent.objects.filter(
        evaluation=evaluation, version=evaluation.version, step=Step.SUBMIT, actor=user
    ).exists()


def refusal(evaluation: Evaluation, step: Step, user) -> str | None:
    """Why ``user`` may not take ``step`` now (the role rules, not the checks), or None."""
    rule = TRANSITIONS[step]
    if evaluation.status != rule.source:
        return f"当前状态为“{evaluation.get_status_display()}”，不能{step.label}。"
    can = capabilities_of(user, evaluation)
    if Capability.VIEW not in can:
        return "您不能查看该评价项目。"
    levels = review_levels(evaluation)
    level = evaluation.review_level
    if rule.level:
        required = level_role(level if rule.level == CURRENT_LEVEL else levels)
        membership = _membership(evaluation, user)
        if membership is None or membership.role != required:
            return f"只有{required.label}可以{step.label}（本机构实行{levels}级复核）。"
    if rule.capability not in can:
        return denial_message(rule.capability, evaluation)
    if rule.at_last_level is False and level >= levels:
        return f"已是最后一级复核（本机构实行{levels}级复核），请签发。"
    if rule.at_last_level is True and level < levels:
        return f"本机构实行{levels}级复核，{level_label(level)}通过后还需{level_label(level + 1)}，现在不能签发。"
    if step in REVIEW_STEPS:
        membership = _membership(evaluation, user)
        if membership.former_lead or _submitted_this_version(evaluation, user):
            return "不能复核自己的工作：您是（或曾是）本项目的主评人，或提交了这一版本。"
    following = 1 if step == Step.SUBMIT else level + 1 if step == Step.APPROVE else None
    if following is not None and not _members(evaluation, level_role(following)):
        return f"评价团队中没有{level_role(following).label}，无法提交{level_label(following)}；请先在评价团队中指定。"
    return None


def locked(pk: int) -> Evaluation:
    """The evaluation with its row locked until the transaction ends (the same lock the write services take)."""
    return (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("department", "firm", "bureau")
        .prefetch_related(team_prefetch())
        .get(pk=pk)
    )


def take_step(
    evaluation: Evaluation, step: Step | str, actor, *, comment: str = "", acknowledge: bool = False
) -> TransitionEvent:
    """Take ``step`` on ``evaluation`` as ``actor``; raises :class:`TransitionRefused` and changes nothing if refused.

    Warnings found by the checks must be acknowledged (``acknowledge=True``);
    they are recorded in the event.
    """
    step = Step(step)
    rule = TRANSITIONS[step]
    with transaction.atomic():
        evaluation = locked(evaluation.pk)
        reason = refusal(evaluation, step, actor)
        if reason is not None:
            raise TransitionRefused([error(reason)], step=step)
        comment = (comment or "").strip()
        if rule.comment and not comment:
            raise TransitionRefused([error(f"请填写{rule.comment}。")], step=step)
        if problem := text_problem(comment, NOTE):
            raise TransitionRefused([error(f"{rule.comment or '意见'}{problem}。")], step=step)
        acknowledged: list[str] = []
        if rule.checks is not None:
            findings = run_checks(check_context(evaluation), rule.checks)
            if any(finding.blocking for finding in findings):
                raise TransitionRefused(findings, step=step)
            if findings and not acknowledge:
                raise TransitionRefused(findings, step=step, needs_acknowledgement=True)
            acknowledged = [finding.message for finding in findings]
        source, level = evaluation.status, evaluation.review_level
        _move(evaluation, step)
        event = TransitionEvent.objects.create(
            evaluation=evaluation,
            step=step,
            from_status=source,
            to_status=evaluation.status,
            review_level=level if step in REVIEW_STEPS else review_levels(evaluation) if step == Step.REOPEN else 0,
            version=evaluation.version,
            actor=actor,
            at=timezone.now(),
            comment=comment,
            acknowledged=acknowledged,
        )
        if step == Step.SIGN_OFF:
            try:
                freeze_signed(evaluation, version=evaluation.version, signed_by=actor, signed_at=event.at)
            except ValidationError as refused:  # no usable seal, a version stored already: nothing is signed
                raise TransitionRefused([error(message) for message in refused.messages], step=step) from refused
        _tell(evaluation, event)
    return event


def _move(evaluation: Evaluation, step: Step) -> None:
    evaluation.status = TRANSITIONS[step].target
    if step == Step.SUBMIT:
        evaluation.review_level = 1
    elif step == Step.APPROVE:
        evaluation.review_level += 1
    elif step == Step.REOPEN:
        evaluation.version += 1
        evaluation.review_level = 0
    else:
        evaluation.review_level = 0
    evaluation.save(update_fields=["status", "review_level", "version", "updated_at"])


def freeze_signed(evaluation: Evaluation, *, version: int, signed_by, signed_at) -> list:
    """Render and store the signed report's files and facts for ``version``, inside the sign-off.

    ``reports.archive.freeze`` does the work; when it raises (no usable seal, a
    version stored already) the sign-off is rolled back with it.
    """
    return freeze(evaluation, version=version, signed_by=signed_by, signed_at=signed_at)


def stored_files(evaluation: Evaluation) -> list[dict]:
    """The files stored at sign-off, newest version first: format, version, SHA-256, path, superseded."""
    return [
        {
            "format": report_file.format,
            "version": report_file.version,
            "sha256": report_file.sha256,
            "path": report_file.path,
            "superseded": report_file.superseded,
        }
        for report_file in files_for(evaluation)
    ]


# ---------------------------------------------------------------------------
# Who is told


def review_url(evaluation: Evaluation) -> str:
    return reverse("evaluation_review", args=[evaluation.pk])


def delivery_url(evaluation: Evaluation) -> str:
    return reverse("delivery_desk", args=[evaluation.pk])


def _team(evaluation: Evaluation) -> list:
    return [membership.user for membership in evaluation.memberships.all()]


def _bureau_users(evaluation: Evaluation) -> list:
    return list(evaluation.bureau.users.filter(is_active=True))


def _tell(evaluation: Evaluation, event: TransitionEvent) -> None:
    actor, title, url = event.actor, evaluation.title, review_url(evaluation)
    who = actor.display_name
    if event.step == Step.SUBMIT:
        notify(_members(evaluation, level_role(1)), kind=NotificationKind.SUBMITTED, evaluation=evaluation, url=url,
               message=f"{who}提交了《{title}》（第{evaluation.version}版），请进行{level_label(1)}。")
    elif event.step == Step.APPROVE:
        level = evaluation.review_level
        notify(_members(evaluation, level_role(level)), kind=NotificationKind.SUBMITTED, evaluation=evaluation, url=url,
               message=f"{who}复核通过了《{title}》，请进行{level_label(level)}。")
    elif event.step == Step.RETURN:
        authors = _members(evaluation, TeamRole.LEAD) + _members(evaluation, TeamRole.STAFF)
        notify(authors, kind=NotificationKind.RETURNED, evaluation=evaluation, url=url,
               message=f"{who}退回了《{title}》，请修改：{event.comment}")
    elif event.step == Step.SIGN_OFF:
        notify(_team(evaluation), kind=NotificationKind.SIGNED, evaluation=evaluation, url=url, exclude=actor,
               message=f"{who}签发了《{title}》（第{evaluation.version}版）。")
        notify(_bureau_users(evaluation), kind=NotificationKind.DELIVERED, evaluation=evaluation,
               url=delivery_url(evaluation),
               message=f"{evaluation.firm.name}已签发《{title}》（第{evaluation.version}版），报告可以查看和下载。")
    elif event.step == Step.REOPEN:
        message = f"{who}重新打开了《{title}》，将出具第{evaluation.version}版；理由：{event.comment}"
        notify(_team(evaluation), kind=NotificationKind.REOPENED, evaluation=evaluation, url=url, exclude=actor,
               message=message)
        notify(_bureau_users(evaluation), kind=NotificationKind.REOPENED, evaluation=evaluation,
               url=reverse("dashboard"),
               message=f"{evaluation.firm.name}重新打开了《{title}》，将出具第{evaluation.version}版，"
                       f"签发后另行通知。理由：{event.comment}")


# ---------------------------------------------------------------------------
# For operators and scripts (the evaluation_status command)


def status_dict(evaluation: Evaluation) -> dict:
    """The state, the version, every event and the stored files, as ``evaluation_status --json`` prints them."""
    events = TransitionEvent.objects.filter(evaluation=evaluation).select_related("actor")
    return {
        "state": evaluation.status,
        "version": evaluation.version,
        "review_level": evaluation.review_level,
        "events": [
            {
                "step": event.step,
                "from": event.from_status,
                "to": event.to_status,
                "by": event.actor.username,
                "by_name": event.actor.display_name,
                "at": timezone.localtime(event.at).isoformat(timespec="seconds"),
                "version": event.version,
                "review_level": event.review_level,
                "comment": event.comment,
                "acknowledged": event.acknowledged,
            }
            for event in events
        ],
        "files": stored_files(evaluation),
    }
