"""Notifications: in the app with an unread count, and by e-mail once the step has committed."""

import pytest
from django.core import mail
from django.urls import reverse

from evaluations.enums import EvaluationStatus, TeamRole
from reports import comments
from reports.enums import NotificationKind, Step
from reports.models import Notification
from reports.notifications import notify
from reports.workflow import TransitionRefused, take_step
from rubrics.models import Judgment
from tests.reports.ready import ready_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return ready_evaluation(EvaluationStatus.SCORING)


def told(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("user__email", flat=True))


def test_each_step_tells_the_people_concerned_in_the_app_and_by_mail(evaluation, django_capture_on_commit_callbacks):
    people = evaluation.people
    lead, reviewer = people[TeamRole.LEAD], people[TeamRole.REVIEWER]
    with django_capture_on_commit_callbacks(execute=True):
        take_step(evaluation, Step.SUBMIT, lead)
    assert told(NotificationKind.SUBMITTED) == ["reviewer@example.cn"]
    assert [m.to for m in mail.outbox] == [["reviewer@example.cn"]]
    assert mail.outbox[0].subject.startswith("【绩效评价工作台】")
    assert "请进行第1级复核（项目负责人）" in mail.outbox[0].body
    assert f"/evaluations/{evaluation.pk}/review/" in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        take_step(evaluation, Step.RETURN, reviewer, comment="A11请补充佐证。")
    assert told(NotificationKind.RETURNED) == ["lead@example.cn", "staff@example.cn"]
    assert "请修改：A11请补充佐证。" in mail.outbox[-1].body

    note = comments.open_comment(evaluation, reviewer, kind="indicator", key="A11", text="会议纪要？")
    with django_capture_on_commit_callbacks(execute=True):
        comments.answer_comment(note, lead, "已上传。")
    assert told(NotificationKind.ANSWERED) == ["reviewer@example.cn"]
    comments.close_comment(note, reviewer)

    take_step(evaluation, Step.SUBMIT, lead)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        take_step(evaluation, Step.SIGN_OFF, reviewer)
    assert told(NotificationKind.SIGNED) == ["head@example.cn", "lead@example.cn", "quality@example.cn", "staff@example.cn"]
    assert told(NotificationKind.DELIVERED) == ["bureau@example.cn"]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "bureau@example.cn", "head@example.cn", "lead@example.cn", "quality@example.cn", "staff@example.cn"
    ]
    with django_capture_on_commit_callbacks(execute=True):
        take_step(evaluation, Step.REOPEN, reviewer, comment="第三章笔误。")
    assert told(NotificationKind.REOPENED) == [
        "bureau@example.cn", "head@example.cn", "lead@example.cn", "quality@example.cn", "staff@example.cn"
    ]
    assert "将出具第2版" in mail.outbox[-1].body


def test_a_refused_step_tells_nobody(evaluation, django_capture_on_commit_callbacks):
    Judgment.objects.filter(indicator__evaluation=evaluation).delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(TransitionRefused):
        take_step(evaluation, Step.SUBMIT, evaluation.people[TeamRole.LEAD])
    assert callbacks == [] and mail.outbox == [] and not Notification.objects.exists()


def test_mail_leaves_only_after_commit(evaluation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        take_step(evaluation, Step.SUBMIT, evaluation.people[TeamRole.LEAD])
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["reviewer@example.cn"]]


def test_unread_count_in_the_navbar_and_reading(client, evaluation):
    take_step(evaluation, Step.SUBMIT, evaluation.people[TeamRole.LEAD])
    reviewer = evaluation.people[TeamRole.REVIEWER]
    client.force_login(reviewer)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="unread-count">1</span>' in page
    notification = Notification.objects.get(user=reviewer)
    listing = client.get(reverse("notification_list")).content.decode()
    assert notification.message in listing
    response = client.post(reverse("notification_read", args=[notification.pk]))
    assert response["Location"] == f"/evaluations/{evaluation.pk}/review/"
    assert 'data-testid="unread-count"' not in client.get(reverse("dashboard")).content.decode()
    client.force_login(evaluation.people[TeamRole.LEAD])
    assert client.post(reverse("notification_read", args=[notification.pk])).status_code == 404


def test_a_message_with_line_breaks_makes_a_one_line_subject(evaluation, django_capture_on_commit_callbacks):
    reviewer = evaluation.people[TeamRole.REVIEWER]
    with django_capture_on_commit_callbacks(execute=True):
        notify([reviewer], kind=NotificationKind.OPINION, evaluation=evaluation,
               message="意见如下：\n第一，补充依据；\r\n第二，改正笔误。")
    assert [m.subject for m in mail.outbox] == ["【绩效评价工作台】意见如下： 第一，补充依据； 第二，改正笔误。"]
    assert "意见如下：\n第一，补充依据；" in mail.outbox[0].body  # the body keeps the lines
