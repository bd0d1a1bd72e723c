"""Creating and editing evaluations, their teams and departments in the browser forms."""

import pytest
from django.urls import reverse

from evalsite.accounts.models import Organization
from evaluations.enums import TeamRole
from evaluations.models import BudgetFigures, Department, Evaluation, Membership
from tests.factories import DepartmentFactory, EvaluationFactory, UserFactory, team

pytestmark = pytest.mark.django_db


def test_creating_an_evaluation_makes_the_creator_lead_and_a_new_bureau(client):
    department = DepartmentFactory()
    creator = UserFactory(organization=department.firm)
    client.force_login(creator)
    response = client.post(
        reverse("evaluation_create"),
        {"department": department.pk, "year": "2024", "new_bureau": "沙湾市财政局", "fund_source": "一般公共预算",
         "methods": ["因素分析法", "比较法"], "basis": "《预算绩效评价共性指标体系框架》\n\n  第二条依据 "},
    )
    evaluation = Evaluation.objects.get(department=department, year=2024)
    assert response.status_code == 302
    assert evaluation.bureau == Organization.objects.get(name="沙湾市财政局")
    assert evaluation.basis == ["《预算绩效评价共性指标体系框架》", "第二条依据"]
    assert Membership.objects.get(evaluation=evaluation).role == TeamRole.LEAD
    assert BudgetFigures.objects.filter(evaluation=evaluation).exists()


def test_creating_without_a_bureau_or_with_bad_dates_says_which_field(client):
    department = DepartmentFactory()
    client.force_login(UserFactory(organization=department.firm))
    page = client.post(
        reverse("evaluation_create"),
        {"department": department.pk, "year": "2024", "start_date": "2024-05-01", "end_date": "2024-04-01"},
    ).content.decode()
    assert "请选择委托单位，或在下方填写新的委托单位。" in page
    assert "评价结束日期不能早于开始日期。" in page
    assert not Evaluation.objects.exists()


def test_the_same_department_and_year_cannot_be_evaluated_twice(client):
    evaluation = EvaluationFactory()
    client.force_login(UserFactory(organization=evaluation.firm))
    page = client.post(
        reverse("evaluation_create"),
        {"department": evaluation.department.pk, "year": str(evaluation.year), "bureau": evaluation.bureau.pk},
    ).content.decode()
    assert f"{evaluation.department.name}{evaluation.year}年度的评价项目已存在。" in page
    assert Evaluation.objects.count() == 1


def test_team_keeps_one_lead_and_one_reviewer(client):
    evaluation = EvaluationFactory()
    people = team(evaluation)
    reviewer, lead = people[TeamRole.REVIEWER], people[TeamRole.LEAD]
    client.force_login(reviewer)
    url = reverse("evaluation_team", args=[evaluation.pk])

    def roles():
        return dict(Membership.objects.filter(evaluation=evaluation).values_list("user__username", "role"))

    page = client.post(url, {"user": lead.pk, "role": TeamRole.STAFF}).content.decode()
    assert "主评人不能直接改为其他角色" in page
    page = client.post(url, {"user": reviewer.pk, "role": TeamRole.LEAD}).content.decode()
    assert "本项目只有这一位项目负责人" in page
    lead_membership = Membership.objects.get(evaluation=evaluation, role=TeamRole.LEAD)
    response = client.post(reverse("evaluation_team_remove", args=[evaluation.pk, lead_membership.pk]), follow=True)
    assert "不能移除主评人" in response.content.decode()
    reviewer_membership = Membership.objects.get(evaluation=evaluation, role=TeamRole.REVIEWER)
    client.force_login(lead)
    response = client.post(reverse("evaluation_team_remove", args=[evaluation.pk, reviewer_membership.pk]), follow=True)
    assert "不能移除唯一的项目负责人" in response.content.decode()
    # handing the lead over: the outsider joins as 主评人, the former lead stays as 评价人员
    client.force_login(reviewer)
    client.post(url, {"user": people["outsider"].pk, "role": TeamRole.LEAD})
    assert roles()[people["outsider"].username] == TeamRole.LEAD
    assert roles()[lead.username] == TeamRole.STAFF
    assert list(roles().values()).count(TeamRole.LEAD) == 1


def test_nobody_names_himself_lead(client):
    evaluation = EvaluationFactory()
    people = team(evaluation)
    second_reviewer = UserFactory(organization=evaluation.firm)
    Membership.objects.create(evaluation=evaluation, user=second_reviewer, role=TeamRole.REVIEWER)
    client.force_login(second_reviewer)
    page = client.post(
        reverse("evaluation_team", args=[evaluation.pk]), {"user": second_reviewer.pk, "role": TeamRole.LEAD}
    ).content.decode()
    assert "不能把自己指定为主评人" in page
    assert Membership.objects.get(evaluation=evaluation, role=TeamRole.LEAD).user == people[TeamRole.LEAD]


def test_bureau_users_cannot_join_a_team(client):
    evaluation = EvaluationFactory()
    people = team(evaluation)
    client.force_login(people[TeamRole.LEAD])
    page = client.post(
        reverse("evaluation_team", args=[evaluation.pk]), {"user": people["bureau"].pk, "role": TeamRole.STAFF}
    ).content.decode()
    assert "选择一个有效的选项" in page
    assert not Membership.objects.filter(user=people["bureau"]).exists()


def test_department_form_keeps_lists_and_refuses_a_duplicate_name(client):
    department = DepartmentFactory(name="延津县政务服务和大数据管理局")
    client.force_login(UserFactory(organization=department.firm))
    page = client.post(reverse("department_create"), {"name": department.name, "admin_authorized": "8", "admin_actual": "7",
                                                      "institution_authorized": "0", "institution_actual": "0"}).content.decode()
    assert f"部门“{department.name}”已存在。" in page
    client.post(reverse("department_edit", args=[department.pk]), {
        "name": department.name, "internal_units": "办公室\n政务服务环境股\n", "functions": "统筹推进数字政府建设",
        "admin_authorized": "8", "admin_actual": "7", "institution_authorized": "13", "institution_actual": "13"})
    department.refresh_from_db()
    assert department.internal_units == ["办公室", "政务服务环境股"]
    assert (department.authorized_total, department.actual_total) == (21, 20)
    assert Department.objects.count() == 1
