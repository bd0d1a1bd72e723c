"""History that says what changed: old → new per field with who and when, for judgments, budget figures,
survey counts, the team and the evaluation's own fields; a save that changes nothing adds no entry."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations import services as evaluation_services
from evaluations.enums import EvaluationStatus, TeamRole
from evaluations.models import BudgetFigures, Evaluation
from rubrics import services
from rubrics.models import Judgment
from surveys import services as survey_services
from surveys.models import Option, Questionnaire
from tests.factories import YANJIN_BUDGET, EvaluationFactory, UserFactory, economic_line, small_rubric, team
from tests.test_budget_views import edit_payload
from tests.test_edit_conflicts import counts_form, revision_on

pytestmark = pytest.mark.django_db

CHECKLIST_TREE = [
    {"code": "A", "name": "部门决策", "weight": "100", "children": [
        {"code": "A1", "name": "目标设定", "weight": "100", "children": [
            {"code": "A11", "name": "年度工作计划明确性", "weight": "100",
             "points": ["制定了年度工作计划", "年度计划工作分解到各科室"],
             "rule": {"kind": "checklist", "items": 2}},
        ]},
    ]},
]


def entries(html: str) -> list[str]:
    """The 修改记录 rows as text: 时间 | 修改人 | 内容 | each field's 原值 → 新值."""
    rows = re.findall(r'<tr data-testid="history-entry">(.*?)</tr>', html, re.S)
    return [" | ".join(re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)) for row in rows]


@pytest.fixture
def checklist(client):
    evaluation = EvaluationFactory(budget=YANJIN_BUDGET)
    services.copy_system_into(evaluation, CHECKLIST_TREE, source_name="测试")
    people = team(evaluation)
    client.force_login(people[TeamRole.LEAD])
    return evaluation, people


def save(client, evaluation, data, code="A11"):
    url = reverse("judgment_edit", args=[evaluation.pk, code])
    revision = revision_on(client.get(url).content.decode())
    return client.post(url, {"revision": revision, "applicable": "on", **data})


# --------------------------------------------------------------------------
# A judgment


def test_the_judgment_history_shows_old_and_new_for_each_changed_field(client, checklist):
    evaluation, people = checklist
    save(client, evaluation, {"met_0": "1", "met_1": "1", "process": "计划完整。"})
    save(client, evaluation, {"met_0": "1", "met_1": "0", "process": "计划未分解到科室。",
                              "override_score": "40", "override_reason": "已部分分解"})

    html = client.get(reverse("judgment_edit", args=[evaluation.pk, "A11"])).content.decode()

    lead = people[TeamRole.LEAD].display_name
    latest, first = entries(html)
    assert re.match(rf"\d{{4}}-\d\d-\d\d \d\d:\d\d \| {lead} \| 修改评分记录 \| ", latest)
    for change in ("② 年度计划工作分解到各科室：符合 → 不符合", "本项得分：100.00 → 40.00", "调整后得分：— → 40.00",
                   "调整理由：— → 已部分分解", "评分过程：计划完整。 → 计划未分解到科室。"):
        assert change in latest
    assert "① 制定了年度工作计划" not in latest  # unchanged fields are not listed
    assert f"| {lead} | 新增评分记录 |" in first and "① 制定了年度工作计划：符合" in first


def test_a_save_that_changes_nothing_adds_no_history_entry(client, checklist):
    evaluation, _ = checklist
    save(client, evaluation, {"met_0": "1", "met_1": "0", "process": "计划未分解到科室。"})
    judgment = Judgment.objects.get(indicator__evaluation=evaluation)
    before = (judgment.history.count(), judgment.revision, judgment.updated_at)

    response = save(client, evaluation, {"met_0": "1", "met_1": "0", "process": "计划未分解到科室。"})

    assert response.status_code == 302
    judgment.refresh_from_db()
    assert (judgment.history.count(), judgment.revision, judgment.updated_at) == before
    html = client.get(reverse("judgment_edit", args=[evaluation.pk, "A11"])).content.decode()
    assert len(entries(html)) == 1


def test_a_bound_value_that_changed_is_recorded_when_saved_again(client):
    evaluation = small_rubric(EvaluationFactory(budget=YANJIN_BUDGET))
    client.force_login(team(evaluation)[TeamRole.STAFF])
    BudgetFigures.objects.filter(evaluation=evaluation).update(project_final=Decimal("100.00"))

    save(client, evaluation, {}, code="B11")

    html = client.get(reverse("judgment_edit", args=[evaluation.pk, "B11"])).content.decode()
    assert "预算执行率（取自预算数据）：100.00% → 83.37%" in entries(html)[0]


# --------------------------------------------------------------------------
# Budget figures


def test_the_budget_history_shows_figures_and_lines_old_and_new(client):
    evaluation = EvaluationFactory(budget=YANJIN_BUDGET)
    economic_line(evaluation, name="基本工资", amount="82.60")
    staff = team(evaluation)[TeamRole.STAFF]
    client.force_login(staff)
    url = reverse("budget_edit", args=[evaluation.pk])

    client.post(url, edit_payload(evaluation, personnel_final="150.00", revision=revision_on(client.get(url).content.decode()),
                                  **{"economic-0-amount": "90.00"}))

    html = client.get(reverse("budget_detail", args=[evaluation.pk])).content.decode()
    rows = entries(html)
    assert any(f"| {staff.display_name} | 修改预算数据 | 人员经费·决算数：161.75 → 150.00" in row for row in rows)
    assert any(f"| {staff.display_name} | 修改表2-3 基本支出明细“基本工资” | 支出金额（万元）：82.60 → 90.00" in row for row in rows)


def test_an_unchanged_budget_save_adds_no_entry(client):
    evaluation = EvaluationFactory(budget=YANJIN_BUDGET)
    economic_line(evaluation, name="基本工资", amount="82.60")
    client.force_login(team(evaluation)[TeamRole.STAFF])
    url = reverse("budget_edit", args=[evaluation.pk])
    budget = BudgetFigures.objects.get(evaluation=evaluation)
    before = (budget.history.count(), budget.revision)
    shown = entries(client.get(reverse("budget_detail", args=[evaluation.pk])).content.decode())
    assert [row.split(" | ", 2)[2][:8] for row in shown] == ["新增表2-3 基", "新增预算数据 |"]  # as created

    response = client.post(url, edit_payload(evaluation, revision=revision_on(client.get(url).content.decode())))

    assert response.status_code == 302
    budget.refresh_from_db()
    assert (budget.history.count(), budget.revision) == before
    assert entries(client.get(reverse("budget_detail", args=[evaluation.pk])).content.decode()) == shown


# --------------------------------------------------------------------------
# Survey counts


def test_the_survey_history_shows_counts_old_and_new_and_skips_unchanged_saves(client):
    evaluation = EvaluationFactory()
    questionnaire = survey_services.copy_builtin(evaluation, "hall-staff")
    staff = team(evaluation)[TeamRole.STAFF]
    client.force_login(staff)
    url = reverse("survey_counts", args=[evaluation.pk, questionnaire.pk])
    typed = {"counts-0-count": "49", "valid": "55", "returned": "55", "issued": "55"}

    client.post(url, {**counts_form(client.get(url).content.decode()), **typed})
    option_history = Option.history.count()
    client.post(url, {**counts_form(client.get(url).content.decode()), **typed})  # the same again

    assert Option.history.count() == option_history
    assert Questionnaire.objects.get(pk=questionnaire.pk).revision == 1
    rows = entries(client.get(reverse("survey_detail", args=[evaluation.pk, questionnaire.pk])).content.decode())
    assert any(f"| {staff.display_name} | 修改第1题“您对目前大厅的整体办公环境是否满意?”选项“非常满意” | 份数：0 → 49" in row
               for row in rows)
    assert any("修改问卷 | " in row and "有效问卷（份）：0 → 55" in row for row in rows)


# --------------------------------------------------------------------------
# The team and the evaluation's own fields


def test_team_changes_and_engagement_fields_are_in_the_evaluations_history(client):
    evaluation = EvaluationFactory()
    people = team(evaluation)
    lead = people[TeamRole.LEAD]
    newcomer = UserFactory(organization=evaluation.firm, full_name="新同事")
    client.force_login(lead)

    client.post(reverse("evaluation_team", args=[evaluation.pk]), {"user": newcomer.pk, "role": TeamRole.STAFF})
    client.post(reverse("evaluation_team", args=[evaluation.pk]), {"user": newcomer.pk, "role": TeamRole.LEAD})
    evaluation_services.update_evaluation(
        Evaluation.objects.get(pk=evaluation.pk), department=evaluation.department, year=evaluation.year,
        bureau=evaluation.bureau, bureau_section="绩效管理科",
    )

    rows = entries(client.get(reverse("evaluation_detail", args=[evaluation.pk])).content.decode())
    assert any(f"| {lead.display_name} | 新增团队成员新同事 | 成员：新同事角色：评价人员" in row for row in rows)
    assert any(f"| {lead.display_name} | 修改团队成员新同事 | 角色：评价人员 → 主评人" in row for row in rows)
    assert any(f"| {lead.display_name} | 修改团队成员{lead.display_name} | 角色：主评人 → 评价人员" in row for row in rows)
    assert any("| 系统 | 修改项目信息 | 财政局分管科室：— → 绩效管理科" in row for row in rows)


def test_an_unchanged_engagement_save_adds_no_entry():
    evaluation = EvaluationFactory(bureau_section="绩效管理科")
    count = evaluation.history.count()

    evaluation_services.update_evaluation(
        Evaluation.objects.get(pk=evaluation.pk), department=evaluation.department, year=evaluation.year,
        bureau=evaluation.bureau, bureau_section="绩效管理科",
    )

    assert evaluation.history.count() == count


def test_the_bureau_never_sees_the_history(client):
    evaluation = small_rubric(EvaluationFactory(budget=YANJIN_BUDGET))
    people = team(evaluation)
    questionnaire = survey_services.copy_builtin(evaluation, "hall-staff")
    Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.SIGNED)
    client.force_login(people["bureau"])

    for url in (reverse("evaluation_detail", args=[evaluation.pk]), reverse("budget_detail", args=[evaluation.pk]),
                reverse("survey_detail", args=[evaluation.pk, questionnaire.pk]),
                reverse("judgment_edit", args=[evaluation.pk, "A11"])):
        html = client.get(url).content.decode()
        assert 'data-testid="history"' not in html and "修改记录" not in html, url
    client.force_login(people[TeamRole.REVIEWER])
    assert 'data-testid="history"' in client.get(reverse("budget_detail", args=[evaluation.pk])).content.decode()
