"""validate_tree: every structural problem of an indicator system, in Chinese."""

from __future__ import annotations

from rubrics.scoring import indicators_from_dicts, validate_tree

from .builders import judged, make_leaf, parent
from .seed_systems import SEED_000_INDICATORS, SEED_002_INDICATORS


def test_the_seed_systems_are_valid():
    assert validate_tree(indicators_from_dicts(SEED_002_INDICATORS)) == []
    assert validate_tree(indicators_from_dicts(SEED_000_INDICATORS)) == []


def test_children_must_sum_to_their_parent():
    tree = [
        parent(
            "A",
            "部门决策",
            "100",
            parent("A1", "部门职能", "4", judged("A11", "2"), judged("A12", "3")),
            judged("A2", "97"),
        )
    ]

    assert validate_tree(tree) == [
        "A：下级指标权重之和为101，应等于本级权重100",
        "A1：下级指标权重之和为5，应等于本级权重4",
    ]


def test_first_level_normal_weights_must_sum_to_100():
    tree = [judged("A", "15"), judged("B", "25"), judged("C", "55")]

    assert validate_tree(tree) == ["一级指标权重之和为95，应为100"]


def test_codes_must_be_unique():
    tree = [parent("A", "部门决策", "100", judged("A11", "50"), judged("A11", "50"))]

    assert validate_tree(tree) == ["A11：编码重复"]


def test_weights_must_be_non_negative_with_at_most_two_decimals():
    tree = [parent("A", "部门决策", "100", judged("A11", "100.005"), judged("A12", "-0.005"))]

    assert validate_tree(tree) == [
        "A11：权重最多保留两位小数",
        "A12：权重不能为负数",
        "A12：权重最多保留两位小数",
    ]


def test_three_levels_at_most():
    tree = [parent("A", "甲", "100", parent("A1", "乙", "100", parent("A11", "丙", "100", judged("A111", "100"))))]

    assert validate_tree(tree) == ["A111：指标层级超过三级"]


def test_a_parent_has_no_rule():
    a1 = parent("A1", "乙", "100", judged("A11", "100"), rule={"kind": "yes_no"})

    assert validate_tree([parent("A", "甲", "100", a1)]) == ["A1：有下级指标的指标不能设置评分规则"]


def test_bonus_and_deduction_items_sit_in_an_adjustment_container():
    misplaced = make_leaf({"kind": "yes_no"}, "2", code="A12", kind="bonus")
    tree = [
        parent("A", "甲", "100", judged("A11", "100"), misplaced),
        parent(
            "D", "加减分项", "2", parent("D1", "加减分", "0", judged("D11", "2"), kind="adjustment"), kind="adjustment"
        ),
        parent("E", "空加减分", "0", kind="adjustment"),
    ]

    assert validate_tree(tree) == [
        "A：下级指标权重之和为102，应等于本级权重100",
        "A12：加分项、减分项应放在加减分项之下",
        "D：加减分项的权重应为0",
        "D11：加减分项之下只能放加分项、减分项",
        "E：加减分项应包含加分项或减分项",
    ]


def test_a_bonus_item_is_a_leaf_and_an_adjustment_is_not_under_a_normal_node():
    bonus_parent = parent("D", "加分", "2", judged("D1", "2"), kind="bonus")
    adjustment = parent(
        "A2", "加减分", "0", make_leaf({"kind": "yes_no"}, "1", code="A21", kind="bonus"), kind="adjustment"
    )
    tree = [parent("A", "甲", "100", judged("A1", "100"), adjustment), bonus_parent]

    assert validate_tree(tree) == [
        "A2：加减分项不能放在普通指标之下",
        "D：加分项、减分项应为末级指标",
    ]


def test_a_band_above_the_weight_is_reported():
    d31 = make_leaf({"kind": "bands", "bands": [{"min": "90", "score": "7"}]}, "6", code="D31")
    tree = [parent("D", "满意度", "100", d31, judged("D32", "94"))]

    assert validate_tree(tree) == ["D31：分档得分7超过权重6"]
