"""The workflow: who may take each step, when, with what; one locked function; an append-only record."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from evaluations import services as evaluation_services
from evaluations.enums import EvaluationStatus, TeamRole
from evaluations.models import Evaluation, Membership
from reports import services as report_services
from reports.archive import NO_SEAL
from reports.enums import SectionKey, Step
from reports.models import AppendOnlyRecord, FirmSigningKey, Notification, SignedVersion, TransitionEvent
from reports.workflow import TRANSITIONS, TransitionRefused, refusal, step_to, take_step
from rubrics.models import Judgment
from tests.factories import UserFactory
from tests.reports.ready import ready_evaluation, with_a_warning

pytestmark = pytest.mark.django_db
S = EvaluationStatus


@pytest.fixture
def evaluation():
    return ready_evaluation(EvaluationStatus.SCORING)


def fresh(evaluation):
    return Evaluation.objects.get(pk=evaluation.pk)


def step(evaluation, name, role, **kwargs):
    return take_step(evaluation, name, evaluation.people[role], **kwargs)


def refused(evaluation, name, role, **kwargs) -> TransitionRefused:
    with pytest.raises(TransitionRefused) as caught:
        step(evaluation, name, role, **kwargs)
    return caught.value


def set_levels(evaluation, levels):
    evaluation.firm.review_levels = levels
    evaluation.firm.save()


def test_transitions_are_data_one_step_per_pair_of_states():
    pairs = [(rule.source, rule.target) for rule in TRANSITIONS.values()]
    assert len(set(pairs)) == len(pairs)
    assert step_to(S.SCORING, S.REVIEW) == Step.SUBMIT
    assert step_to(S.REVIEW, S.REVIEW) == Step.APPROVE
    assert step_to(S.REVIEW, S.SCORING) == Step.RETURN
    assert step_to(S.REVIEW, S.SIGNED) == Step.SIGN_OFF
    assert step_to(S.SIGNED, S.SCORING) == Step.REOPEN
    assert step_to(S.SCORING, S.SIGNED) is None


def test_the_whole_flow_with_one_level(evaluation):
    submitted = step(evaluation, Step.SUBMIT, TeamRole.LEAD)
    assert (submitted.from_status, submitted.to_status, submitted.version) == (S.SCORING, S.REVIEW, 1)
    assert (fresh(evaluation).status, fresh(evaluation).review_level) == (S.REVIEW, 1)
    returned = step(evaluation, Step.RETURN, TeamRole.REVIEWER, comment="A11的佐证不足，请补充。")
    assert (returned.to_status, returned.comment, returned.review_level) == (S.SCORING, "A11的佐证不足，请补充。", 1)
    step(evaluation, Step.SUBMIT, TeamRole.LEAD)
    signed = step(evaluation, Step.SIGN_OFF, TeamRole.REVIEWER)
    assert (signed.to_status, fresh(evaluation).status, fresh(evaluation).version) == (S.SIGNED, S.SIGNED, 1)
    reopened = step(evaluation, Step.REOPEN, TeamRole.REVIEWER, comment="第三章有笔误。")
    assert (reopened.from_status, reopened.to_status, reopened.version) == (S.SIGNED, S.SCORING, 2)
    assert fresh(evaluation).version == 2
    steps = list(TransitionEvent.objects.filter(evaluation=evaluation).values_list("step", "actor__username"))
    people = evaluation.people
    assert steps == [
        (Step.SUBMIT, people[TeamRole.LEAD].username), (Step.RETURN, people[TeamRole.REVIEWER].username),
        (Step.SUBMIT, people[TeamRole.LEAD].username), (Step.SIGN_OFF, people[TeamRole.REVIEWER].username),
        (Step.REOPEN, people[TeamRole.REVIEWER].username),
    ]


# Who may take each step (one review level: 项目负责人).
ROLE_RULES = [
    (Step.SUBMIT, S.SCORING, TeamRole.LEAD, [TeamRole.STAFF, TeamRole.REVIEWER, TeamRole.QUALITY, "bureau", "outsider"]),
    (Step.RETURN, S.REVIEW, TeamRole.REVIEWER, [TeamRole.LEAD, TeamRole.STAFF, TeamRole.QUALITY, TeamRole.HEAD, "outsider"]),
    (Step.SIGN_OFF, S.REVIEW, TeamRole.REVIEWER, [TeamRole.LEAD, TeamRole.STAFF, TeamRole.QUALITY, TeamRole.HEAD, "bureau"]),
    (Step.REOPEN, S.SIGNED, TeamRole.REVIEWER, [TeamRole.LEAD, TeamRole.STAFF, TeamRole.QUALITY, TeamRole.HEAD, "bureau"]),
    (Step.START, S.DRAFT, TeamRole.LEAD, [TeamRole.STAFF, TeamRole.QUALITY, "bureau", "outsider"]),
]


@pytest.mark.parametrize(("name", "state", "allowed", "refused_roles"), ROLE_RULES, ids=[r[0].value for r in ROLE_RULES])
def test_role_rule_of_each_step(evaluation, name, state, allowed, refused_roles):
    Evaluation.objects.filter(pk=evaluation.pk).update(status=state, review_level=1 if state == S.REVIEW else 0)
    comment = "理由" if TRANSITIONS[name].comment else ""
    for role in refused_roles:
        reason = refused(evaluation, name, role, comment=comment, acknowledge=True)
        assert reason.errors and not reason.needs_acknowledgement, role
        assert fresh(evaluation).status == state
    step(evaluation, name, allowed, comment=comment, acknowledge=True)
    assert fresh(evaluation).status == TRANSITIONS[name].target


@pytest.mark.parametrize(("name", "wrong_state"), [
    (Step.SUBMIT, S.REVIEW), (Step.SUBMIT, S.SIGNED), (Step.SIGN_OFF, S.SCORING), (Step.REOPEN, S.REVIEW),
    (Step.RETURN, S.SIGNED), (Step.START, S.SCORING),
])
def test_a_step_from_the_wrong_state_is_refused(evaluation, name, wrong_state):
    Evaluation.objects.filter(pk=evaluation.pk).update(status=wrong_state, review_level=1 if wrong_state == S.REVIEW else 0)
    allowed = next(rule[2] for rule in ROLE_RULES if rule[0] == name)
    reason = refused(evaluation, name, allowed, comment="理由", acknowledge=True)
    assert reason.errors[0].message.startswith(f"当前状态为“{S(wrong_state).label}”，不能")


def test_returning_and_reopening_need_a_written_reason(evaluation):
    step(evaluation, Step.SUBMIT, TeamRole.LEAD)
    assert refused(evaluation, Step.RETURN, TeamRole.REVIEWER, comment="  ").errors[0].message == "请填写退回修改的意见。"
    step(evaluation, Step.SIGN_OFF, TeamRole.REVIEWER)
    assert refused(evaluation, Step.REOPEN, TeamRole.REVIEWER).errors[0].message == "请填写重新打开的理由。"


def test_three_levels_each_approves_to_the_next_and_the_last_signs(evaluation):
    set_levels(evaluation, 3)
    step(evaluation, Step.SUBMIT, TeamRole.LEAD)
    assert "还需第2级复核（质控复核人）" in refused(evaluation, Step.SIGN_OFF, TeamRole.REVIEWER).errors[0].message
    assert refused(evaluation, Step.APPROVE, TeamRole.QUALITY, acknowledge=True).errors[0].message == (
        "只有项目负责人可以复核通过，提交下一级复核（本机构实行3级复核）。"
    )
    step(evaluation, Step.APPROVE, TeamRole.REVIEWER)
    assert fresh(evaluation).review_level == 2
    returned = step(evaluation, Step.RETURN, TeamRole.QUALITY, comment="第四章结论缺数据。")
    assert returned.review_level == 2 and fresh(evaluation).review_level == 0
    step(evaluation, Step.SUBMIT, TeamRole.LEAD)
    step(evaluation, Step.APPROVE, TeamRole.REVIEWER)
    step(evaluation, Step.APPROVE, TeamRole.QUALITY)
    assert refused(evaluation, Step.APPROVE, TeamRole.HEAD).errors[0].message == "已是最后一级复核（本机构实行3级复核），请签发。"
    assert refused(evaluation, Step.REOPEN, TeamRole.HEAD, comment="x").errors[0].message.startswith("当前状态为“待审核”")
    step(evaluation, Step.SIGN_OFF, TeamRole.HEAD)
    assert fresh(evaluation).status == S.SIGNED
    # Only the last level reopens.
    assert refused(evaluation, Step.REOPEN, TeamRole.REVIEWER, comment="x").errors[0].message == (
        "只有机构负责人可以重新打开（本机构实行3级复核）。"
    )
    step(evaluation, Step.REOPEN, TeamRole.HEAD, comment="补充附件。")
    assert fresh(evaluation).version == 2


def test_a_level_nobody_holds_cannot_be_submitted_to(evaluation):
    set_levels(evaluation, 2)
    Membership.objects.filter(evaluation=evaluation, role=TeamRole.QUALITY).delete()
    step(evaluation, Step.SUBMIT, TeamRole.LEAD)
    reason = refused(evaluation, Step.APPROVE, TeamRole.REVIEWER)
    assert reason.errors[0].message == "评价团队中没有质控复核人，无法提交第2级复核（质控复核人）；请先在评价团队中指定。"


def test_the_author_never_reviews_his_own_work(evaluation):
    lead, reviewer = evaluation.people[TeamRole.LEAD], evaluation.people[TeamRole.REVIEWER]
    # In team management: the 主评人, and a former one after a hand-over, take no review level.
    with pytest.raises(ValidationError, match="不能复核自己的工作"):
        evaluation_services.add_member(evaluation, lead, TeamRole.REVIEWER)
    evaluation_services.add_member(evaluation, evaluation.people[TeamRole.STAFF], TeamRole.LEAD, actor=reviewer)
    assert Membership.objects.get(evaluation=evaluation, user=lead).former_lead
    with pytest.raises(ValidationError, match="不能复核自己的工作"):
        evaluation_services.add_member(evaluation, lead, TeamRole.QUALITY)
    # In the transition: whoever submitted this version does not review it, even if his role was changed behind the rules.
    new_lead = evaluation.people[TeamRole.STAFF]
    take_step(evaluation, Step.SUBMIT, new_lead, acknowledge=True)
    Membership.objects.filter(evaluation=evaluation, user=reviewer).update(role=TeamRole.STAFF)
    Membership.objects.filter(evaluation=evaluation, user=new_lead).update(role=TeamRole.REVIEWER)
    with pytest.raises(TransitionRefused, match="不能复核自己的工作"):
        take_step(evaluation, Step.SIGN_OFF, new_lead, acknowledge=True)
    Membership.objects.filter(evaluation=evaluation, user=new_lead).update(role=TeamRole.STAFF)
    Membership.objects.filter(evaluation=evaluation, user=lead).update(role=TeamRole.REVIEWER)
    with pytest.raises(TransitionRefused, match="不能复核自己的工作"):
        take_step(evaluation, Step.SIGN_OFF, lead, acknowledge=True)


def test_a_refused_check_leaves_state_events_and_notifications_unchanged(evaluation):
    Judgment.objects.filter(indicator__evaluation=evaluation, indicator__code="A11").update(process="得分=3分。")
    before = (TransitionEvent.objects.count(), Notification.objects.count())
    reason = refused(evaluation, Step.SUBMIT, TeamRole.LEAD, acknowledge=True)
    assert [f.message for f in reason.errors] == ["A11绩效目标合理性：评分过程写得3分，计算得分为40.00分，请修改评分过程。"]
    assert reason.summary.startswith("不能提交审核：A11绩效目标合理性")
    assert (fresh(evaluation).status, fresh(evaluation).review_level) == (S.SCORING, 0)
    assert (TransitionEvent.objects.count(), Notification.objects.count()) == before


def test_warnings_need_acknowledgement_which_the_event_records(evaluation):
    warning = with_a_warning(evaluation)
    reason = refused(evaluation, Step.SUBMIT, TeamRole.LEAD)
    assert reason.needs_acknowledgement and not reason.errors
    assert fresh(evaluation).status == S.SCORING
    event = step(evaluation, Step.SUBMIT, TeamRole.LEAD, acknowledge=True)
    assert event.acknowledged == [warning]
    signed = step(evaluation, Step.SIGN_OFF, TeamRole.REVIEWER, acknowledge=True)
    assert signed.acknowledged == [warning]


def test_under_review_and_signed_nothing_is_written_even_from_a_stale_copy(evaluation):
    stale = Evaluation.objects.get(pk=evaluation.pk)  # read before the submission, still 评分中 in memory
    step(evaluation, Step.SUBMIT, TeamRole.LEAD)
    assert stale.status == S.SCORING
    with pytest.raises(ValidationError, match="报告正在审核中，不能修改；需要修改时请复核人退回。"):
        report_services.save_section(stale, SectionKey.OVERALL, "总体较好。")
    with pytest.raises(ValidationError, match="报告正在审核中"):
        evaluation_services.save_budget(stale, {"general_final": Decimal("1.00")})
    step(evaluation, Step.SIGN_OFF, TeamRole.REVIEWER)
    with pytest.raises(ValidationError, match="报告已签发，不能再修改。"):
        evaluation_services.add_member(stale, UserFactory(organization=stale.firm), TeamRole.STAFF)


def test_events_are_append_only(evaluation):
    event = step(evaluation, Step.SUBMIT, TeamRole.LEAD)
    event.comment = "改写"
    with pytest.raises(AppendOnlyRecord):
        event.save()
    with pytest.raises(AppendOnlyRecord):
        event.delete()
    assert TransitionEvent.objects.get(pk=event.pk).comment == ""


def test_refusal_reasons_are_what_the_page_shows(evaluation):
    assert refusal(evaluation, Step.SUBMIT, evaluation.people[TeamRole.LEAD]) is None
    assert refusal(evaluation, Step.SUBMIT, evaluation.people[TeamRole.STAFF]) == "只有主评人可以提交审核。"
    assert refusal(evaluation, Step.SUBMIT, evaluation.people["outsider"]) == "您不能查看该评价项目。"


def test_a_sign_off_whose_freezing_fails_does_not_happen(evaluation):
    """Without a usable seal ``reports.archive.freeze`` refuses, and the whole step with it."""
    step(evaluation, Step.SUBMIT, TeamRole.LEAD)
    FirmSigningKey.objects.filter(firm=evaluation.firm).delete()
    before = (TransitionEvent.objects.count(), Notification.objects.count())
    reason = refused(evaluation, Step.SIGN_OFF, TeamRole.REVIEWER)
    assert [f.message for f in reason.errors] == [NO_SEAL.format(firm=evaluation.firm.name)]
    assert (fresh(evaluation).status, fresh(evaluation).review_level) == (S.REVIEW, 1)
    assert (TransitionEvent.objects.count(), Notification.objects.count()) == before
    assert not SignedVersion.objects.filter(evaluation=evaluation).exists()


def test_sign_off_stores_the_version_it_signs(evaluation):
    step(evaluation, Step.SUBMIT, TeamRole.LEAD)
    event = step(evaluation, Step.SIGN_OFF, TeamRole.REVIEWER)
    signed = SignedVersion.objects.get(evaluation=evaluation)
    assert (signed.version, signed.signed_by, signed.signed_at) == (1, evaluation.people[TeamRole.REVIEWER], event.at)
    # the small system has a first level wholly bound to 预算执行率, so the 自评表 is stored too
    assert sorted(signed.files.values_list("format", flat=True)) == ["docx", "pdf", "selfeval-docx", "selfeval-xlsx", "xlsx"]
