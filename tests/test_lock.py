"""After sign-off nothing changes, whichever way the write comes: services and commands included."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from evaluations import services
from evaluations.enums import EvaluationStatus, TeamRole
from evaluations.models import Evaluation
from rubrics import services as rubric_services
from rubrics.models import Indicator
from surveys.services import load_demo_surveys
from tests.factories import SMALL_TREE, EvaluationFactory, UserFactory, small_rubric, team

pytestmark = pytest.mark.django_db

LOCKED = "报告已签发，不能再修改。"


@pytest.fixture
def signed():
    evaluation = small_rubric(EvaluationFactory())
    load_demo_surveys(evaluation)
    team(evaluation)
    Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.SIGNED)
    return Evaluation.objects.get(pk=evaluation.pk)


def test_budget_team_indicators_and_judgments_are_frozen(signed):
    with pytest.raises(ValidationError, match=LOCKED):
        services.save_budget(signed, {"general_final": 1})
    with pytest.raises(ValidationError, match=LOCKED):
        services.add_member(signed, UserFactory(organization=signed.firm), TeamRole.STAFF)
    with pytest.raises(ValidationError, match=LOCKED):
        rubric_services.save_judgment(Indicator.objects.get(evaluation=signed, code="A11"), inputs={"yes": False}, user=None)
    other = EvaluationFactory(firm=signed.firm, year=2030, status=EvaluationStatus.SIGNED)
    with pytest.raises(ValidationError, match=LOCKED):
        rubric_services.copy_system_into(other, SMALL_TREE, source_name="x")


def test_survey_import_command_refuses_a_signed_evaluation(signed, tmp_path):
    workbook = Workbook()
    workbook.active.append(["序号", "1.您对大厅服务人员接待及协助是否满意?"])
    workbook.active.append([1, "很满意"])
    path = tmp_path / "答卷.xlsx"
    workbook.save(path)
    with pytest.raises(CommandError, match=LOCKED):
        call_command("import_survey", str(path), "--evaluation", str(signed.pk), "--group", "窗口工作人员",
                     stdout=io.StringIO(), stderr=io.StringIO())
    assert sorted(signed.questionnaires.values_list("group", flat=True)) == ["企业和办事群众", "大厅入驻单位工作人员"]
