"""复核意见: a reviewer writes on a target, the team answers, the reviewer closes; open ones block sign-off."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.enums import EvaluationStatus, TeamRole
from reports import comments
from reports.enums import Step
from reports.models import ReviewComment
from reports.workflow import TransitionRefused, take_step
from tests.reports.ready import ready_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    evaluation = ready_evaluation(EvaluationStatus.SCORING)
    take_step(evaluation, Step.SUBMIT, evaluation.people[TeamRole.LEAD])
    evaluation.refresh_from_db()
    return evaluation


def test_thread_and_blocking(evaluation):
    people = evaluation.people
    reviewer, lead, staff = people[TeamRole.REVIEWER], people[TeamRole.LEAD], people[TeamRole.STAFF]
    note = comments.open_comment(evaluation, reviewer, kind="indicator", key="A11", text="请补充年度工作计划。")
    assert (note.target_label, note.version, note.is_open) == ("A11绩效目标合理性", 1, True)
    with pytest.raises(TransitionRefused, match="复核意见未关闭：A11绩效目标合理性——请补充年度工作计划。"):
        take_step(evaluation, Step.SIGN_OFF, reviewer)
    take_step(evaluation, Step.RETURN, reviewer, comment="见复核意见。")
    comments.answer_comment(note, lead, "已补充，见佐证材料。")
    comments.answer_comment(note, staff, "计划扫描件已上传。")
    with pytest.raises(ValidationError, match="只有项目负责人、质控复核人和机构负责人可以提出、关闭复核意见。"):
        comments.close_comment(note, lead)
    take_step(evaluation, Step.SUBMIT, lead)
    with pytest.raises(TransitionRefused, match="复核意见未关闭"):
        take_step(evaluation, Step.SIGN_OFF, reviewer)
    comments.close_comment(note, reviewer)
    assert [r.text for r in note.replies.all()] == ["已补充，见佐证材料。", "计划扫描件已上传。"]
    take_step(evaluation, Step.SIGN_OFF, reviewer)
    with pytest.raises(ValidationError, match="报告已签发，不能再修改。"):
        comments.answer_comment(note, lead, "再补一句。")
    with pytest.raises(ValidationError, match="报告已签发"):
        comments.open_comment(evaluation, reviewer, kind="indicator", key="A11", text="还有一点。")


def test_who_writes_what(evaluation):
    people = evaluation.people
    with pytest.raises(ValidationError, match="只有项目负责人、质控复核人和机构负责人可以提出、关闭复核意见。"):
        comments.open_comment(evaluation, people[TeamRole.LEAD], kind="indicator", key="A11", text="自己提意见")
    note = comments.open_comment(evaluation, people[TeamRole.QUALITY], kind="budget", key="income", text="核对收入。")
    with pytest.raises(ValidationError, match="只有评价人员、主评人、项目负责人、质控复核人和机构负责人可以回复复核意见。"):
        comments.answer_comment(note, people["outsider"], "我来回复")
    comments.close_comment(note, people[TeamRole.REVIEWER])
    with pytest.raises(ValidationError, match="已关闭，不能再回复"):
        comments.answer_comment(note, people[TeamRole.LEAD], "晚了")


@pytest.mark.parametrize(("kind", "key", "label", "link"), [
    ("indicator", "A11", "A11绩效目标合理性", "/indicators/A11/"),
    ("section", "conclusion", "评价结论", "/report/#section-conclusion"),
    ("section", "problems", "存在的问题及原因分析", "/report/#problems"),
    ("budget", "expense", "表2-2 支出预算执行情况表", "/budget/#table-expense"),
])
def test_targets_have_labels_and_links(evaluation, kind, key, label, link):
    note = comments.open_comment(evaluation, evaluation.people[TeamRole.REVIEWER], kind=kind, key=key, text="请核对。")
    assert note.target_label == label
    assert comments.target_url(note).endswith(link)


def test_a_questionnaire_target_and_unknown_targets(evaluation):
    reviewer = evaluation.people[TeamRole.REVIEWER]
    questionnaire = evaluation.questionnaires.get(group="企业和办事群众")
    note = comments.open_comment(evaluation, reviewer, kind="survey", key=str(questionnaire.pk), text="份数对不上。")
    assert note.target_label == "企业和办事群众问卷"
    assert comments.target_url(note) == reverse("survey_detail", args=[evaluation.pk, questionnaire.pk])
    for kind, key in [("indicator", "Z99"), ("section", "nope"), ("budget", "x"), ("survey", "abc"), ("other", "A11")]:
        with pytest.raises(ValidationError, match="请选择复核意见针对的"):
            comments.open_comment(evaluation, reviewer, kind=kind, key=key, text="x")


def test_comments_keep_the_version_they_were_written_on(evaluation):
    reviewer = evaluation.people[TeamRole.REVIEWER]
    take_step(evaluation, Step.SIGN_OFF, reviewer)
    take_step(evaluation, Step.REOPEN, reviewer, comment="补充附件。")
    evaluation.refresh_from_db()
    note = comments.open_comment(evaluation, reviewer, kind="indicator", key="A11", text="第二版再看。")
    assert note.version == 2


def test_the_panel_on_the_indicator_page_lets_the_reviewer_write_and_the_team_answer(client, evaluation):
    people = evaluation.people
    url = reverse("judgment_edit", args=[evaluation.pk, "A11"])
    client.force_login(people[TeamRole.REVIEWER])
    page = client.get(url).content.decode()
    assert 'data-testid="review-comment-form"' in page
    response = client.post(reverse("review_comment_create", args=[evaluation.pk]),
                           {"kind": "indicator", "key": "A11", "text": "会议纪要没有日期。", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    note = ReviewComment.objects.get(evaluation=evaluation)
    client.force_login(people[TeamRole.STAFF])
    page = client.get(url).content.decode()
    assert "会议纪要没有日期。" in page and 'data-testid="review-comment-form"' not in page
    assert reverse("review_comment_reply", args=[evaluation.pk, note.pk]) in page
    assert reverse("review_comment_close", args=[evaluation.pk, note.pk]) not in page
    client.post(reverse("review_comment_reply", args=[evaluation.pk, note.pk]), {"text": "已补日期。", "next": url})
    assert note.replies.get().text == "已补日期。"


def test_open_comments_on_the_evaluation_page_and_the_dashboard(client, evaluation):
    people = evaluation.people
    note = comments.open_comment(evaluation, people[TeamRole.REVIEWER], kind="section", key="conclusion", text="结论要写数据。")
    client.force_login(people[TeamRole.LEAD])
    page = client.get(reverse("evaluation_detail", args=[evaluation.pk])).content.decode()
    panel = page.split('data-testid="evaluation-open-comments"', 1)[1].split("</div>\n</div>", 1)[0]
    assert f'<a href="/evaluations/{evaluation.pk}/report/#section-conclusion">评价结论</a>：结论要写数据。' in panel
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "1条复核意见未关闭" in dashboard
    comments.close_comment(note, people[TeamRole.REVIEWER])
    assert "复核意见未关闭" not in client.get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_comment_list_queries_do_not_grow_with_comments(client, evaluation, count):
    people = evaluation.people
    for number in range(count):
        note = comments.open_comment(evaluation, people[TeamRole.REVIEWER], kind="indicator", key="A11", text=f"意见{number}")
        comments.answer_comment(note, people[TeamRole.LEAD], f"回复{number}")
    client.force_login(people[TeamRole.LEAD])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("review_comments", args=[evaluation.pk])).content.decode()
    assert page.count('data-testid="review-comment"') == count
    # session, user, organisation, evaluation, team, comments, replies, unread notifications
    assert len(queries) == 8
