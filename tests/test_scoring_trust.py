"""Scoring a 主评人 can trust: nothing untouched is scored, bound inputs are never typed, B12 scores its parts,
checklists show their points, a provisional total has no grade, and errors show once."""

import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from evalsite.lib.numbers import round_half_up
from evaluations import fiscal
from evaluations.enums import TeamRole
from evaluations.models import BudgetFigures, Evaluation, Membership
from evaluations.queries import figures_for
from rubrics import services
from rubrics.models import IndicatorSystem, Judgment
from rubrics.queries import evaluation_result
from tests.factories import EvaluationFactory, revision_of, small_rubric, team

pytestmark = pytest.mark.django_db

YANJIN = "延津县政务服务和大数据管理局"
SHAWAN = "沙湾市政务服务中心"


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())
    return {name: Evaluation.objects.get(department__name=name) for name in (YANJIN, SHAWAN)}


def lead_of(evaluation):
    return Membership.objects.get(evaluation=evaluation, role=TeamRole.LEAD).user


def page_of(client, evaluation, code):
    return client.get(reverse("judgment_edit", args=[evaluation.pk, code])).content.decode()


@pytest.fixture
def fresh_shawan(demo, client):
    """沙湾's tree with no judgments at all, its 主评人 logged in."""
    evaluation = demo[SHAWAN]
    Judgment.objects.filter(indicator__evaluation=evaluation).delete()
    client.force_login(lead_of(evaluation))
    return evaluation


# --------------------------------------------------------------------------
# 1. untouched is not scored
# --------------------------------------------------------------------------


def test_save_and_next_on_an_untouched_checklist_records_nothing_and_moves_on(client, fresh_shawan):
    url = reverse("judgment_edit", args=[fresh_shawan.pk, "A11"])

    response = client.post(url, {"revision": revision_of(fresh_shawan.pk, "A11"), "applicable": "on", "next_code": "A12"}, follow=True)

    assert response.redirect_chain[-1][0].endswith("/indicators/A12/")
    assert "A11中长期规划科学合理性：未填写任何内容，未保存，仍为未评分。" in response.content.decode()
    assert not Judgment.objects.filter(indicator__evaluation=fresh_shawan).exists()
    result = evaluation_result(fresh_shawan).result
    assert (result.node("A11").score, result.node("A11").status) == (None, "未评分")
    assert (result.provisional, result.grade, result.scored_count) == (True, None, 0)


@pytest.mark.parametrize("code", ["C11", "C31", "C53", "F1"])
def test_no_kind_of_untouched_page_records_a_score(client, fresh_shawan, code):
    client.post(reverse("judgment_edit", args=[fresh_shawan.pk, code]), {"revision": revision_of(fresh_shawan.pk, code), "applicable": "on", "next_code": "A11"})
    assert not Judgment.objects.filter(indicator__evaluation=fresh_shawan).exists()


def test_an_unanswered_point_is_not_yet_judged_and_a_partly_answered_checklist_is_not_scored(client, fresh_shawan):
    url = reverse("judgment_edit", args=[fresh_shawan.pk, "A11"])

    client.post(url, {"revision": revision_of(fresh_shawan.pk, "A11"), "applicable": "on", "met_0": "1", "met_2": "0"})

    judgment = Judgment.objects.get(indicator__evaluation=fresh_shawan, indicator__code="A11")
    assert judgment.inputs == {"met": [True, None, False, None]}
    node = evaluation_result(fresh_shawan).result.node("A11")
    assert (node.score, node.error, node.status) == (None, None, "未评分")
    assert node.pending == (
        "尚有2项评价要点未判断：第2项“依据自治区的总体规划，将任务落实到部门中长期规划”、"
        "第4项“中长期规划对部门各项职能的履行均进行了完整规划”"
    )
    page = page_of(client, fresh_shawan, "A11")
    assert "尚不能计分：尚有2项评价要点未判断" in page
    assert re.search(r'name="met_1" value="1"[^>]*checked', page) is None  # left unanswered, not 不符合
    overview = client.get(reverse("rubric_overview", args=[fresh_shawan.pk])).content.decode()
    assert 'data-code="A11"' in overview and 'data-state="unscored"' in overview


def test_an_override_with_a_reason_scores_an_indicator_without_inputs(client, fresh_shawan):
    client.post(reverse("judgment_edit", args=[fresh_shawan.pk, "A11"]),
                {"applicable": "on", "override_score": "1.5", "override_reason": "规划未覆盖全部职能"})
    node = evaluation_result(fresh_shawan).result.node("A11")
    assert (node.score, node.sentence) == (Decimal("1.50"), "评价组评定为1.50分，理由：规划未覆盖全部职能。")


# --------------------------------------------------------------------------
# 2. bound means bound
# --------------------------------------------------------------------------


def test_a_ratio_that_cannot_be_computed_names_the_missing_figure_and_cannot_be_typed(client, demo):
    """延津 B13: 结转结余变动率 needs 上年末结转结余, which the seed does not give."""
    evaluation = demo[YANJIN]
    client.force_login(lead_of(evaluation))
    page = page_of(client, evaluation, "B13")
    assert 'name="rate"' not in page
    assert "无法取得：年末结转和结余决算数、上年末结转结余未填写，无法计算。" in page
    assert f'href="{reverse("budget_detail", args=[evaluation.pk])}" data-testid="bound-source-link"' in page

    Judgment.objects.filter(indicator__evaluation=evaluation, indicator__code="B13").delete()
    client.post(reverse("judgment_edit", args=[evaluation.pk, "B13"]), {"revision": revision_of(evaluation.pk, "B13"), "applicable": "on", "rate": "-100"})
    preview = client.post(reverse("judgment_preview", args=[evaluation.pk, "B13"]), {"applicable": "on", "rate": "-100"})

    assert not Judgment.objects.filter(indicator__evaluation=evaluation, indicator__code="B13").exists()  # typed: ignored
    assert evaluation_result(evaluation).result.node("B13").score is None
    client.post(reverse("judgment_edit", args=[evaluation.pk, "B13"]), {"revision": revision_of(evaluation.pk, "B13"), "applicable": "on", "rate": "-100", "process": "待补"})
    node = evaluation_result(evaluation).result.node("B13")
    assert Judgment.objects.get(indicator__evaluation=evaluation, indicator__code="B13").inputs == {}
    assert (node.score, node.pending) == (None, "结转结余变动率：年末结转和结余决算数、上年末结转结余未填写，无法计算")
    assert "得满分" not in preview.content.decode()
    assert "尚不能计分：结转结余变动率：" in preview.content.decode()


def test_a_ratio_with_a_missing_operand_is_a_dash_on_the_budget_page(client, demo):
    """沙湾 stores 基本支出 unsplit: 人员经费占基本支出比例 has no 人员经费."""
    evaluation = demo[SHAWAN]
    client.force_login(lead_of(evaluation))
    page = client.get(reverse("budget_detail", args=[evaluation.pk])).content.decode()
    assert "人员经费决算数未填写，无法计算" in page
    row = re.search(r"人员经费占基本支出比例.{0,400}", page, re.S).group(0)
    assert "0.00%" not in row


def test_a_survey_bound_input_names_its_questionnaire_in_its_source_line_and_review_flag(client, demo):
    evaluation = demo[YANJIN]
    client.force_login(lead_of(evaluation))
    assert "输入取自满意度问卷：企业和办事群众（综合满意度）" in page_of(client, evaluation, "D31")

    Judgment.objects.filter(indicator__evaluation=evaluation, indicator__code="D31").update(bound_value=Decimal("50"))
    cache.clear()  # written around the services, which would have moved the content version
    page = page_of(client, evaluation, "D31")
    overview = client.get(reverse("rubric_overview", args=[evaluation.pk])).content.decode()
    assert "所用的满意度问卷：企业和办事群众已变化：综合满意度现为 90.43%" in page
    assert "D31：所用的满意度问卷：企业和办事群众已变化，请复核评分。" in overview
    assert "预算数据已变化" not in page + overview


# --------------------------------------------------------------------------
# 3. rules with several inputs: seed 002 B12
# --------------------------------------------------------------------------


def test_b12_with_project_spending_changed_scores_differently_from_the_overall_rate(client, demo):
    """延津 spends 140.27 of its 155.86 项目支出: 90.00% for projects, still 95.36% overall (full marks)."""
    evaluation = demo[YANJIN]
    BudgetFigures.objects.filter(evaluation=evaluation).update(project_final=Decimal("140.27"))
    evaluation = Evaluation.objects.get(pk=evaluation.pk)

    overall = fiscal.ratio_by_key(figures_for(evaluation))["budget_execution_rate"].value
    scored = evaluation_result(evaluation)
    node = scored.result.node("B12")

    assert round_half_up(overall) == Decimal("95.36")  # the overall rate alone would give full marks
    assert node.score == Decimal("1.75")  # 项目支出 5 pp below 95: 5% of its 1 point per pp taken off
    assert node.sentence == (
        "①基本支出预算执行率100.00%，不低于95%，得满分1.00分；"
        "②项目支出预算执行率90.00%，低于95%，偏离5.00个百分点，每偏离1%扣除权重分的5%，扣0.25分，得0.75分；"
        "2项合计得1.75分。"
    )
    client.force_login(lead_of(evaluation))  # the part values saved with the judgment no longer hold
    overview = client.get(reverse("rubric_overview", args=[evaluation.pk])).content.decode()
    assert "B12：所用的预算数据已变化，请复核评分。" in overview


def test_the_demo_b12_is_two_parts_and_the_total_stays_86(demo):
    result = evaluation_result(demo[YANJIN]).result
    assert (result.total, result.grade) == (Decimal("86.00"), "良")
    assert result.node("B12").sentence.startswith("①基本支出预算执行率100.00%")
    shawan = evaluation_result(demo[SHAWAN]).result
    assert (shawan.total, shawan.grade) == (Decimal("89.50"), "良")


# --------------------------------------------------------------------------
# 4. checklists show their points
# --------------------------------------------------------------------------


def test_the_page_offers_each_point_with_its_text_and_the_process_names_the_points_missed(client, fresh_shawan):
    page = page_of(client, fresh_shawan, "B21")
    assert "① 是否按规定内容公开预决算信息" in page
    assert "② 是否按规定时限公开预决算信息" in page
    assert "要点符合" not in page
    assert page.count('name="met_0"') == 2  # 符合 / 不符合, neither checked
    assert 'name="met_0" value="1" class="form-check-input" id="id_met_0_0" checked' not in page

    client.post(reverse("judgment_edit", args=[fresh_shawan.pk, "B21"]), {"revision": revision_of(fresh_shawan.pk, "B21"), "applicable": "on", "met_0": "1", "met_1": "0"})

    node = evaluation_result(fresh_shawan).result.node("B21")
    assert node.sentence == "2项评价要点中符合1项，第2项“是否按规定时限公开预决算信息”不符合，得1.50分。"


def test_a_deduction_rule_answers_its_points_one_by_one(client, demo):
    evaluation = demo[YANJIN]
    client.force_login(lead_of(evaluation))
    page = page_of(client, evaluation, "A21")
    assert "② 年度计划工作分解到各科室" in page
    assert 'name="failures"' not in page
    node = evaluation_result(evaluation).result.node("A21")
    assert node.score == Decimal("0.50")
    assert node.sentence.startswith("存在3处不符（第2项“年度计划工作分解到各科室”、第3项")


def test_a_deduction_saved_as_a_count_keeps_it_until_its_points_are_answered(client, demo):
    evaluation = demo[YANJIN]
    Judgment.objects.filter(indicator__evaluation=evaluation, indicator__code="A21").update(inputs={"failures": 3})
    client.force_login(lead_of(evaluation))
    page = page_of(client, evaluation, "A21")
    assert re.search(r'name="failures" value="3"', page)
    url = reverse("judgment_edit", args=[evaluation.pk, "A21"])

    client.post(url, {"revision": revision_of(evaluation.pk, "A21"), "applicable": "on", "failures": "3"})  # saved again untouched: the count stays
    assert Judgment.objects.get(indicator__evaluation=evaluation, indicator__code="A21").inputs == {"failures": 3}
    client.post(url, {"revision": revision_of(evaluation.pk, "A21"), "applicable": "on", "failures": "3", **{f"met_{i}": "1" for i in range(4)}, "met_3": "0"})
    assert Judgment.objects.get(indicator__evaluation=evaluation, indicator__code="A21").inputs == {
        "met": [True, True, True, False]
    }


# --------------------------------------------------------------------------
# 9. small things
# --------------------------------------------------------------------------


def test_a_validation_error_appears_once(client, fresh_shawan):
    response = client.post(reverse("judgment_edit", args=[fresh_shawan.pk, "C11"]),
                           {"applicable": "on", "actual": "1"})
    page = response.content.decode()
    assert page.count("C11：未填写标杆值（目标值）") == 1
    response = client.post(reverse("judgment_edit", args=[fresh_shawan.pk, "C11"]),
                           {"applicable": "on", "actual": "abc", "target": "1"})
    assert response.content.decode().count("输入一个数字。") == 1


def test_the_rubric_download_is_a_button(client, fresh_shawan):
    page = client.get(reverse("rubric_overview", args=[fresh_shawan.pk])).content.decode()
    assert re.search(r'<a class="btn btn-primary" role="button" href="[^"]+" data-testid="rubric-xlsx">下载指标体系评分表', page)


def test_a_provisional_total_has_no_grade_on_the_overview_and_the_dashboard(client, fresh_shawan):
    client.post(reverse("judgment_edit", args=[fresh_shawan.pk, "A12"]), {"revision": revision_of(fresh_shawan.pk, "A12"), "applicable": "on", "met_0": "1",
                                                                        "met_1": "1", "met_2": "1"})
    overview = client.get(reverse("rubric_overview", args=[fresh_shawan.pk])).content.decode()
    assert re.search(r'data-testid="total-label">暂计<', overview)
    assert re.search(r'data-testid="grade">—<', overview)
    assert "尚有30项未评分" in overview
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert re.search(r'data-testid="dashboard-total">3.00 <span class="badge[^"]*">暂计</span>', dashboard)
    assert "差" not in re.sub(r"<[^>]+>", "", dashboard)


# --------------------------------------------------------------------------
# 9. the template editor: a form fitted to the rule kind
# --------------------------------------------------------------------------


@pytest.fixture
def editor(client):
    evaluation = small_rubric(EvaluationFactory())
    system = services.save_system(evaluation.firm, slug="t", name="模板", tree=[
        {"code": "A", "name": "一级", "weight": "100", "children": [{"code": "A1", "name": "二级", "weight": "100", "children": [
            {"code": "A11", "name": "甲", "weight": "100", "rule": {"kind": "yes_no"}}]}]}])
    client.force_login(team(evaluation)["outsider"])
    return system


def save_node(client, system, **fields):
    data = {"editing": "A11", "adding_under": "", "code": "A11", "name": "甲", "weight": "100", "kind": "normal", **fields}
    return client.post(reverse("system_node_save", args=[system.pk]), data)


def test_the_editor_shows_the_fields_of_each_rule_kind_from_the_engine(client, editor):
    page = client.get(reverse("system_detail", args=[editor.pk]), {"edit": "A11"}).content.decode()
    assert 'name="rule_params"' not in page
    assert 'data-rule-kind="rate_deviation"' in page
    assert re.search(r'<label\s+for="id_rule_rate_deviation_threshold" class="form-label">\s*达标线（%）', page)
    assert "达标线（%）" in page and "每处不符扣" in page and "评价要点（每行一项）" in page


def test_the_editor_saves_a_checklist_with_its_points(client, editor):
    response = save_node(client, editor, rule_kind="checklist", points="制度健全\n执行到位\n\n",
                         rule_checklist_shares="1/2，1/2")
    assert response.status_code == 302
    node = services.find_node(IndicatorSystem.objects.get(pk=editor.pk).tree, "A11")
    assert (node["points"], node["rule"]) == (["制度健全", "执行到位"], {"kind": "checklist", "shares": ["1/2", "1/2"]})


def test_the_engines_messages_land_on_the_fields_they_name(client, editor):
    response = save_node(client, editor, rule_kind="rate_deviation", rule_rate_deviation_direction="at_least",
                         rule_rate_deviation_step="1", rule_rate_deviation_unit="points")
    form = response.context["form"]
    assert form.errors["rule_rate_deviation_threshold"] == ["A11：规则缺少达标线（%）（threshold）"]
    assert response.content.decode().count("规则缺少达标线（%）（threshold）") == 1

    shares = save_node(client, editor, rule_kind="checklist", points="甲\n乙", rule_checklist_shares="1/2, 1/3")
    assert shares.context["form"].errors["rule_checklist_shares"] == [
        "A11：各要点所占权重分的比例（shares）之和应为1，现为5/6"
    ]
    bands = save_node(client, editor, rule_kind="bands", rule_bands_bands="90\n80 1")
    assert bands.context["form"].errors["rule_bands_bands"] == ["第1行应写成“下限 得分”"]


def test_the_editor_builds_a_composite_rule_part_by_part(client, editor):
    parts = {
        "rule_kind": "composite",
        "part0_name": "基本支出预算执行率", "part0_share": "1/2", "part0_kind": "rate_deviation",
        "part0_rate_deviation_threshold": "95", "part0_rate_deviation_direction": "at_least",
        "part0_rate_deviation_step": "5/100", "part0_rate_deviation_unit": "share",
        "part0_binding_ratio": "basic_execution_rate",
        "part1_name": "重点项目完成", "part1_share": "1/2", "part1_kind": "ratio",
    }
    assert save_node(client, editor, **parts).status_code == 302
    rule = services.find_node(IndicatorSystem.objects.get(pk=editor.pk).tree, "A11")["rule"]
    assert rule == {"kind": "composite", "parts": [
        {"name": "基本支出预算执行率", "share": "1/2", "binding": {"ratio": "basic_execution_rate"},
         "rule": {"kind": "rate_deviation", "threshold": "95", "direction": "at_least", "step": "5/100", "unit": "share"}},
        {"name": "重点项目完成", "share": "1/2", "binding": None, "rule": {"kind": "ratio"}},
    ]}
    wrong = save_node(client, editor, **{**parts, "part1_share": "1/3"})
    assert wrong.context["form"].errors["rule_kind"] == ["A11：各分项占权重分的比例之和应为1，现为5/6"]
    unbindable = save_node(client, editor, **{**parts, "part1_kind": "yes_no", "part1_binding_ratio": "budget_execution_rate"})
    assert "没有可取自数据的输入，不能设置数据来源" in unbindable.context["form"].errors["part1_binding_ratio"][0]

    page = client.get(reverse("system_detail", args=[editor.pk]), {"edit": "A11"}).content.decode()
    assert 'value="基本支出预算执行率"' in page and 'value="5/100"' in page
