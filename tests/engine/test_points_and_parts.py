"""评价要点 answered one by one, composite rules (分项计分), and a provisional total (no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rubrics.scoring import (
    Bound,
    IndicatorSpec,
    JudgmentEntry,
    RuleError,
    indicators_from_dicts,
    rule_from_dict,
    score,
    score_indicator,
)

from .builders import given, judged, parent

D = Decimal

POINTS = ("是否制定中长期规划", "是否落实自治区总体规划", "是否明确目标与时间安排", "是否覆盖全部职能")


def checklist_leaf(points=POINTS, rule=None, weight="2") -> IndicatorSpec:
    return IndicatorSpec(
        code="A11", name="中长期规划科学合理性", weight=D(weight), rule=rule or {"kind": "checklist"}, points=points
    )


def scored(leaf: IndicatorSpec, inputs) -> object:
    return score_indicator(leaf, JudgmentEntry(inputs=inputs))


def test_a_checklist_takes_its_number_of_points_from_the_listed_points():
    assert checklist_leaf().rule.items == 4


def test_points_and_items_that_disagree_are_refused():
    with pytest.raises(RuleError) as caught:
        checklist_leaf(rule={"kind": "checklist", "items": 3})
    assert caught.value.messages == ["A11：评价要点有4项，与要点数（items）（3）不一致"]
    assert caught.value.field == "items"


def test_an_unanswered_point_is_not_yet_judged_never_failed():
    result = scored(checklist_leaf(), {"met": [True, None, True, None]})

    assert (result.score, result.error, result.status) == (None, None, "未评分")
    assert result.pending == "尚有2项评价要点未判断：第2项“是否落实自治区总体规划”、第4项“是否覆盖全部职能”"


def test_the_drafted_process_names_the_points_missed():
    result = scored(checklist_leaf(), {"met": [True, False, True, True]})

    assert result.score == D("1.50")
    assert result.sentence == "4项评价要点中符合3项，第2项“是否落实自治区总体规划”不符合，得1.50分。"


def test_a_checklist_without_listed_points_names_them_by_number():
    leaf = IndicatorSpec(code="A11", name="甲", weight=D("2"), rule={"kind": "checklist", "items": 2})
    assert scored(leaf, {"met": [False, True]}).sentence == "2项评价要点中符合1项，第1项不符合，得1.00分。"


def test_a_deduction_rule_with_points_counts_the_points_answered_不符合():
    leaf = IndicatorSpec(
        code="A21", name="年度工作计划明确性", weight=D("2"),
        rule={"kind": "deduct", "per_failure": "25/100", "unit": "share"},
        points=("具有年度工作计划", "年度计划工作分解到各科室", "各科室计划符合职能", "对资金人员安排有明确安排"),
    )

    result = scored(leaf, {"met": [True, False, True, False]})

    assert result.score == D("1.00")
    assert result.sentence == (
        "存在2处不符（第2项“年度计划工作分解到各科室”、第4项“对资金人员安排有明确安排”），"
        "每处扣除权重分的25%，扣1.00分，得1.00分。"
    )
    assert scored(leaf, {"met": [True, None, None, True]}).pending.startswith("尚有2项评价要点未判断：第2项")
    assert scored(leaf, {"failures": 1}).score == D("1.50")  # a typed count still reads


# --------------------------------------------------------------------------
# composite: seed 002 B12
# --------------------------------------------------------------------------

EXECUTION = {
    "kind": "rate_deviation", "threshold": "95", "direction": "at_least", "step": "5/100", "unit": "share",
    "per": "1", "zero_above": "100",
}
B12_RULE = {
    "kind": "composite",
    "parts": [
        {"name": "基本支出预算执行率", "share": "1/2", "rule": EXECUTION, "binding": {"ratio": "basic_execution_rate"}},
        {"name": "项目支出预算执行率", "share": "1/2", "rule": EXECUTION, "binding": {"ratio": "project_execution_rate"}},
    ],
}


def b12() -> IndicatorSpec:
    return IndicatorSpec(code="B12", name="预算执行率", weight=D("2"), rule=B12_RULE)


def both(basic: str | None, project: str | None) -> JudgmentEntry:
    return JudgmentEntry(part_bounds=(
        Bound("基本支出预算执行率", basic, "" if basic else "基本支出决算数未填写，无法计算"),
        Bound("项目支出预算执行率", project, "" if project else "项目支出决算数未填写，无法计算"),
    ))


def test_b12_scores_each_part_on_its_share_of_the_weight_and_sums_them():
    result = score_indicator(b12(), both("100", "90"))

    assert result.score == D("1.75")
    assert result.sentence == (
        "①基本支出预算执行率100.00%，不低于95%，得满分1.00分；"
        "②项目支出预算执行率90.00%，低于95%，偏离5.00个百分点，每偏离1%扣除权重分的5%，扣0.25分，得0.75分；"
        "2项合计得1.75分。"
    )


def test_b12_with_project_spending_changed_scores_differently_from_the_overall_rate():
    """Yanjin: 基本支出 180.10 fully spent, 项目支出 155.86 budgeted; spending only 140.27 of it."""
    overall = IndicatorSpec(code="B12", name="预算执行率", weight=D("2"), rule=EXECUTION, binding={"ratio": "r"})
    overall_rate = (D("180.10") + D("140.27")) / (D("180.10") + D("155.86")) * 100  # 95.36 %
    project_rate = D("140.27") / D("155.86") * 100  # 90.00 %

    by_parts = score_indicator(b12(), both("100", str(project_rate))).score
    by_overall = score_indicator(overall, JudgmentEntry(bound=Bound("预算执行率", overall_rate))).score

    assert (by_overall, by_parts) == (D("2.00"), D("1.75"))


def test_a_part_whose_figure_is_missing_leaves_the_leaf_pending_naming_the_part():
    result = score_indicator(b12(), both("100", None))

    assert (result.score, result.error) == (None, None)
    assert result.pending == "尚有分项不能计分：项目支出预算执行率（项目支出预算执行率：项目支出决算数未填写，无法计算）"


def test_a_typed_part_and_a_bound_part_combine():
    rule = {
        "kind": "composite",
        "parts": [
            {"name": "基本支出预算执行率", "share": "1/2", "rule": EXECUTION, "binding": {"ratio": "basic_execution_rate"}},
            {"name": "重点项目完成", "share": "1/2", "rule": {"kind": "ratio"}},
        ],
    }
    leaf = IndicatorSpec(code="B12", name="预算执行率", weight=D("2"), rule=rule)
    judgment = JudgmentEntry(
        inputs={"parts": [{}, {"actual": "3", "target": "4"}]}, part_bounds=(Bound("基本支出预算执行率", "100"), None)
    )

    result = score_indicator(leaf, judgment)

    assert result.score == D("1.75")
    assert "②重点项目完成：实际完成值3，标杆值4，完成率75.00%，得分=1×75%=0.75分" in result.sentence


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        pytest.param([B12_RULE["parts"][0]], "B12：分项计分至少应有两个分项", id="one-part"),
        pytest.param(
            [{**B12_RULE["parts"][0], "share": "1/3"}, B12_RULE["parts"][1]],
            "B12：各分项占权重分的比例之和应为1，现为5/6",
            id="shares",
        ),
        pytest.param(
            [B12_RULE["parts"][0], {**B12_RULE["parts"][1], "rule": {"kind": "composite", "parts": []}}],
            "B12：第2个分项不能再分项",
            id="nested",
        ),
        pytest.param(
            [B12_RULE["parts"][0], {**B12_RULE["parts"][1], "rule": {"kind": "checklist", "items": 2}}],
            "B12第2个分项“项目支出预算执行率”：评分规则“要点计分（符合一项得一项）”没有可取自数据的输入，不能设置数据来源",
            id="unbindable-part",
        ),
        pytest.param(
            [B12_RULE["parts"][0], {**B12_RULE["parts"][1], "rule": {**EXECUTION, "threshold": "abc"}}],
            "B12第2个分项“项目支出预算执行率”：规则字段达标线（%）（threshold）不是有效的数字：'abc'",
            id="part-rule",
        ),
    ],
)
def test_composite_rules_are_checked_part_by_part(parts, message):
    with pytest.raises(RuleError) as caught:
        rule_from_dict({"kind": "composite", "parts": parts}, "B12")
    assert caught.value.messages == [message]


def test_a_composite_leaf_cannot_be_bound_as_a_whole():
    with pytest.raises(RuleError) as caught:
        indicators_from_dicts([{"code": "B12", "name": "预算执行率", "weight": "2", "rule": B12_RULE,
                                "binding": {"ratio": "budget_execution_rate"}}])
    assert "没有可取自数据的输入" in caught.value.messages[0]


# --------------------------------------------------------------------------
# provisional totals
# --------------------------------------------------------------------------


def test_a_total_is_provisional_without_a_grade_until_every_leaf_is_scored():
    tree = [parent("A", "甲", "100", parent("A1", "甲一", "100", judged("A11", "60"), judged("A12", "40")))]

    halfway = score(tree, {"A11": given("4")})
    done = score(tree, {"A11": given("50"), "A12": given("40")})

    assert (halfway.total, halfway.provisional, halfway.grade, halfway.total_label) == (D("4.00"), True, None, "暂计")
    assert (done.total, done.provisional, done.grade, done.total_label) == (D("90.00"), False, "优", "总分")
