"""score(): the seeds end to end, grades, 加减分, not-applicable, overrides, 未评分, the execution cap."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rubrics.scoring import (
    DEFAULT_GRADE_BANDS,
    GradeBand,
    ScoringSettings,
    SummaryRow,
    execution_cap_for,
    grade_for,
    indicators_from_dicts,
    score,
)

from .builders import given, judged, make_leaf, parent
from .seed_systems import (
    SEED_000_INDICATORS,
    SEED_000_JUDGMENTS,
    SEED_002_INDICATORS,
    SEED_002_JUDGMENTS,
    TARGET_TOO_LOW,
)

D = Decimal


def summary_of(result) -> list[tuple[str, str, str, str]]:
    return [(row.code, str(row.weight), str(row.score), row.rate_text) for row in result.summary]


# --------------------------------------------------------------------------
# Seed 002 (河南 延津): 86 分，良
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_002():
    return score(indicators_from_dicts(SEED_002_INDICATORS), SEED_002_JUDGMENTS)


def test_seed_002_reproduces_the_printed_total_and_grade(seed_002):
    assert (seed_002.total, seed_002.grade, seed_002.incomplete) == (D("86.00"), "良", False)
    assert seed_002.errors == ()
    assert seed_002.conclusion == "最终评分结果：86.00分，绩效评级为“良”。"


def test_seed_002_first_level_table_matches_the_report(seed_002):
    assert summary_of(seed_002) == [
        ("A", "10", "7.50", "75.00%"),
        ("B", "25", "22.00", "88.00%"),
        ("C", "40", "31.50", "78.75%"),
        ("D", "25", "25.00", "100.00%"),
        ("", "100", "86.00", "86.00%"),
    ]
    assert seed_002.summary[-1] == SummaryRow("", "合计", D("100"), D("86.00"), D("86"))


@pytest.mark.parametrize(
    ("code", "sentence"),
    [
        ("A", "部门决策类指标共包含2个二级指标，5个三级指标，权重分10.00分，得分7.50分，得分率为75.00%。"),
        ("B", "部门管理类指标共包含7个二级指标，15个三级指标，权重分25.00分，得分22.00分，得分率为88.00%。"),
        ("C", "部门产出类指标共包含2个二级指标，6个三级指标，权重分40.00分，得分31.50分，得分率为78.75%。"),
        ("D", "部门效益类指标共包含3个二级指标，4个三级指标，权重分25.00分，得分25.00分，得分率为100.00%。"),
        ("A1", "该二级指标满分4.00分，得分4.00分，得分率100.00%。"),
        ("A2", "该二级指标满分6.00分，得分3.50分，得分率58.33%。"),
        ("B3", "该二级指标满分4.00分，得分2.00分，得分率50.00%。"),
        # The seed prints "满分2分，得分2分，得分率50.00%" here: typed by hand. Computed, it agrees.
        ("B6", "该二级指标满分2.00分，得分1.00分，得分率50.00%。"),
        ("C2", "该二级指标满分20.00分，得分16.50分，得分率82.50%。"),
    ],
)
def test_seed_002_summary_sentences_in_the_seeds_voice(seed_002, code, sentence):
    assert seed_002.node(code).sentence == sentence


def test_seed_002_second_level_composition(seed_002):
    assert seed_002.node("A1").composition == "包括部门职能明确性、中长期规划合理性2个三级指标。"
    assert seed_002.node("A2").composition == "包括年度工作计划明确性、绩效目标合理性、绩效指标明确性3个三级指标。"
    assert seed_002.node("A").composition == ""


@pytest.mark.parametrize(
    ("code", "expected", "sentence"),
    [
        ("A21", "0.50", "存在3处不符，每处扣除权重分的25%，扣1.50分，得0.50分。"),
        ("A23", "1.00", "存在1处不符，每处扣除权重分的50%，扣1.00分，得1.00分。"),
        ("B11", "2.00", "预算调整率-5.18%，不高于10%，得满分2.00分。"),
        ("B12", "2.00", "预算执行率100.00%，不低于95%，得满分2.00分。"),
        ("B51", "2.00", "在职人员控制率95.24%，不高于100%，得满分2.00分。"),
        ("C22", "6.50", "实际完成值65，标杆值100，完成率65.00%，得分=10×65%=6.50分。"),
        ("D31", "6.00", "满意度93.32%，处于≥90%区间，得6.00分。"),
    ],
)
def test_seed_002_leaves(seed_002, code, expected, sentence):
    node = seed_002.node(code)

    assert (str(node.score), node.sentence, node.level) == (expected, sentence, 3)


def test_seed_002_rates_are_unrounded_until_printed(seed_002):
    a2 = seed_002.node("A2")

    assert a2.rate == D("3.50") * 100 / D("6")
    assert a2.rate_text == "58.33%"


# --------------------------------------------------------------------------
# Seed 000 (新疆 沙湾): 89.5 分，良, with 加减分 and the evaluators' adjustments
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_000():
    return score(indicators_from_dicts(SEED_000_INDICATORS), SEED_000_JUDGMENTS)


def test_seed_000_reproduces_the_printed_total_and_grade(seed_000):
    assert (seed_000.total, seed_000.grade, seed_000.errors) == (D("89.50"), "良", ())
    assert seed_000.conclusion == "最终评分结果：89.50分，绩效评级为“良”。"


def test_seed_000_first_level_table_matches_table_1_5(seed_000):
    assert summary_of(seed_000) == [
        ("A", "15", "15.00", "100.00%"),
        ("B", "25", "20.00", "80.00%"),
        ("C", "60", "54.50", "90.83%"),
        ("D", "0", "0.00", "—"),
        ("", "100", "89.50", "89.50%"),
    ]


def test_seed_000_adjustment_rows(seed_000):
    assert (seed_000.bonus, seed_000.deduction) == (D("0"), D("0"))
    assert seed_000.node("D").sentence == "加减分项加0.00分，扣0.00分。"
    assert seed_000.node("D1").composition == ""
    assert seed_000.node("F1").sentence == "不符合加分条件，不加分。"
    assert seed_000.node("F2").sentence == "不存在扣分情况，不扣分。"


def test_seed_000_over_achievements_are_flagged_and_adjusted_with_reasons(seed_000):
    c13 = seed_000.node("C13")

    assert seed_000.flagged == ("B41", "C13", "C15", "C18")
    assert (c13.computed_score, c13.score, c13.overridden, c13.override_reason) == (
        D("4.00"),
        D("3.50"),
        True,
        TARGET_TOO_LOW,
    )
    assert c13.sentence == (
        f"实际完成值174，标杆值116，完成率150.00%，得分=4×100%=4.00分。（评价组调整为3.50分，理由：{TARGET_TOO_LOW}）"
    )
    assert c13.status == "已调整"
    assert seed_000.node("C1").score == D("34.50")


def test_seed_000_first_level_sentence(seed_000):
    assert seed_000.node("B").sentence == (
        "部门管理类指标共包含5个二级指标，8个三级指标，权重分25.00分，得分20.00分，得分率为80.00%。"
    )


def test_every_parent_equals_the_sum_of_its_children(seed_000, seed_002):
    for result in (seed_000, seed_002):
        for node in result.walk():
            if node.children:
                assert node.score == sum((child.contribution for child in node.children), D(0)), node.code


# --------------------------------------------------------------------------
# Grades
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "优"),
        ("90", "优"),
        ("89.99", "良"),
        ("80", "良"),
        ("79.99", "中"),
        ("60", "中"),
        ("59.99", "差"),
        ("0", "差"),
        ("-2", "差"),
        ("102", "优"),
    ],
)
def test_grade_bands_include_their_lower_bound(total, grade):
    assert grade_for(D(total), DEFAULT_GRADE_BANDS) == grade


def test_grade_bands_are_a_setting():
    bands = (GradeBand(D("60"), "合格"), GradeBand(D("85"), "优秀"), GradeBand(D("0"), "不合格"))

    assert [grade_for(D(value), bands) for value in ("85", "84.99", "60", "59.99")] == [
        "优秀",
        "合格",
        "合格",
        "不合格",
    ]


@pytest.mark.parametrize(("given_score", "grade"), [("89.99", "良"), ("90", "优"), ("59.99", "差")])
def test_the_result_grade_comes_from_the_total(given_score, grade):
    result = score([judged("A", "100")], {"A": given(given_score)})

    assert (result.total, result.grade) == (D(given_score).quantize(D("0.01")), grade)


# --------------------------------------------------------------------------
# 加减分
# --------------------------------------------------------------------------


def adjustment_tree():
    bonus = make_leaf({"kind": "yes_no"}, "2", code="F1", name="嘉奖", kind="bonus")
    deduction = make_leaf({"kind": "yes_no"}, "2", code="F2", name="违纪", kind="deduction")
    return [
        judged("A", "100"),
        parent(
            "D", "加减分项", "0", parent("D1", "加减分", "0", bonus, deduction, kind="adjustment"), kind="adjustment"
        ),
    ]


@pytest.mark.parametrize(
    ("base", "bonus", "deduction", "total", "grade", "d_score"),
    [
        ("85", False, False, "85.00", "良", "0.00"),
        ("85", True, False, "87.00", "良", "2.00"),
        ("85", False, True, "83.00", "良", "-2.00"),
        ("85", True, True, "85.00", "良", "0.00"),
        ("88.5", True, False, "90.50", "优", "2.00"),
        ("99", True, False, "101.00", "优", "2.00"),
        ("61", False, True, "59.00", "差", "-2.00"),
    ],
)
def test_bonus_adds_and_deduction_subtracts_outside_the_100(base, bonus, deduction, total, grade, d_score):
    judgments = {"A": given(base), "F1": {"inputs": {"yes": bonus}}, "F2": {"inputs": {"yes": deduction}}}

    result = score(adjustment_tree(), judgments)

    assert (result.total, result.grade) == (D(total), grade)
    assert result.node("D").score == D(d_score)
    assert result.node("D").rate is None
    assert result.summary[-1].score == D(total)


def test_adjustment_sentence_and_totals():
    judgments = {"A": given("85"), "F1": {"inputs": {"yes": True}}, "F2": {"inputs": {"yes": True}}}

    result = score(adjustment_tree(), judgments)

    assert (result.bonus, result.deduction, result.scaled_score) == (D("2.00"), D("2.00"), D("85.00"))
    assert result.node("D1").sentence == "加减分项加2.00分，扣2.00分。"
    assert result.node("F2").contribution == D("-2.00")


def test_a_first_level_deduction_item_stays_outside_the_100_in_the_table():
    penalty = make_leaf({"kind": "yes_no"}, "2", code="F2", name="违纪", kind="deduction")
    result = score([judged("A", "100"), penalty], {"A": given("90"), "F2": {"inputs": {"yes": True}}})

    assert [(row.code, row.weight, row.score, row.rate) for row in result.summary] == [
        ("A", D("100"), D("90.00"), D("90")),
        ("F2", D("0"), D("-2.00"), None),
        ("", D("100"), D("88.00"), D("88")),
    ]
    assert (result.total, result.grade) == (D("88.00"), "良")


# --------------------------------------------------------------------------
# Not applicable: left out, the rest rescaled to 100
# --------------------------------------------------------------------------


def partly_applicable_tree(b_applicable: bool = True):
    return [
        parent(
            "A",
            "部门决策",
            "40",
            parent(
                "A1",
                "部门职能",
                "40",
                judged("A11", "20", name="职能明确性"),
                judged("A12", "20", name="中长期规划", applicable=False),
            ),
        ),
        parent(
            "B",
            "部门管理",
            "60",
            parent("B1", "预算执行", "60", judged("B11", "60", name="预算执行率")),
            applicable=b_applicable,
        ),
    ]


def test_not_applicable_indicators_are_left_out_and_the_total_rescaled():
    judgments = {"A11": given("18"), "A12": given("20"), "B11": given("45")}

    result = score(partly_applicable_tree(), judgments)

    assert (result.base_score, result.applicable_weight, result.scaled_score) == (D("63.00"), D("80"), D("78.75"))
    assert (result.total, result.grade, result.rescaled) == (D("78.75"), "中", True)
    assert result.conclusion == (
        "剔除不适用指标后，适用指标权重合计80.00分，得分63.00分，折算为百分制78.75分。最终评分结果：78.75分，绩效评级为“中”。"
    )


def test_a_parent_shows_its_applicable_weight():
    result = score(partly_applicable_tree(), {"A11": given("18"), "B11": given("45")})
    a1, a12 = result.node("A1"), result.node("A12")

    assert (a1.weight, a1.applicable_weight, a1.score, a1.rate) == (D("40"), D("20"), D("18.00"), D("90"))
    assert a1.sentence == "该二级指标满分20.00分，得分18.00分，得分率90.00%。"
    assert a1.composition == "包括职能明确性1个三级指标。"
    assert (a12.applicable, a12.score, a12.status, a12.sentence) == (
        False,
        None,
        "不适用",
        "该指标不适用，不参与评分。",
    )
    assert result.unscored == ()


def test_a_whole_first_level_indicator_can_be_not_applicable():
    result = score(partly_applicable_tree(b_applicable=False), {"A11": given("17.5")})

    assert (result.applicable_weight, result.scaled_score, result.grade) == (D("20"), D("87.50"), "良")
    assert [(row.code, row.name, row.weight, row.score) for row in result.summary] == [
        ("A", "部门决策", D("20"), D("17.50")),
        ("", "合计", D("20"), D("17.50")),
        ("", "折算为百分制", D("100"), D("87.50")),
    ]
    assert result.node("B11").applicable is False


def test_rescaling_rounds_once_half_up():
    # 61.5 / 70 × 100 = 87.857… → 87.86
    tree = [judged("A", "70"), judged("B", "30", applicable=False)]

    result = score(tree, {"A": given("61.5")})

    assert result.total == D("87.86")
    assert [(row.name, row.weight, row.score) for row in result.closing_rows] == [
        ("合计", D("70"), D("61.50")),
        ("折算为百分制", D("100"), D("87.86")),
    ]


def test_a_capped_self_evaluation_ends_its_tables_on_the_capped_total():
    settings = ScoringSettings(execution_cap=True, execution_rate=D("75"))
    result = score([judged("A", "100")], {"A": given("95")}, settings)

    assert [(row.name, row.score) for row in result.closing_rows] == [
        ("合计", D("95.00")),
        ("总分上限（预算执行率75.00%）", D("89")),
    ]
    assert result.summary[-1].score == result.total == D("89")


def test_nothing_rescaled_when_everything_applies():
    result = score([judged("A", "60"), judged("B", "40")], {"A": given("50"), "B": given("33.33")})

    assert (result.rescaled, result.scaled_score, result.total) == (False, D("83.33"), D("83.33"))


# --------------------------------------------------------------------------
# Overrides
# --------------------------------------------------------------------------


def one_leaf_tree():
    return [parent("A", "部门决策", "100", parent("A1", "部门职能", "100", judged("A11", "100", name="职能")))]


def test_an_override_replaces_the_computed_score_and_keeps_both():
    judgments = {"A11": {"inputs": {"score": "80"}, "override": {"score": "85.5", "reason": "补充材料后复核"}}}

    node = score(one_leaf_tree(), judgments).node("A11")

    assert (node.computed_score, node.score, node.overridden) == (D("80.00"), D("85.50"), True)
    assert node.sentence == "评价人员综合判断，得80.00分。（评价组调整为85.50分，理由：补充材料后复核）"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"score": "85", "reason": ""}, "A11：调整得分必须说明理由"),
        ({"score": "85", "reason": "   "}, "A11：调整得分必须说明理由"),
        ({"score": "100.5", "reason": "复核"}, "A11：调整后的得分100.5超出0至100分的范围"),
        ({"score": "-0.5", "reason": "复核"}, "A11：调整后的得分-0.5超出0至100分的范围"),
    ],
)
def test_an_override_needs_a_reason_and_must_be_in_range(override, message):
    result = score(one_leaf_tree(), {"A11": {"inputs": {"score": "80"}, "override": override}})
    node = result.node("A11")

    assert (node.score, node.computed_score, node.error) == (None, D("80.00"), message)
    assert result.errors == (message,)
    assert (result.incomplete, result.unscored) == (True, ("A11",))


def test_an_override_without_inputs_scores_the_leaf_directly():
    judgments = {"A11": {"inputs": {}, "override": {"score": "70", "reason": "现场核查后评定。"}}}

    node = score(one_leaf_tree(), judgments).node("A11")

    assert (node.computed_score, node.score) == (None, D("70.00"))
    assert node.sentence == "评价组评定为70.00分，理由：现场核查后评定。"


# --------------------------------------------------------------------------
# 未评分 and errors
# --------------------------------------------------------------------------


def three_leaf_tree():
    return [
        parent(
            "A",
            "部门决策",
            "100",
            parent(
                "A1",
                "部门职能",
                "100",
                judged("A11", "30", name="甲"),
                judged("A12", "30", name="乙"),
                judged("A13", "40", name="丙"),
            ),
        ),
    ]


def test_unscored_leaves_count_as_zero_and_mark_the_result_incomplete():
    result = score(three_leaf_tree(), {"A11": given("30"), "A12": {"inputs": {}}})
    a1 = result.node("A1")

    assert (result.total, result.unscored, result.unscored_count, result.incomplete) == (
        D("30.00"),
        ("A12", "A13"),
        2,
        True,
    )
    assert (a1.score, a1.unscored_count, a1.status) == (D("30.00"), 2, "部分未评分")
    assert a1.sentence == "该二级指标满分100.00分，得分30.00分，得分率30.00%。其中2项指标尚未评分。"
    assert (result.node("A13").score, result.node("A13").status, result.node("A13").sentence) == (
        None,
        "未评分",
        "未评分。",
    )
    assert result.errors == ()
    assert (result.provisional, result.grade, result.grade_text, result.total_label) == (True, None, "—", "暂计")
    assert result.conclusion == "暂计得分：30.00分（尚有2项指标未评分，暂不评定等级）。"


def test_judgments_for_unknown_or_parent_codes_are_reported():
    result = score(three_leaf_tree(), {"A11": given("30"), "Z99": given("1"), "A1": given("1")})

    assert result.errors == ("Z99：指标体系中没有该指标", "A1：只能对末级指标评分")


def test_an_unreadable_judgment_is_reported_on_its_node():
    result = score(three_leaf_tree(), {"A11": {"inputs": {}, "override": {"score": "abc", "reason": "x"}}})

    assert result.node("A11").error == "A11：调整得分不是有效的数字：'abc'"
    assert result.errors == ("A11：调整得分不是有效的数字：'abc'",)


def test_tree_problems_are_part_of_the_result_errors():
    result = score([judged("A", "95")], {"A": given("90")})

    assert result.errors == ("一级指标权重之和为95，应为100",)
    assert (result.total, result.rescaled) == (D("90.00"), False)


# --------------------------------------------------------------------------
# 自评表 execution cap
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "cap"),
    [
        ("100", None),
        ("80", None),
        ("79.99", "89"),
        ("70", "89"),
        ("69.99", "79"),
        ("60", "79"),
        ("59.99", "69"),
        ("50", "69"),
        ("49.99", "59"),
        ("0", "59"),
    ],
)
def test_execution_cap_bands(rate, cap):
    assert execution_cap_for(D(rate)) == (D(cap) if cap else None)


@pytest.mark.parametrize(
    ("rate", "given_total", "total", "grade"),
    [
        ("75", "95", "89", "良"),
        ("65", "95", "79", "中"),
        ("55", "95", "69", "中"),
        ("45", "95", "59", "差"),
        ("85", "95", "95.00", "优"),
        ("75", "85", "85.00", "良"),
    ],
)
def test_execution_cap_limits_the_self_evaluated_total(rate, given_total, total, grade):
    settings = ScoringSettings(execution_cap=True, execution_rate=D(rate))

    result = score([judged("A", "100")], {"A": given(given_total)}, settings)

    assert (result.total, result.grade, result.total_before_cap) == (
        D(total),
        grade,
        D(given_total).quantize(D("0.01")),
    )
    assert result.capped is (D(total) != D(given_total))


def test_execution_cap_sentence():
    settings = ScoringSettings(execution_cap=True, execution_rate=D("75"))

    result = score([judged("A", "100")], {"A": given("95")}, settings)

    assert str(result.total) == "89.00"
    assert result.conclusion == "预算执行率75.00%，总分上限为89.00分。最终评分结果：89.00分，绩效评级为“良”。"


def test_execution_cap_is_off_by_default():
    result = score([judged("A", "100")], {"A": given("95")}, ScoringSettings(execution_rate=D("40")))

    assert (result.total, result.cap, result.capped) == (D("95.00"), None, False)


def test_execution_cap_without_a_rate_is_an_error_not_a_guess():
    result = score([judged("A", "100")], {"A": given("95")}, ScoringSettings(execution_cap=True))

    assert (result.total, result.errors) == (D("95.00"), ("已启用预算执行率封顶，但未提供预算执行率",))
