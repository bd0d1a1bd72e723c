"""Bindings survive the template editor, and a bound leaf takes its value from its source."""

import copy
from decimal import Decimal

import pytest
from django.urls import reverse

from rubrics import services
from rubrics.models import IndicatorSystem
from rubrics.queries import evaluation_result
from surveys.services import load_demo_surveys
from tests.factories import YANJIN_BUDGET, EvaluationFactory, team

pytestmark = pytest.mark.django_db

SYSTEM = "decision-management-output-benefit"  # B11 bound to 预算调整率, D31 to the 企业和办事群众 survey


@pytest.fixture
def setup(client):
    evaluation = EvaluationFactory(budget=YANJIN_BUDGET)
    load_demo_surveys(evaluation)  # 企业和办事群众 90.43%
    system = next(s for s in services.install_builtin_systems(evaluation.firm) if s.slug == SYSTEM)
    client.force_login(team(evaluation)["outsider"])  # staff of the firm edit its templates
    return evaluation, system


def source(binding: dict | None) -> dict | None:
    """What a binding names as its source (ratio or survey), whatever else it holds."""
    return {key: value for key, value in (binding or {}).items() if key in ("ratio", "survey")} or None


def edit(client, system, editing, **changes):
    """Open the node in the editor, change some fields, save: what a user does in the browser."""
    form = client.get(reverse("system_detail", args=[system.pk]), {"edit": editing}).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    data.update(changes, editing=editing, adding_under="")
    response = client.post(reverse("system_node_save", args=[system.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    return services.find_node(IndicatorSystem.objects.get(pk=system.pk).tree, changes.get("code", editing))


EVERY_FIELD = [
    {"name": "改过的名称"},
    {"explanation": "改过的指标解释"},
    {"basis": "改过的评价依据"},
    {"target": "改过的标杆值"},
    {"criteria": "改过的评分标准"},
    {"kind": "bonus"},
    {"kind": "normal"},
    {"weight": "9"},
    {"code": "CODE_X"},
    {"code": "CODE"},
]


@pytest.mark.parametrize(
    ("code", "weight", "binding", "rule_change"),
    [
        ("B11", "2", {"ratio": "budget_adjustment_rate"}, {"rule_rate_deviation_threshold": "-10"}),
        ("D31", "6", {"survey": "企业和办事群众"}, {"rule_bands_bands": "90 5.5\n85 5"}),
    ],
)
def test_editing_every_field_of_a_bound_node_keeps_its_binding_and_its_source(client, setup, code, weight, binding, rule_change):
    evaluation, system = setup
    assert source(services.find_node(system.tree, code)["binding"]) == binding
    current = code
    for change in [*EVERY_FIELD, rule_change, {"weight": weight}]:
        change = {name: value.replace("CODE", code) for name, value in change.items()}
        node = edit(client, system, current, **change)
        current = node["code"]
        assert source(node["binding"]) == binding, change
    assert node["binding"] == binding  # the source and nothing else is stored
    assert services.tree_problems(IndicatorSystem.objects.get(pk=system.pk).tree) == []

    services.copy_system_into(evaluation, IndicatorSystem.objects.get(pk=system.pk).tree, source_name=system.name)
    scored = evaluation_result(evaluation)
    node = scored.result.node(code)
    services.import_judgments(evaluation, {code: {"inputs": {}}})  # saved as read from its source
    scored = evaluation_result(evaluation)
    node = scored.result.node(code)
    if code == "B11":  # (335.96 − 354.31) / 354.31 = −5.18%: 4.82 pp above −10%, 3% of 2 per pp off
        assert scored.bound[code].own.value == Decimal("-5.18")
        assert (node.score, node.sentence) == (
            Decimal("1.71"),
            "预算调整率-5.18%，高于-10%，超出4.82个百分点，每超出1%扣除权重分的3%，扣0.29分，得1.71分。",
        )
    else:  # the questionnaire's composite rate, in the band the edited rule gives 5.5 points
        assert scored.bound[code].own.value == Decimal("90.43")
        assert (node.score, node.sentence) == (Decimal("5.50"), "满意度90.43%，处于≥90%区间，得5.50分。")


def test_a_bands_rule_bound_to_a_ratio_is_really_bound(client, setup):
    evaluation, system = setup
    node = edit(client, system, "B11", rule_kind="bands", rule_bands_bands="0 2\n-10 1", rule_bands_percent=True)
    assert (node["rule"]["kind"], source(node["binding"])) == ("bands", {"ratio": "budget_adjustment_rate"})
    assert node["rule"]["bands"] == [{"min": "0", "score": "2"}, {"min": "-10", "score": "1"}]

    services.copy_system_into(evaluation, IndicatorSystem.objects.get(pk=system.pk).tree, source_name=system.name)
    services.import_judgments(evaluation, {"B11": {"inputs": {}}})
    result = evaluation_result(evaluation).result
    assert (result.node("B11").score, result.node("B11").error) == (Decimal("1.00"), None)
    assert result.node("B11").sentence == "预算调整率-5.18%，处于≥-10%且<0%区间，得1.00分。"


def test_the_editor_binds_a_survey_and_refuses_two_sources_or_a_rule_that_takes_none(client, setup):
    _, system = setup
    node = edit(client, system, "B11", binding_ratio="", binding_survey="企业和办事群众")
    assert node["binding"] == {"survey": "企业和办事群众"}

    form = client.get(reverse("system_detail", args=[system.pk]), {"edit": "B11"}).context["form"]
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    both = client.post(reverse("system_node_save", args=[system.pk]),
                       {**data, "editing": "B11", "binding_ratio": "budget_execution_rate"})
    assert both.content.decode().count("数据来源只能选一个：预算数据或满意度问卷。") == 1
    yes_no = client.post(reverse("system_node_save", args=[system.pk]), {**data, "editing": "B11", "rule_kind": "yes_no"})
    assert yes_no.content.decode().count("B11：评分规则“是否符合（满分或零分）”没有可取自数据的输入，不能设置数据来源") == 1
    tree = IndicatorSystem.objects.get(pk=system.pk).tree
    assert services.find_node(tree, "B11")["binding"] == {"survey": "企业和办事群众"}
    assert services.find_node(tree, "B11")["rule"]["kind"] == "rate_deviation"


def test_a_node_without_binding_gets_none(client, setup):
    _, system = setup
    before = copy.deepcopy(services.find_node(system.tree, "A11"))
    node = edit(client, system, "A11", name="改名")
    assert node["binding"] is None and node["rule"] == before["rule"]
