"""Indicator systems in an evaluation: copying templates, judgments, bound inputs, the template editor."""

import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from evaluations.enums import TeamRole
from evaluations.models import BudgetFigures, Evaluation
from rubrics import services
from rubrics.models import Indicator, IndicatorSystem, Judgment
from rubrics.queries import evaluation_result
from surveys.services import load_demo_surveys
from tests.factories import SMALL_TREE, YANJIN_BUDGET, EvaluationFactory, revision_of, small_rubric, team

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return small_rubric(EvaluationFactory(budget=YANJIN_BUDGET))


@pytest.fixture
def people(evaluation):
    return team(evaluation)


def test_a_bound_indicator_nobody_saved_is_unscored_even_though_its_figure_is_known():
    fresh = small_rubric(EvaluationFactory(budget=YANJIN_BUDGET), yes=None)
    result = evaluation_result(fresh).result
    assert (result.node("B11").score, result.provisional, result.grade) == (None, True, None)


def test_bound_indicator_takes_its_input_from_the_budget(evaluation):
    result = evaluation_result(evaluation).result
    assert result.node("B11").score == Decimal("60.00")
    assert result.node("B11").sentence.startswith("预算执行率100.00%")
    assert result.total == Decimal("100.00")


def test_changing_a_figure_changes_the_score_and_asks_for_review(evaluation, people):
    services.save_judgment(Indicator.objects.get(evaluation=evaluation, code="B11"), inputs={}, user=people[TeamRole.STAFF])
    assert evaluation_result(Evaluation.objects.get(pk=evaluation.pk)).review_codes == []
    BudgetFigures.objects.filter(evaluation=evaluation).update(personnel_final=Decimal("150.00"))
    # 324.21 / 335.96 = 96.50% ≥ 95% still full marks; push it below the threshold
    BudgetFigures.objects.filter(evaluation=evaluation).update(personnel_final=Decimal("100.00"))
    scored = evaluation_result(Evaluation.objects.get(pk=evaluation.pk))
    # 274.21 / 335.96 = 81.62%: 13.38 pp below 95, 5% of 60 per pp = 40.14 off
    assert scored.result.node("B11").score == Decimal("19.86")
    assert scored.review_codes == ["B11"]


def test_a_typed_value_for_a_bound_input_is_not_stored(evaluation, people):
    row = Indicator.objects.get(evaluation=evaluation, code="B11")
    services.save_judgment(row, inputs={"rate": "50"}, user=people[TeamRole.STAFF])
    judgment = Judgment.objects.get(indicator=row)
    assert judgment.inputs == {}
    assert judgment.bound_value == Decimal("100.00")


def test_template_edits_never_reach_an_evaluation_under_way(evaluation):
    system = services.save_system(evaluation.firm, slug="t", name="模板", tree=SMALL_TREE)
    other = EvaluationFactory(firm=evaluation.firm, year=2023)
    services.copy_system_into(other, system.tree, source_name=system.name)
    services.update_node(system, "A11", {"code": "A11", "name": "改过的名称", "weight": "40"})
    assert Indicator.objects.get(evaluation=other, code="A11").name == "绩效目标合理性"
    assert services.find_node(IndicatorSystem.objects.get(pk=system.pk).tree, "A11")["name"] == "改过的名称"


def test_judgment_form_saves_and_recomputes(client, evaluation, people):
    client.force_login(people[TeamRole.STAFF])
    url = reverse("judgment_edit", args=[evaluation.pk, "A11"])
    response = client.post(url, {"revision": revision_of(evaluation.pk, "A11"), "applicable": "on", "yes": "0", "process": "未见年度绩效目标。"})
    assert response.status_code == 302
    overview = client.get(reverse("rubric_overview", args=[evaluation.pk]))
    assert overview.context["result"].total == Decimal("60.00")
    assert overview.context["result"].grade == "中"
    assert Judgment.objects.get(indicator__code="A11", indicator__evaluation=evaluation).history.count() == 2


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"override_score": "35"}, "A11：调整得分必须说明理由"),
        ({"override_score": "41", "override_reason": "x"}, "A11：调整后的得分41超出0至40分的范围"),
    ],
)
def test_an_override_is_judged_by_the_engine_with_one_message_on_save_and_preview(client, evaluation, people, override, message):
    client.force_login(people[TeamRole.LEAD])
    data = {"revision": revision_of(evaluation, "A11"), "applicable": "on", "yes": "1", **override}
    saved = client.post(reverse("judgment_edit", args=[evaluation.pk, "A11"]), data).content.decode()
    previewed = client.post(reverse("judgment_preview", args=[evaluation.pk, "A11"]), data).content.decode()
    assert message in saved
    assert message in previewed
    assert Judgment.objects.get(indicator__code="A11", indicator__evaluation=evaluation).override_score is None


def test_an_override_with_a_reason_is_kept_beside_the_computed_score(client, evaluation, people):
    client.force_login(people[TeamRole.LEAD])
    url = reverse("judgment_edit", args=[evaluation.pk, "A11"])
    client.post(url, {"revision": revision_of(evaluation.pk, "A11"), "applicable": "on", "yes": "1", "override_score": "35", "override_reason": "目标偏低"})
    node = evaluation_result(evaluation).result.node("A11")
    assert (node.computed_score, node.score, node.overridden) == (Decimal("40.00"), Decimal("35.00"), True)
    assert "（评价组调整为35.00分，理由：目标偏低）" in node.sentence


def test_an_override_on_an_indicator_left_out_still_needs_a_reason(evaluation, people):
    row = Indicator.objects.get(evaluation=evaluation, code="A11")
    with pytest.raises(ValidationError, match="A11：调整得分必须说明理由"):
        services.save_judgment(row, inputs={}, user=people[TeamRole.LEAD], override_score=Decimal("10"), applicable=False,
                               not_applicable_reason="本年度无此项工作")


def test_preview_shows_the_engine_score_without_saving(client, evaluation, people):
    client.force_login(people[TeamRole.STAFF])
    response = client.post(reverse("judgment_preview", args=[evaluation.pk, "A11"]), {"applicable": "on", "yes": "0"})
    page = response.content.decode()
    assert 'data-testid="computed-score">0.00<' in page
    assert Judgment.objects.get(indicator__code="A11", indicator__evaluation=evaluation).inputs == {"yes": True}


def test_not_applicable_needs_a_reason(client, evaluation, people):
    client.force_login(people[TeamRole.STAFF])
    page = client.post(reverse("judgment_edit", args=[evaluation.pk, "A11"]), {"revision": revision_of(evaluation.pk, "A11"), "yes": "0"}).content.decode()
    assert page.count("A11：标记为不适用时必须说明理由。") == 1
    assert Indicator.objects.get(evaluation=evaluation, code="A11").applicable is True


def test_not_applicable_indicator_rescales_the_total(client, evaluation, people):
    client.force_login(people[TeamRole.STAFF])
    reason = "本年度未安排中长期规划编制任务"
    client.post(reverse("judgment_edit", args=[evaluation.pk, "A11"]), {"revision": revision_of(evaluation.pk, "A11"), "yes": "0", "not_applicable_reason": reason})
    result = evaluation_result(evaluation).result
    assert result.node("A11").applicable is False
    assert result.node("A11").sentence == f"该指标不适用，不参与评分（理由：{reason}）。"
    assert (result.applicable_weight, result.total) == (Decimal("60"), Decimal("100.00"))


def test_evidence_upload_is_kept_with_the_indicator(client, evaluation, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(people[TeamRole.STAFF])
    upload = SimpleUploadedFile("三定方案.pdf", b"%PDF-1.4 evidence")
    client.post(reverse("evidence_upload", args=[evaluation.pk, "A11"]), {"file": upload, "title": "三定方案"})
    evidence = Indicator.objects.get(code="A11", evaluation=evaluation).evidence.get()
    assert evidence.title == "三定方案" and evidence.uploaded_by == people[TeamRole.STAFF]
    with evidence.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 evidence"


def test_template_editor_keeps_parent_weights_derived():
    firm = EvaluationFactory().firm
    system = services.save_system(firm, slug="t", name="模板", tree=SMALL_TREE)
    services.add_node(system, "A1", {"code": "A12", "name": "绩效指标明确性", "weight": "5", "rule": {"kind": "yes_no"}})
    tree = IndicatorSystem.objects.get(pk=system.pk).tree
    assert (services.find_node(tree, "A1")["weight"], services.find_node(tree, "A")["weight"]) == ("45", "45")
    assert services.tree_problems(tree) == ["一级指标权重之和为105，应为100"]
    services.update_node(system, "B11", {"code": "B11", "name": "预算执行率", "weight": "55"})
    assert services.tree_problems(IndicatorSystem.objects.get(pk=system.pk).tree) == []


def test_template_editor_refuses_duplicate_codes_and_a_fourth_level():
    system = services.save_system(EvaluationFactory().firm, slug="t", name="模板", tree=SMALL_TREE)
    with pytest.raises(ValidationError, match="编码重复：B11"):
        services.add_node(system, "A1", {"code": "B11", "name": "重复", "weight": "1"})
    with pytest.raises(ValidationError, match="三级指标下不能再添加下级指标"):
        services.add_node(system, "A11", {"code": "A111", "name": "第四级", "weight": "1"})


def test_template_editor_moves_and_reorders():
    system = services.save_system(EvaluationFactory().firm, slug="t", name="模板", tree=SMALL_TREE)
    services.move_node(system, "B1", offset=-1)  # already first: stays
    services.move_node(system, "B", offset=-1)
    assert [node["code"] for node in system.tree] == ["B", "A"]
    services.move_node(system, "B11", parent_code="A1")
    tree = IndicatorSystem.objects.get(pk=system.pk).tree
    assert [child["code"] for child in services.find_node(tree, "A1")["children"]] == ["A11", "B11"]
    assert services.find_node(tree, "A")["weight"] == "100"
    with pytest.raises(ValidationError, match="不能把指标移到它自己或它的下级之下"):
        services.move_node(system, "A", parent_code="A11")


def test_copying_an_invalid_tree_is_refused():
    tree = json.loads(json.dumps(SMALL_TREE))
    tree[0]["weight"] = "50"
    with pytest.raises(ValidationError) as caught:
        services.copy_system_into(EvaluationFactory(), tree, source_name="x")
    assert "A：下级指标权重之和为40，应等于本级权重50" in caught.value.messages


@pytest.mark.parametrize("count", [1, 3])
def test_overview_query_count_does_not_grow_with_indicators(client, django_assert_num_queries, count):
    evaluation = EvaluationFactory(budget=YANJIN_BUDGET)
    leaves = [{"code": f"A1{i}", "name": f"指标{i}", "weight": "1", "rule": {"kind": "yes_no"}} for i in range(1, count + 1)]
    leaves[-1]["weight"] = str(100 - count + 1)
    tree = [{"code": "A", "name": "一级", "weight": "100", "children": [
        {"code": "A1", "name": "二级", "weight": "100", "children": leaves}]}]
    services.copy_system_into(evaluation, tree, source_name="x")
    services.import_judgments(evaluation, {leaf["code"]: {"inputs": {"yes": True}} for leaf in leaves})
    load_demo_surveys(evaluation)
    client.force_login(team(evaluation)[TeamRole.STAFF])
    # session, user, organisation, evaluation, memberships, indicators+judgments, budget, economic lines,
    # projects, questionnaires + questions + options, rubric, the navbar's unread notifications
    with django_assert_num_queries(14):
        response = client.get(reverse("rubric_overview", args=[evaluation.pk]))
    assert response.context["result"].total == Decimal("100.00")


def test_score_summary_json_matches_both_seeds(capsys):
    call_command("load_demo", stdout=io.StringIO())
    expected = {
        "延津县政务服务和大数据管理局": {"total": "86.00", "grade": "良", "provisional": False, "first_level": [
            {"code": "A", "name": "部门决策", "weight": "10.00", "score": "7.50", "rate": "75.00"},
            {"code": "B", "name": "部门管理", "weight": "25.00", "score": "22.00", "rate": "88.00"},
            {"code": "C", "name": "部门产出", "weight": "40.00", "score": "31.50", "rate": "78.75"},
            {"code": "D", "name": "部门效益", "weight": "25.00", "score": "25.00", "rate": "100.00"}]},
        "沙湾市政务服务中心": {"total": "89.50", "grade": "良", "provisional": False, "first_level": [
            {"code": "A", "name": "部门决策", "weight": "15.00", "score": "15.00", "rate": "100.00"},
            {"code": "B", "name": "部门管理", "weight": "25.00", "score": "20.00", "rate": "80.00"},
            {"code": "C", "name": "部门绩效", "weight": "60.00", "score": "54.50", "rate": "90.83"},
            {"code": "D", "name": "加减分项目", "weight": "0.00", "score": "0.00", "rate": ""}]},
    }
    for name, summary in expected.items():
        evaluation = Evaluation.objects.get(department__name=name)
        capsys.readouterr()
        call_command("score_summary", str(evaluation.pk), "--json")
        assert json.loads(capsys.readouterr().out) == summary


def test_demo_keeps_seed_scores_that_break_their_own_rule_as_overrides():
    call_command("load_demo", stdout=io.StringIO())
    shawan = evaluation_result(Evaluation.objects.get(department__name="沙湾市政务服务中心")).result
    overridden = {node.code: (node.computed_score, node.score) for node in shawan.walk() if node.overridden}
    assert overridden["C13"] == (Decimal("4.00"), Decimal("3.50"))
    assert all(node.score is not None for node in shawan.walk() if node.is_leaf)


def test_a_process_text_stating_another_score_is_flagged(client, evaluation, people):
    client.force_login(people[TeamRole.STAFF])
    client.post(reverse("judgment_edit", args=[evaluation.pk, "A11"]), {"revision": revision_of(evaluation.pk, "A11"), "applicable": "on", "yes": "0", "process": "符合要求，本项指标得40分。"})
    page = client.get(reverse("judgment_edit", args=[evaluation.pk, "A11"])).content.decode()
    assert "评分过程中写的得分（40分）与当前得分（0.00分）不一致，请修改评分过程。" in page
    overview = client.get(reverse("rubric_overview", args=[evaluation.pk])).content.decode()
    assert "A11：评分过程中写的得分（40分）与当前得分（0.00分）不一致" in overview


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [("payload.html", 10, "不支持这种文件类型"), ("tool.exe", 10, "不支持这种文件类型"), ("底稿.pdf", 21 * 1024 * 1024, "文件过大（21 MB）")],
)
def test_evidence_uploads_are_limited_by_type_and_size(client, evaluation, people, settings, tmp_path, name, size, message):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(people[TeamRole.STAFF])
    upload = SimpleUploadedFile(name, b"x" * size)
    response = client.post(reverse("evidence_upload", args=[evaluation.pk, "A11"]), {"file": upload}, follow=True)
    assert message in response.content.decode()
    assert not Indicator.objects.get(code="A11", evaluation=evaluation).evidence.exists()
