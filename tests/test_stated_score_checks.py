"""One reader of the score a 评分过程 states: the indicator pages and the report checks flag the same texts."""

import pytest
from django.urls import reverse

from evaluations.enums import TeamRole
from reports.checks import check_context, run_checks
from rubrics import services
from tests.factories import EvaluationFactory, team

pytestmark = pytest.mark.django_db

TREE = [
    {"code": "A", "name": "部门决策", "weight": "100", "children": [
        {"code": "A1", "name": "目标设定", "weight": "100", "children": [
            {"code": "A11", "name": "绩效目标合理性", "weight": "100", "rule": {"kind": "yes_no"}},
        ]},
    ]},
    {"code": "D", "name": "加减分项", "weight": "0", "kind": "adjustment", "children": [
        {"code": "D1", "name": "加减分", "weight": "0", "kind": "adjustment", "children": [
            {"code": "D11", "name": "违法违纪情况", "weight": "2", "kind": "deduction", "rule": {"kind": "yes_no"}},
        ]},
    ]},
]
PAGE_WARNING = "评分过程中写的得分（1分）与当前得分（2.00分）不一致，请修改评分过程。"


@pytest.mark.parametrize("process", ["存在违规情况，扣1分。", "经核查存在违纪情况，依据评分细则，本项指标扣1分。"])
def test_a_deduction_stating_another_amount_is_flagged_on_the_page_and_in_the_report_alike(client, process):
    evaluation = EvaluationFactory()
    services.copy_system_into(evaluation, TREE, source_name="测试")
    services.import_judgments(evaluation, {
        "A11": {"inputs": {"yes": True}, "process": "符合。"},
        "D11": {"inputs": {"yes": True}, "process": process},  # the engine takes off the whole 2 points
    })
    client.force_login(team(evaluation)[TeamRole.STAFF])

    judgment_page = client.get(reverse("judgment_edit", args=[evaluation.pk, "D11"])).content.decode()
    overview = client.get(reverse("rubric_overview", args=[evaluation.pk])).content.decode()
    checks = [finding.message for finding in run_checks(check_context(evaluation))]

    assert PAGE_WARNING in judgment_page
    assert f"D11：{PAGE_WARNING}" in overview
    assert "D11违法违纪情况：评分过程写得1分，计算得分为2.00分，请修改评分过程。" in checks
