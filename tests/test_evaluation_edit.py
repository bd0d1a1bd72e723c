"""Editing an evaluation's facts goes through ``evaluations.services.update_evaluation``, guarded like every write."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evalsite.accounts.models import Organization
from evaluations import services
from evaluations.enums import EvaluationStatus, TeamRole
from evaluations.models import Evaluation
from tests.factories import DepartmentFactory, EvaluationFactory, team

pytestmark = pytest.mark.django_db

LOCKED = "报告已签发，不能再修改。"


def test_a_signed_evaluation_is_not_edited_whoever_asks():
    evaluation = EvaluationFactory(status=EvaluationStatus.SIGNED, fund_source="一般公共预算")
    with pytest.raises(ValidationError, match=LOCKED):
        services.update_evaluation(evaluation, department=evaluation.department, fund_source="政府性基金", new_bureau="新财政局")
    stored = Evaluation.objects.get(pk=evaluation.pk)
    assert stored.fund_source == "一般公共预算"
    assert not Organization.objects.filter(name="新财政局").exists()


def test_another_firms_department_is_refused():
    evaluation = EvaluationFactory()
    with pytest.raises(ValidationError, match="部门不属于本评价机构。"):
        services.update_evaluation(evaluation, department=DepartmentFactory())
    assert Evaluation.objects.get(pk=evaluation.pk).department == evaluation.department


def test_the_edit_page_saves_through_the_service_with_a_new_bureau(client):
    evaluation = EvaluationFactory()
    client.force_login(team(evaluation)[TeamRole.REVIEWER])  # only the 项目负责人 changes the 委托单位
    response = client.post(
        reverse("evaluation_edit", args=[evaluation.pk]),
        {"department": evaluation.department.pk, "year": "2023", "new_bureau": "沙湾市财政局", "fund_source": "一般公共预算"},
    )
    assert response.status_code == 302
    stored = Evaluation.objects.get(pk=evaluation.pk)
    assert (stored.year, stored.bureau.name, stored.fund_source) == (2023, "沙湾市财政局", "一般公共预算")
