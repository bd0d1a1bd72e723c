"""Every rule kind, one table of cases each, most taken from the seeds' 附件1."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rubrics.scoring import Bound, ScoringSettings, Tier

from .builders import score_leaf

# What the caller names each bound value (the labels come with the values; the engine knows no source).
BUDGET_EXECUTION = "预算执行率"
BUDGET_ADJUSTMENT = "预算调整率"
CARRYOVER_CHANGE = "结转结余变动率"
PROJECT_ADJUSTMENT = "项目支出预算调整率"
PUBLIC_EXPENSE_ADJUSTMENT = "公用经费调整率"
SURVEY = {"survey": "办事群众"}


def assert_scored(result, expected_score: str, expected_sentence: str) -> None:
    assert result.error is None
    assert result.score == Decimal(expected_score)
    assert str(result.score) == expected_score  # always two decimals
    assert result.sentence == expected_sentence


# --------------------------------------------------------------------------
# checklist
# --------------------------------------------------------------------------

EQUAL_4 = {"kind": "checklist", "items": 4}
EQUAL_3 = {"kind": "checklist", "items": 3}
EQUAL_5 = {"kind": "checklist", "items": 5}
SHARES_A22 = {"kind": "checklist", "items": 3, "shares": ["1/2", "1/4", "1/4"]}
SHARES_B41 = {"kind": "checklist", "items": 5, "shares": ["1/2", "1/8", "1/8", "1/8", "1/8"]}
HALVES = {"kind": "checklist", "items": 2}

T, F = True, False


@pytest.mark.parametrize(
    ("rule", "weight", "met", "expected", "sentence"),
    [
        pytest.param(EQUAL_4, "2", [T, T, T, T], "2.00", "4项评价要点中符合4项，得2.00分。", id="seed000-A11"),
        pytest.param(
            EQUAL_3, "3", [T, T, F], "2.00", "3项评价要点中符合2项，第3项不符合，得2.00分。", id="A12-one-missed"
        ),
        pytest.param(EQUAL_3, "2", [T, T, F], "1.33", "3项评价要点中符合2项，第3项不符合，得1.33分。", id="thirds"),
        pytest.param(
            EQUAL_5, "3", [T, T, T, T, F], "2.40", "5项评价要点中符合4项，第5项不符合，得2.40分。", id="seed000-B32"
        ),
        pytest.param(SHARES_A22, "2", [T, T, T], "2.00", "3项评价要点中符合3项，得2.00分。", id="seed002-A22"),
        pytest.param(
            SHARES_A22,
            "2",
            [F, T, T],
            "1.00",
            "3项评价要点中符合2项，第1项不符合，得1.00分。",
            id="A22-main-point-missed",
        ),
        pytest.param(
            SHARES_A22, "2", [T, F, T], "1.50", "3项评价要点中符合2项，第2项不符合，得1.50分。", id="A22-quarter-missed"
        ),
        pytest.param(
            SHARES_B41,
            "2",
            [T, T, F, T, F],
            "1.50",
            "5项评价要点中符合3项，第3、5项不符合，得1.50分。",
            id="seed002-B41",
        ),
        pytest.param(
            EQUAL_4, "2", [F, F, F, F], "0.00", "4项评价要点中符合0项，第1、2、3、4项不符合，得0.00分。", id="none-met"
        ),
        pytest.param(
            HALVES, "0.25", [T, F], "0.13", "2项评价要点中符合1项，第2项不符合，得0.13分。", id="half-up-0.125"
        ),
        pytest.param(
            HALVES, "5.35", [T, F], "2.68", "2项评价要点中符合1项，第2项不符合，得2.68分。", id="half-up-2.675"
        ),
    ],
)
def test_checklist_scores_the_shares_met(rule, weight, met, expected, sentence):
    assert_scored(score_leaf(rule, weight, {"met": met}), expected, sentence)


# --------------------------------------------------------------------------
# deduct
# --------------------------------------------------------------------------

THIRD = {"kind": "deduct", "per_failure": "1/3", "unit": "share", "items": 3}
QUARTER = {"kind": "deduct", "per_failure": "25/100", "unit": "share", "items": 4}
HALF = {"kind": "deduct", "per_failure": "50/100", "unit": "share", "items": 2}
ONE_POINT = {"kind": "deduct", "per_failure": "1", "unit": "points", "items": 3}


@pytest.mark.parametrize(
    ("rule", "weight", "failures", "expected", "sentence"),
    [
        pytest.param(THIRD, "2", 0, "2.00", "未发现不符情况，得满分2.00分。", id="seed002-A11"),
        pytest.param(
            THIRD, "2", 1, "1.33", "存在1处不符，每处扣除权重分的1/3，扣0.67分，得1.33分。", id="A11-one-third"
        ),
        pytest.param(
            THIRD, "2", 2, "0.67", "存在2处不符，每处扣除权重分的1/3，扣1.33分，得0.67分。", id="A11-two-thirds"
        ),
        pytest.param(THIRD, "2", 3, "0.00", "存在3处不符，每处扣除权重分的1/3，扣2.00分，得0.00分。", id="A11-all"),
        pytest.param(
            QUARTER, "2", 3, "0.50", "存在3处不符，每处扣除权重分的25%，扣1.50分，得0.50分。", id="seed002-A21"
        ),
        pytest.param(HALF, "2", 1, "1.00", "存在1处不符，每处扣除权重分的50%，扣1.00分，得1.00分。", id="seed002-A23"),
        pytest.param(ONE_POINT, "2", 1, "1.00", "存在1处不符，每处扣1分，扣1.00分，得1.00分。", id="seed002-B61"),
        pytest.param(ONE_POINT, "2", 3, "0.00", "存在3处不符，每处扣1分，扣完为止，得0.00分。", id="floor-at-zero"),
    ],
)
def test_deduct_takes_off_per_failure(rule, weight, failures, expected, sentence):
    assert_scored(score_leaf(rule, weight, {"failures": failures}), expected, sentence)


# --------------------------------------------------------------------------
# ratio
# --------------------------------------------------------------------------

POSITIVE = {"kind": "ratio", "direction": "positive"}
NEGATIVE = {"kind": "ratio", "direction": "negative"}


@pytest.mark.parametrize(
    ("rule", "weight", "actual", "target", "expected", "sentence"),
    [
        pytest.param(
            POSITIVE,
            "4",
            "487.29",
            "487.29",
            "4.00",
            "实际完成值487.29，标杆值487.29，完成率100.00%，得分=4×100%=4.00分。",
            id="seed000-B31",
        ),
        pytest.param(
            POSITIVE,
            "3",
            "487.29",
            "487.29",
            "3.00",
            "实际完成值487.29，标杆值487.29，完成率100.00%，得分=3×100%=3.00分。",
            id="seed000-B31-as-printed",
        ),
        pytest.param(
            POSITIVE,
            "4",
            "508",
            "504",
            "4.00",
            "实际完成值508，标杆值504，完成率100.79%，得分=4×100%=4.00分。",
            id="seed000-C19-capped",
        ),
        pytest.param(
            POSITIVE,
            "3",
            "1",
            "2",
            "1.50",
            "实际完成值1，标杆值2，完成率50.00%，得分=3×50%=1.50分。",
            id="seed000-B41",
        ),
        pytest.param(
            POSITIVE,
            "10",
            "65",
            "100",
            "6.50",
            "实际完成值65，标杆值100，完成率65.00%，得分=10×65%=6.50分。",
            id="seed002-C22",
        ),
        pytest.param(
            POSITIVE,
            "4",
            "480",
            "504",
            "3.81",
            "实际完成值480，标杆值504，完成率95.24%，得分=4×95.24%=3.81分。",
            id="below-target",
        ),
        pytest.param(
            NEGATIVE,
            "4",
            "110",
            "100",
            "3.64",
            "实际完成值110，标杆值100，完成率（标杆值/实际完成值）90.91%，得分=4×90.91%=3.64分。",
            id="negative-over-target",
        ),
        pytest.param(
            NEGATIVE,
            "4",
            "90",
            "100",
            "4.00",
            "实际完成值90，标杆值100，完成率（标杆值/实际完成值）111.11%，得分=4×100%=4.00分。",
            id="negative-under-target",
        ),
        pytest.param(
            POSITIVE,
            "4",
            "-3",
            "10",
            "0.00",
            "实际完成值-3，标杆值10，完成率-30.00%，得分=4×0%=0.00分。",
            id="negative-actual",
        ),
        pytest.param(
            POSITIVE,
            "4",
            "5",
            "0",
            "4.00",
            "实际完成值5，标杆值0，达到标杆值，得满分4.00分。",
            id="zero-target-reached",
        ),
        pytest.param(
            POSITIVE,
            "4",
            "-1",
            "0",
            "0.00",
            "实际完成值-1，标杆值0，未达到标杆值，得0.00分。",
            id="zero-target-missed",
        ),
        pytest.param(
            NEGATIVE,
            "4",
            "0",
            "5",
            "4.00",
            "实际完成值0，标杆值5，达到标杆值，得满分4.00分。",
            id="negative-zero-actual",
        ),
    ],
)
def test_ratio_scores_against_the_target(rule, weight, actual, target, expected, sentence):
    assert_scored(score_leaf(rule, weight, {"actual": actual, "target": target}), expected, sentence)


@pytest.mark.parametrize(
    ("actual", "target", "deviation", "flagged"),
    [
        pytest.param("508", "504", "0.7936507936507936507936507937", False, id="seed000-C19"),
        pytest.param("174", "116", "50", True, id="seed000-C13"),
        pytest.param("661263", "502500", "31.59462686567164179104477612", True, id="seed000-C15"),
        pytest.param("6042", "2107", "186.7584242999525391551969625", True, id="seed000-C18"),
        pytest.param("150.8", "116", "30", True, id="exactly-30-percent"),
        pytest.param("150.79", "116", "29.99137931034482758620689655", False, id="just-under-30"),
        pytest.param("65", "100", "-35", True, id="under-achievement"),
    ],
)
def test_ratio_flags_a_deviation_of_30_percent_without_changing_the_score(actual, target, deviation, flagged):
    result = score_leaf(POSITIVE, "4", {"actual": actual, "target": target})

    assert result.deviation == Decimal(deviation)
    assert result.deviation_flagged is flagged
    assert result.score == min(Decimal("4.00"), result.score)


def test_ratio_flag_explains_itself_to_the_evaluator():
    result = score_leaf(POSITIVE, "4", {"actual": "174", "target": "116"})

    assert result.score == Decimal("4.00")
    assert result.notes == ("实际完成值高于标杆值50.00%，达到30%的提示线，请评价组判断是否调整得分并说明理由。",)


def test_ratio_flag_threshold_is_a_setting():
    settings = ScoringSettings(over_achievement_threshold=Decimal("60"))

    result = score_leaf(POSITIVE, "4", {"actual": "174", "target": "116"}, settings=settings)

    assert (result.deviation_flagged, result.notes) == (False, ())


def test_ratio_flags_a_zero_target_with_an_actual():
    result = score_leaf(POSITIVE, "4", {"actual": "5", "target": "0"})

    assert (result.deviation, result.deviation_flagged) == (None, True)
    assert result.notes == ("标杆值为0，无法计算偏离程度，请评价组判断是否调整得分并说明理由。",)


# --------------------------------------------------------------------------
# rate_deviation
# --------------------------------------------------------------------------

B11 = {"kind": "rate_deviation", "threshold": "10", "direction": "at_most", "step": "3/100", "unit": "share"}
B12 = {
    "kind": "rate_deviation",
    "threshold": "95",
    "direction": "at_least",
    "step": "5/100",
    "unit": "share",
    "zero_above": "100",
}
B13 = {"kind": "rate_deviation", "threshold": "10", "direction": "at_most", "step": "0.5", "unit": "points", "per": "5"}
B13_CEIL = {**B13, "steps": "ceil"}
B13_FLOOR = {**B13, "steps": "floor"}
C52 = {"kind": "rate_deviation", "threshold": "90", "direction": "at_least", "step": "0.2", "unit": "points"}
B35 = {
    "kind": "rate_deviation",
    "threshold": "10",
    "direction": "at_most",
    "abs": True,
    "step": "0.1",
    "unit": "points",
}
C22_000 = {
    "kind": "rate_deviation",
    "threshold": "10",
    "direction": "at_most",
    "abs": True,
    "step": "1",
    "unit": "share",
    "zero_above": "10",
}


@pytest.mark.parametrize(
    ("rule", "weight", "label", "rate", "expected", "sentence"),
    [
        pytest.param(
            B11,
            "2",
            BUDGET_ADJUSTMENT,
            "-5.18",
            "2.00",
            "预算调整率-5.18%，不高于10%，得满分2.00分。",
            id="seed002-B11",
        ),
        pytest.param(
            B11,
            "2",
            BUDGET_ADJUSTMENT,
            "15",
            "1.70",
            "预算调整率15.00%，高于10%，超出5.00个百分点，每超出1%扣除权重分的3%，扣0.30分，得1.70分。",
            id="B11-over",
        ),
        pytest.param(
            B11,
            "2",
            BUDGET_ADJUSTMENT,
            "50",
            "0.00",
            "预算调整率50.00%，高于10%，超出40.00个百分点，每超出1%扣除权重分的3%，扣完为止，得0.00分。",
            id="B11-exhausted",
        ),
        pytest.param(
            B12, "2", BUDGET_EXECUTION, "100", "2.00", "预算执行率100.00%，不低于95%，得满分2.00分。", id="seed002-B12"
        ),
        pytest.param(
            B12, "2", BUDGET_EXECUTION, "95", "2.00", "预算执行率95.00%，不低于95%，得满分2.00分。", id="B12-threshold"
        ),
        pytest.param(
            B12,
            "2",
            BUDGET_EXECUTION,
            "92.5",
            "1.75",
            "预算执行率92.50%，低于95%，偏离2.50个百分点，每偏离1%扣除权重分的5%，扣0.25分，得1.75分。",
            id="B12-pro-rata",
        ),
        pytest.param(
            B12,
            "2",
            BUDGET_EXECUTION,
            "100.01",
            "0.00",
            "预算执行率100.01%，高于100%，不得分，得0.00分。",
            id="B12-above-100",
        ),
        pytest.param(
            B13,
            "1",
            CARRYOVER_CHANGE,
            "-100",
            "1.00",
            "结转结余变动率-100.00%，不高于10%，得满分1.00分。",
            id="seed002-B13",
        ),
        pytest.param(
            B13,
            "1",
            CARRYOVER_CHANGE,
            "17.5",
            "0.25",
            "结转结余变动率17.50%，高于10%，超出7.50个百分点，每超出5%扣0.5分，扣0.75分，得0.25分。",
            id="B13-pro-rata",
        ),
        pytest.param(
            B13_CEIL,
            "1",
            CARRYOVER_CHANGE,
            "17.5",
            "0.00",
            "结转结余变动率17.50%，高于10%，超出7.50个百分点，每超出5%扣0.5分，计2档，扣1.00分，得0.00分。",
            id="B13-ceil",
        ),
        pytest.param(
            B13_FLOOR,
            "1",
            CARRYOVER_CHANGE,
            "17.5",
            "0.50",
            "结转结余变动率17.50%，高于10%，超出7.50个百分点，每超出5%扣0.5分，计1档，扣0.50分，得0.50分。",
            id="B13-floor",
        ),
        pytest.param(
            B13_FLOOR,
            "1",
            CARRYOVER_CHANGE,
            "13",
            "1.00",
            "结转结余变动率13.00%，高于10%，超出3.00个百分点，每超出5%扣0.5分，计0档，不扣分，得满分1.00分。",
            id="B13-floor-no-full-step",
        ),
        pytest.param(C52, "4", None, "100", "4.00", "群众满意度100.00%，不低于90%，得满分4.00分。", id="seed000-C52"),
        pytest.param(
            C52,
            "4",
            None,
            "88.5",
            "3.70",
            "群众满意度88.50%，低于90%，偏离1.50个百分点，每偏离1%扣0.2分，扣0.30分，得3.70分。",
            id="C52-below",
        ),
        pytest.param(
            C52,
            "4",
            None,
            "60",
            "0.00",
            "群众满意度60.00%，低于90%，偏离30.00个百分点，每偏离1%扣0.2分，扣完为止，得0.00分。",
            id="C52-exhausted",
        ),
        pytest.param(
            B35,
            "3",
            PROJECT_ADJUSTMENT,
            "-83.36",
            "0.00",
            "项目支出预算调整率-83.36%，绝对值高于10%，超出73.36个百分点，每超出1%扣0.1分，扣完为止，得0.00分。",
            id="seed000-B35",
        ),
        pytest.param(
            B35,
            "3",
            PROJECT_ADJUSTMENT,
            "-9.5",
            "3.00",
            "项目支出预算调整率-9.50%，绝对值不高于10%，得满分3.00分。",
            id="B35-within",
        ),
        pytest.param(
            B35,
            "3",
            PROJECT_ADJUSTMENT,
            "12.5",
            "2.75",
            "项目支出预算调整率12.50%，绝对值高于10%，超出2.50个百分点，每超出1%扣0.1分，扣0.25分，得2.75分。",
            id="B35-over",
        ),
        pytest.param(
            C22_000,
            "4",
            PUBLIC_EXPENSE_ADJUSTMENT,
            "196.29",
            "0.00",
            "公用经费调整率196.29%，绝对值高于10%，不得分，得0.00分。",
            id="seed000-C22",
        ),
    ],
)
def test_rate_deviation_deducts_outside_the_threshold(rule, weight, label, rate, expected, sentence):
    if label is None:  # typed, named after the indicator
        result = score_leaf(rule, weight, {"rate": rate}, name="群众满意度")
    else:  # bound: the value and its name come from the caller
        result = score_leaf(rule, weight, {}, bound=Bound(label, rate), binding={"ratio": "some_ratio"})
    assert_scored(result, expected, sentence)


def test_a_bound_value_replaces_the_typed_input_it_feeds():
    result = score_leaf(B12, "2", {"rate": "50"}, bound=Bound(BUDGET_EXECUTION, "100"), binding={"ratio": "r"})
    assert_scored(result, "2.00", "预算执行率100.00%，不低于95%，得满分2.00分。")


def test_a_bound_source_without_a_value_is_not_scored_and_a_typed_number_never_replaces_it():
    missing = Bound(BUDGET_EXECUTION, None, "支出调整预算数未填写，无法计算")

    result = score_leaf(B12, "2", {"rate": "100"}, bound=missing, binding={"ratio": "r"})

    assert (result.score, result.error, result.status) == (None, None, "未评分")
    assert result.pending == "预算执行率：支出调整预算数未填写，无法计算"
    assert result.sentence == "未评分。"


def test_a_bound_source_without_a_value_can_still_be_overridden_with_a_reason():
    missing = Bound(BUDGET_EXECUTION, None, "支出调整预算数未填写，无法计算")

    result = score_leaf(B12, "2", {}, bound=missing, binding={"ratio": "r"}, override=("2", "决算报表显示全部执行"))

    assert (result.score, result.pending, result.overridden) == (Decimal("2.00"), "", True)
    assert result.sentence == "评价组评定为2.00分，理由：决算报表显示全部执行。"


def test_rate_deviation_label_overrides_the_binding_name():
    rule = {**B12, "label": "基本支出预算执行率"}

    result = score_leaf(rule, "1", {}, bound=Bound(BUDGET_EXECUTION, "100"), binding={"ratio": "r"})

    assert result.sentence == "基本支出预算执行率100.00%，不低于95%，得满分1.00分。"


# --------------------------------------------------------------------------
# bands
# --------------------------------------------------------------------------

D31 = {
    "kind": "bands",
    "bands": [{"min": "90", "score": "6"}, {"min": "85", "score": "5"}, {"min": "80", "score": "3"}],
}
SHARE_BANDS = {
    "kind": "bands",
    "bands": [{"min": "98", "score": "1"}],
    "unit": "share",
    "else": "1/2",
    "label": "网上办理率",
}
COUNT_BANDS = {"kind": "bands", "bands": [{"min": "10", "score": "2"}], "percent": False, "label": "培训场次"}


@pytest.mark.parametrize(
    ("rule", "weight", "value", "expected", "sentence"),
    [
        pytest.param(D31, "6", "93.32", "6.00", "满意度93.32%，处于≥90%区间，得6.00分。", id="seed002-D31"),
        pytest.param(D31, "6", "90", "6.00", "满意度90.00%，处于≥90%区间，得6.00分。", id="D31-lower-bound-included"),
        pytest.param(D31, "6", "89.99", "5.00", "满意度89.99%，处于≥85%且<90%区间，得5.00分。", id="D31-85-90"),
        pytest.param(D31, "6", "85", "5.00", "满意度85.00%，处于≥85%且<90%区间，得5.00分。", id="D31-85"),
        pytest.param(D31, "6", "84.99", "3.00", "满意度84.99%，处于≥80%且<85%区间，得3.00分。", id="D31-80-85"),
        pytest.param(D31, "6", "79.99", "0.00", "满意度79.99%，低于80%，得0.00分。", id="D31-below-80"),
        pytest.param(SHARE_BANDS, "10", "97", "5.00", "网上办理率97.00%，低于98%，得5.00分。", id="share-else"),
        pytest.param(
            SHARE_BANDS, "10", "99.5", "10.00", "网上办理率99.50%，处于≥98%区间，得10.00分。", id="seed002-C21"
        ),
        pytest.param(COUNT_BANDS, "2", "12", "2.00", "培训场次12，处于≥10区间，得2.00分。", id="plain-number"),
    ],
)
def test_bands_score_the_first_band_reached(rule, weight, value, expected, sentence):
    assert_scored(score_leaf(rule, weight, {}, bound=Bound("满意度", value), binding=SURVEY), expected, sentence)


# --------------------------------------------------------------------------
# yes_no
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "weight", "yes", "expected", "sentence"),
    [
        pytest.param("normal", "1", True, "1.00", "符合评价要点，得满分1.00分。", id="seed002-B23"),
        pytest.param("normal", "2", False, "0.00", "不符合评价要点，得0.00分。", id="seed002-B32"),
        pytest.param("bonus", "2", True, "2.00", "符合加分条件，加2.00分。", id="bonus-yes"),
        pytest.param("bonus", "2", False, "0.00", "不符合加分条件，不加分。", id="seed000-F1"),
        pytest.param("deduction", "2", True, "2.00", "存在扣分情况，扣2.00分。", id="deduction-yes"),
        pytest.param("deduction", "2", False, "0.00", "不存在扣分情况，不扣分。", id="seed000-F2"),
    ],
)
def test_yes_no_gives_all_or_nothing(kind, weight, yes, expected, sentence):
    assert_scored(score_leaf({"kind": "yes_no"}, weight, {"yes": yes}, kind=kind), expected, sentence)


# --------------------------------------------------------------------------
# tier
# --------------------------------------------------------------------------

GUIZHOU_TIERS = [["达成", "80", "100"], ["部分达成", "50", "80"], ["未达成", "0", "50"]]


@pytest.mark.parametrize(
    ("rule", "tier", "share", "expected", "sentence"),
    [
        pytest.param(
            {"kind": "tier"},
            "部分达成",
            "75",
            "3.00",
            "评价为“部分达成”（60%—80%），按75%计，得分=4×75%=3.00分。",
            id="national",
        ),
        pytest.param(
            {"kind": "tier"},
            "达成",
            "80",
            "3.20",
            "评价为“达成”（80%—100%），按80%计，得分=4×80%=3.20分。",
            id="达成-low",
        ),
        pytest.param(
            {"kind": "tier"},
            "达成",
            "100",
            "4.00",
            "评价为“达成”（80%—100%），按100%计，得分=4×100%=4.00分。",
            id="达成-full",
        ),
        pytest.param(
            {"kind": "tier"},
            "未达成",
            "0",
            "0.00",
            "评价为“未达成”（0%—60%），按0%计，得分=4×0%=0.00分。",
            id="未达成-zero",
        ),
        pytest.param(
            {"kind": "tier", "tiers": GUIZHOU_TIERS},
            "部分达成",
            "55",
            "2.20",
            "评价为“部分达成”（50%—80%），按55%计，得分=4×55%=2.20分。",
            id="own-tiers-guizhou",
        ),
    ],
)
def test_tier_scores_the_share_inside_the_tier(rule, tier, share, expected, sentence):
    assert_scored(score_leaf(rule, "4", {"tier": tier, "share": share}), expected, sentence)


def test_tier_uses_the_settings_tiers_when_the_rule_has_none():
    settings = ScoringSettings(tiers=(Tier("部分达成", Decimal("50"), Decimal("80")),))

    result = score_leaf({"kind": "tier"}, "4", {"tier": "部分达成", "share": "55"}, settings=settings)

    assert result.score == Decimal("2.20")


# --------------------------------------------------------------------------
# judgment
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weight", "given", "expected", "sentence"),
    [
        pytest.param("4", "2.5", "2.50", "评价人员综合判断，得2.50分。", id="plain"),
        pytest.param("4", "4", "4.00", "评价人员综合判断，得4.00分。", id="full"),
        pytest.param("4", "0", "0.00", "评价人员综合判断，得0.00分。", id="zero"),
        pytest.param("1", "0.125", "0.13", "评价人员综合判断，得0.13分。", id="half-up-0.125"),
        pytest.param("4", "2.675", "2.68", "评价人员综合判断，得2.68分。", id="half-up-2.675"),
        pytest.param("4", "2.665", "2.67", "评价人员综合判断，得2.67分。", id="half-up-not-bankers"),
    ],
)
def test_judgment_keeps_the_evaluators_score(weight, given, expected, sentence):
    assert_scored(score_leaf({"kind": "judgment"}, weight, {"score": given}), expected, sentence)


def test_a_leaf_without_rule_is_scored_as_judgment():
    assert_scored(score_leaf(None, "4", {"score": "3"}), "3.00", "评价人员综合判断，得3.00分。")


# --------------------------------------------------------------------------
# inputs that cannot be scored
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "inputs", "message"),
    [
        pytest.param(POSITIVE, {"actual": "5"}, "X11：未填写标杆值（目标值）", id="ratio-missing-target"),
        pytest.param(EQUAL_4, {"met": [True, True]}, "X11：应对4项评价要点逐项判断符合或不符合", id="checklist-wrong-length"),
        pytest.param(EQUAL_4, {"met": [1, 1, 1, 1]}, "X11：评价要点的判断应为符合（true）、不符合（false）或未判断（null）", id="checklist-not-booleans"),
        pytest.param(THIRD, {"failures": "1.5"}, "X11：不符合的要点数（处）应为非负整数", id="deduct-fraction"),
        pytest.param(THIRD, {"failures": -1}, "X11：不符合的要点数（处）应为非负整数", id="deduct-negative"),
        pytest.param(THIRD, {"failures": 4}, "X11：不符点数4超过评价要点数3", id="deduct-more-than-items"),
        pytest.param(B12, {"rate": "abc"}, "X11：比率（%）不是有效的数字：'abc'", id="rate-not-a-number"),
        pytest.param({"kind": "yes_no"}, {"yes": "true"}, "X11：是否符合评价要点应为true或false", id="yes-no-string"),
        pytest.param(
            {"kind": "tier"},
            {"tier": "部分达成", "share": "85"},
            "X11：完成比例85%不在“部分达成”档的60%—80%区间内",
            id="tier-share-outside",
        ),
        pytest.param(
            {"kind": "tier"},
            {"tier": "基本达成", "share": "85"},
            "X11：未知的档次“基本达成”，应为达成、部分达成、未达成之一",
            id="tier-unknown",
        ),
        pytest.param({"kind": "judgment"}, {"score": "4.01"}, "X11：得分4.01超出0至4分的范围", id="judgment-above"),
        pytest.param({"kind": "judgment"}, {"score": "-1"}, "X11：得分-1超出0至4分的范围", id="judgment-negative"),
    ],
)
def test_inputs_that_cannot_be_scored_leave_the_leaf_unscored_with_a_message(rule, inputs, message):
    result = score_leaf(rule, "4", inputs)

    assert (result.score, result.error, result.status, result.unscored_count) == (None, message, "有误", 1)
