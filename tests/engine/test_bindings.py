"""A binding names only its source; the rule kind decides which input the bound value feeds."""

from decimal import Decimal

import pytest

from rubrics.scoring import RULE_KINDS, Bound, IndicatorSpec, JudgmentEntry, RuleError, bound_input, score_indicator

BANDS = {"kind": "bands", "bands": [{"min": "95", "score": "2"}, {"min": "80", "score": "1"}]}
RATE = {"kind": "rate_deviation", "threshold": "95", "direction": "at_least", "step": "1", "unit": "points"}
RATIO = {"kind": "ratio"}


def test_which_input_a_bound_value_feeds_follows_from_the_rule_kind():
    assert {kind: bound_input(kind) for kind in RULE_KINDS} == {
        "checklist": None,
        "deduct": None,
        "ratio": "actual",
        "rate_deviation": "rate",
        "bands": "value",
        "yes_no": None,
        "tier": None,
        "judgment": None,
        "composite": None,
    }


@pytest.mark.parametrize(
    ("rule", "inputs", "score", "sentence"),
    [
        (BANDS, {}, "2.00", "预算执行率96.50%，处于≥95%区间，得2.00分。"),
        (RATE, {"rate": "10"}, "2.00", "预算执行率96.50%，不低于95%，得满分2.00分。"),
        (RATIO, {"target": "100"}, "1.93", "实际完成值96.5，标杆值100，完成率96.50%，得分=2×96.5%=1.93分。"),
    ],
)
def test_a_ratio_bound_leaf_is_fed_whatever_its_rule_kind(rule, inputs, score, sentence):
    leaf = IndicatorSpec("B12", "预算执行率", Decimal("2"), rule=rule, binding={"ratio": "budget_execution_rate"})
    result = score_indicator(leaf, JudgmentEntry(inputs=inputs, bound=Bound("预算执行率", Decimal("96.50"))))
    assert (result.error, str(result.score), result.sentence) == (None, score, sentence)


@pytest.mark.parametrize(
    ("rule", "binding", "children", "message"),
    [
        ({"kind": "yes_no"}, {"ratio": "budget_execution_rate"}, (),
         "X11：评分规则“是否符合（满分或零分）”没有可取自数据的输入，不能设置数据来源"),
        (None, {"survey": "群众"}, (), "X11：评分规则“评价人员综合判断”没有可取自数据的输入，不能设置数据来源"),
        (BANDS, {"input": "value", "survey": "群众"}, (), "X11：数据来源含有未知字段input"),
        (BANDS, {"ratio": "budget_execution_rate", "survey": "群众"}, (), "X11：数据来源应写明一个ratio或survey"),
        (BANDS, {"ratio": ""}, (), "X11：数据来源应写明一个ratio或survey"),
        (None, {"ratio": "budget_execution_rate"}, (IndicatorSpec("X111", "下级", Decimal("2")),),
         "X11：有下级指标的指标不能设置数据来源"),
    ],
)
def test_a_binding_that_could_feed_nothing_is_refused(rule, binding, children, message):
    with pytest.raises(RuleError) as caught:
        IndicatorSpec("X11", "指标", Decimal("2"), rule=rule, binding=binding, children=children)
    assert caught.value.messages == [message]


def test_an_empty_binding_is_no_binding():
    assert IndicatorSpec("X11", "指标", Decimal("2"), rule={"kind": "yes_no"}, binding={}).binding is None
