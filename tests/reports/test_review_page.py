"""The 审核与签发 page: the state, the check list with links, the steps each reader may take, the record."""

import pytest
from django.urls import reverse

from evaluations.enums import EvaluationStatus, TeamRole
from evaluations.models import Evaluation
from reports.models import TransitionEvent
from rubrics.models import Judgment
from tests.reports.ready import ready_evaluation, with_a_warning

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return ready_evaluation(EvaluationStatus.SCORING)


def page(client, evaluation, user):
    client.force_login(user)
    return client.get(reverse("evaluation_review", args=[evaluation.pk])).content.decode()


def post(client, evaluation, name, **data):
    return client.post(reverse(name, args=[evaluation.pk]), data, follow=True).content.decode()


def section(html, testid):
    return html.split(f'data-testid="{testid}"', 1)[1].split("</div>\n    </div>", 1)[0]


def test_a_blocking_check_disables_submission_and_says_where_to_fix_it(client, evaluation):
    Judgment.objects.filter(indicator__evaluation=evaluation, indicator__code="A11").update(process="得分=3分。")
    lead = evaluation.people[TeamRole.LEAD]
    html = page(client, evaluation, lead)
    checks = section(html, "check-list")
    assert "提交审核前检查：" in checks and "1项须修改" in checks
    assert (f'<a class="link-dark" href="/evaluations/{evaluation.pk}/indicators/A11/">'
            "A11绩效目标合理性：评分过程写得3分，计算得分为40.00分，请修改评分过程。</a>") in checks
    submit = section(html, "step-submit")
    assert "disabled" in submit and "还有1项须修改，不能提交审核。" in submit
    after = post(client, evaluation, "evaluation_submit", acknowledge="on")
    assert "不能提交审核：A11绩效目标合理性：评分过程写得3分" in after
    assert Evaluation.objects.get(pk=evaluation.pk).status == EvaluationStatus.SCORING


def test_warnings_must_be_ticked_then_the_reviewer_returns_and_signs(client, evaluation):
    with_a_warning(evaluation)
    lead, reviewer = evaluation.people[TeamRole.LEAD], evaluation.people[TeamRole.REVIEWER]
    html = page(client, evaluation, lead)
    assert "已阅读并确认右侧1条“需确认”的提示" in section(html, "step-submit")
    assert "有1条提示需要确认" in post(client, evaluation, "evaluation_submit")
    assert "已提交审核。" in post(client, evaluation, "evaluation_submit", acknowledge="on", comment="请复核。")
    html = page(client, evaluation, reviewer)
    assert "待审核</strong>（第1级复核（项目负责人））" in html
    assert 'data-testid="step-return"' in html and 'data-testid="step-sign_off"' in html
    assert "请填写退回修改的意见。" in post(client, evaluation, "evaluation_return")
    assert "已退回修改。" in post(client, evaluation, "evaluation_return", comment="联系人请补上。")
    page(client, evaluation, lead)
    post(client, evaluation, "evaluation_submit", acknowledge="on")
    client.force_login(reviewer)
    html = post(client, evaluation, "evaluation_sign_off", acknowledge="on")
    assert "已签发。" in html
    events = section(html, "events")
    assert events.count("<tr>") == 5  # header + submit, return, submit, sign-off
    assert "联系人请补上。" in events and "确认了1条提示" in events
    assert [e.step for e in TransitionEvent.objects.filter(evaluation=evaluation)] == [
        "submit", "return", "submit", "sign_off"
    ]


def test_each_reader_sees_the_steps_he_may_take(client, evaluation):
    people = evaluation.people
    assert 'data-testid="step-submit"' in page(client, evaluation, people[TeamRole.LEAD])
    staff = page(client, evaluation, people[TeamRole.STAFF])
    assert 'data-testid="step-' not in staff and 'data-testid="check-list"' in staff
    reviewer = page(client, evaluation, people[TeamRole.REVIEWER])
    assert 'data-testid="step-' not in reviewer
    client.force_login(people[TeamRole.LEAD])
    post(client, evaluation, "evaluation_submit")
    quality = page(client, evaluation, people[TeamRole.QUALITY])
    assert "只有项目负责人可以退回修改（本机构实行1级复核）。" in section(quality, "step-return")
    assert "<form" not in section(quality, "step-sign_off")


def test_the_bureau_checklist_shows_the_points_at_stake(client, evaluation):
    Evaluation.objects.filter(pk=evaluation.pk).update(report_date=None)
    html = page(client, evaluation, evaluation.people[TeamRole.REVIEWER])
    checklist = section(html, "bureau-checklist")
    assert "可能扣2分" in checklist
    assert "封面要素齐全（项目单位、委托单位、评价单位、评价日期）" in checklist and "✗ 扣2分" in checklist
    assert checklist.count("✓ 符合") == 8  # the nine items the pre-flight checks, the cover failing
