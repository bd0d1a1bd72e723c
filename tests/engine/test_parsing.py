"""Reading RULES.md's JSON shapes: rules, indicator lists, settings, judgments."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from rubrics.scoring import (
    Band,
    BandsRule,
    ChecklistRule,
    DeductRule,
    ExecutionCap,
    GradeBand,
    IndicatorSpec,
    InputError,
    JudgmentEntry,
    Override,
    RateDeviationRule,
    RatioRule,
    RuleError,
    ScoringSettings,
    Tier,
    TierRule,
    YesNoRule,
    indicators_from_dicts,
    judgments_from_dict,
    rule_from_dict,
    settings_from_dict,
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param({"kind": "checklist", "items": 4}, ChecklistRule(items=4), id="checklist"),
        pytest.param(
            {"kind": "checklist", "items": 3, "shares": ["1/3", "1/3", "1/3"]},
            ChecklistRule(items=3, shares=(Fraction(1, 3),) * 3),
            id="checklist-thirds-sum-exactly-to-one",
        ),
        pytest.param(
            {"kind": "deduct", "per_failure": "1/3", "unit": "share"},
            DeductRule(per_failure=Fraction(1, 3), unit="share"),
            id="deduct-fraction",
        ),
        pytest.param(
            {"kind": "deduct", "per_failure": "0.5", "unit": "points", "items": 6},
            DeductRule(per_failure=Fraction(1, 2), unit="points", items=6),
            id="deduct-points",
        ),
        pytest.param({"kind": "ratio"}, RatioRule(direction="positive"), id="ratio-default-positive"),
        pytest.param({"kind": "ratio", "direction": "negative"}, RatioRule(direction="negative"), id="ratio-negative"),
        pytest.param(
            {
                "kind": "rate_deviation",
                "threshold": "95",
                "direction": "at_least",
                "step": "5/100",
                "unit": "share",
                "zero_above": "100",
            },
            RateDeviationRule(
                threshold=Decimal("95"),
                direction="at_least",
                step=Fraction(1, 20),
                unit="share",
                zero_above=Decimal("100"),
            ),
            id="rate-deviation",
        ),
        pytest.param(
            {"kind": "bands", "bands": [{"min": "90", "score": "6"}, {"min": "85", "score": "5"}]},
            BandsRule(bands=(Band(Decimal("90"), Fraction(6)), Band(Decimal("85"), Fraction(5)))),
            id="bands",
        ),
        pytest.param({"kind": "yes_no"}, YesNoRule(), id="yes-no"),
        pytest.param(
            {"kind": "tier", "tiers": [["达成", "80", "100"]]},
            TierRule(tiers=(Tier("达成", Decimal("80"), Decimal("100")),)),
            id="tier-own-tiers",
        ),
    ],
)
def test_rule_from_dict_reads_every_kind(data, expected):
    assert rule_from_dict(data, "A11") == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param("checklist", "A11：规则应为对象", id="not-an-object"),
        pytest.param({"items": 4}, "A11：规则缺少kind", id="no-kind"),
        pytest.param({"kind": "percentage"}, "A11：未知的规则类型“percentage”", id="unknown-kind"),
        pytest.param({"kind": "checklist"}, "A11：规则缺少要点数（items）", id="checklist-no-items"),
        pytest.param({"kind": "checklist", "items": "0"}, "A11：规则字段要点数（items）应为正整数", id="checklist-zero-items"),
        pytest.param(
            {"kind": "checklist", "items": "2.5"}, "A11：规则字段要点数（items）应为正整数", id="checklist-fraction-items"
        ),
        pytest.param(
            {"kind": "checklist", "items": 3, "shares": ["1/2", "1/2"]},
            "A11：各要点所占权重分的比例（shares）的个数（2）应与要点数（3）一致",
            id="shares-count",
        ),
        pytest.param(
            {"kind": "checklist", "items": 3, "shares": ["1/2", "1/4", "1/8"]},
            "A11：各要点所占权重分的比例（shares）之和应为1，现为0.875",
            id="shares-sum",
        ),
        pytest.param(
            {"kind": "checklist", "items": 3, "shares": ["1/3", "1/3", "1/4"]},
            "A11：各要点所占权重分的比例（shares）之和应为1，现为11/12",
            id="shares-sum-fraction",
        ),
        pytest.param(
            {"kind": "deduct", "per_failure": "1", "unit": "percent"},
            "A11：规则字段扣分单位（unit）应为points或share",
            id="deduct-bad-unit",
        ),
        pytest.param({"kind": "deduct", "per_failure": "1"}, "A11：规则缺少扣分单位（unit）", id="deduct-no-unit"),
        pytest.param(
            {"kind": "deduct", "per_failure": "abc", "unit": "points"},
            "A11：规则字段每处不符扣（per_failure）不是有效的数字：'abc'",
            id="deduct-not-a-number",
        ),
        pytest.param(
            {"kind": "deduct", "per_failure": "1/0", "unit": "share"},
            "A11：规则字段每处不符扣（per_failure）不是有效的数字：'1/0'",
            id="deduct-zero-denominator",
        ),
        pytest.param(
            {"kind": "deduct", "per_failure": "-1", "unit": "points"},
            "A11：规则字段每处不符扣（per_failure）不能为负数",
            id="deduct-negative",
        ),
        pytest.param(
            {"kind": "deduct", "per_falure": "1", "unit": "points"},
            "A11：规则含有未知字段per_falure",
            id="typo-field",
        ),
        pytest.param(
            {"kind": "ratio", "direction": "up"},
            "A11：规则字段方向（direction）应为positive或negative",
            id="ratio-direction",
        ),
        pytest.param(
            {"kind": "rate_deviation", "direction": "at_least", "step": "1", "unit": "points"},
            "A11：规则缺少达标线（%）（threshold）",
            id="rate-no-threshold",
        ),
        pytest.param(
            {"kind": "rate_deviation", "threshold": "95", "direction": "above", "step": "1", "unit": "points"},
            "A11：规则字段满分条件（direction）应为at_least或at_most",
            id="rate-direction",
        ),
        pytest.param(
            {
                "kind": "rate_deviation",
                "threshold": "95",
                "direction": "at_least",
                "step": "1",
                "unit": "points",
                "per": "0",
            },
            "A11：规则字段每档的百分点数（per）应大于0",
            id="rate-per-zero",
        ),
        pytest.param(
            {
                "kind": "rate_deviation",
                "threshold": "95",
                "direction": "at_least",
                "step": "1",
                "unit": "points",
                "steps": "round",
            },
            "A11：规则字段不足一档时（steps）应为exact、ceil或floor",
            id="rate-steps",
        ),
        pytest.param(
            {
                "kind": "rate_deviation",
                "threshold": "10",
                "direction": "at_most",
                "step": "1",
                "unit": "points",
                "abs": "yes",
            },
            "A11：规则字段按绝对值比较（abs）应为true或false",
            id="rate-abs",
        ),
        pytest.param({"kind": "bands", "bands": []}, "A11：规则字段分档（bands）应为非空列表", id="bands-empty"),
        pytest.param({"kind": "bands"}, "A11：规则缺少分档（bands）", id="bands-missing"),
        pytest.param({"kind": "bands", "bands": "90:6"}, "A11：规则字段分档（bands）应为非空列表", id="bands-not-a-list"),
        pytest.param(
            {"kind": "bands", "bands": [{"min": "90"}]},
            "A11：分档（bands）的每一档应包含min和score",
            id="bands-no-score",
        ),
        pytest.param(
            {"kind": "bands", "bands": [{"min": "80", "score": "3"}, {"min": "90", "score": "6"}]},
            "A11：分档（bands）应按下限从高到低排列且不重复",
            id="bands-ascending",
        ),
        pytest.param(
            {"kind": "tier", "tiers": [["达成", "80"]]},
            "A11：档次应写成[名称, 下限, 上限]",
            id="tier-short-row",
        ),
        pytest.param(
            {"kind": "tier", "tiers": [["达成", "90", "80"]]},
            "A11：档次“达成”的区间应在0至100之间且下限不大于上限",
            id="tier-inverted",
        ),
    ],
)
def test_rule_from_dict_names_the_indicator_in_every_error(data, message):
    with pytest.raises(RuleError) as caught:
        rule_from_dict(data, "A11")

    assert caught.value.messages == [message]


def test_indicators_from_dicts_builds_the_tree():
    tree = indicators_from_dicts(
        [
            {
                "code": "A",
                "name": "部门决策",
                "weight": "100",
                "children": [
                    {
                        "code": "A1",
                        "name": "部门职能",
                        "weight": "100",
                        "children": [
                            {
                                "code": "A11",
                                "name": "部门职能明确性",
                                "weight": "100",
                                "rule": {"kind": "deduct", "per_failure": "1/3", "unit": "share"},
                                "binding": None,
                                "criteria": "每存在一点不符扣除权重分的1/3，扣完为止。",
                            },
                        ],
                    },
                ],
            },
        ]
    )

    a11 = tree[0].children[0].children[0]
    assert (tree[0].code, tree[0].weight, tree[0].kind) == ("A", Decimal("100"), "normal")
    assert a11.rule == DeductRule(per_failure=Fraction(1, 3), unit="share")
    assert a11.criteria == "每存在一点不符扣除权重分的1/3，扣完为止。"
    assert (a11.applicable, a11.is_leaf) == (True, True)


def test_indicators_from_dicts_lists_every_problem_at_once():
    items = [
        {
            "code": "A",
            "name": "部门决策",
            "weight": "10",
            "children": [
                {"code": "A11", "name": "甲", "weight": "5", "rule": {"kind": "checklist"}},
                {"code": "A12", "name": "乙"},
                {"name": "丙", "weight": "1"},
                {"code": "A14", "name": "丁", "weight": "abc"},
                {"code": "A15", "name": "戊", "weight": "1", "kind": "extra"},
                {"code": "A16", "name": "己", "weight": "1", "applicable": "no"},
            ],
        },
    ]

    with pytest.raises(RuleError) as caught:
        indicators_from_dicts(items)

    assert caught.value.messages == [
        "A11：规则缺少要点数（items）",
        "A12：缺少weight",
        "A的第3个下级指标：缺少code",
        "A14：权重不是有效的数字：'abc'",
        "A15：未知的指标类型“extra”",
        "A16：applicable应为true或false",
    ]
    assert str(caught.value) == "；".join(caught.value.messages)


def test_indicator_parses_a_rule_given_as_a_dict():
    indicator = IndicatorSpec(code="B23", name="会计信息完整性", weight="1", rule={"kind": "yes_no"})

    assert (indicator.weight, indicator.rule) == (Decimal("1"), YesNoRule())


def test_settings_from_dict_reads_the_system_settings():
    settings = settings_from_dict(
        {
            "grade_bands": [["85", "优"], ["70", "良"], ["60", "中"], ["0", "差"]],
            "tiers": [["达成", "80", "100"], ["部分达成", "50", "80"], ["未达成", "0", "50"]],
            "execution_cap": True,
            "execution_rate": "72.5",
            "over_achievement_threshold": "20",
        }
    )

    assert settings == ScoringSettings(
        grade_bands=(
            GradeBand(Decimal("85"), "优"),
            GradeBand(Decimal("70"), "良"),
            GradeBand(Decimal("60"), "中"),
            GradeBand(Decimal("0"), "差"),
        ),
        tiers=(
            Tier("达成", Decimal("80"), Decimal("100")),
            Tier("部分达成", Decimal("50"), Decimal("80")),
            Tier("未达成", Decimal("0"), Decimal("50")),
        ),
        execution_cap=True,
        execution_rate=Decimal("72.5"),
        over_achievement_threshold=Decimal("20"),
    )


def test_settings_default_to_the_national_rules():
    settings = settings_from_dict(None)

    assert [(band.min, band.grade) for band in settings.grade_bands] == [
        (Decimal("90"), "优"),
        (Decimal("80"), "良"),
        (Decimal("60"), "中"),
        (Decimal("0"), "差"),
    ]
    assert [(tier.name, tier.low, tier.high) for tier in settings.tiers] == [
        ("达成", Decimal("80"), Decimal("100")),
        ("部分达成", Decimal("60"), Decimal("80")),
        ("未达成", Decimal("0"), Decimal("60")),
    ]
    assert settings.execution_cap is False
    assert settings.over_achievement_threshold == Decimal("30")
    assert settings.execution_caps == (
        ExecutionCap(Decimal("80"), Decimal("89")),
        ExecutionCap(Decimal("70"), Decimal("79")),
        ExecutionCap(Decimal("60"), Decimal("69")),
        ExecutionCap(Decimal("50"), Decimal("59")),
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({"execution_cap": "yes"}, "设置：execution_cap应为true或false", id="cap-flag"),
        pytest.param({"grade_bands": [["90"]]}, "设置：grade_bands应为由两项组成的列表", id="bands-shape"),
        pytest.param(
            {"tiers": [["达成", "80", "120"]]},
            "设置：档次“达成”的区间应在0至100之间且下限不大于上限",
            id="tier-range",
        ),
        pytest.param({"execution_rate": "abc"}, "设置：不是数字：'abc'", id="rate"),
    ],
)
def test_settings_from_dict_rejects_bad_settings(data, message):
    with pytest.raises(RuleError) as caught:
        settings_from_dict(data)

    assert caught.value.messages == [message]


def test_judgments_from_dict_reads_a_scores_file():
    judgments = judgments_from_dict(
        {
            "A11": {"inputs": {"met": [True, True]}, "process": "…", "override": None},
            "B35": {"inputs": {"rate": "-83.36"}, "override": {"score": "0", "reason": "调整率超出范围"}},
        }
    )

    assert judgments == {
        "A11": JudgmentEntry(inputs={"met": [True, True]}),
        "B35": JudgmentEntry(inputs={"rate": "-83.36"}, override=Override(Decimal("0"), "调整率超出范围")),
    }


def test_judgments_from_dict_lists_every_problem():
    with pytest.raises(InputError) as caught:
        judgments_from_dict(
            {
                "A11": {"inputs": [1, 2]},
                "A12": {"inputs": {}, "override": {"reason": "无"}},
                "A13": {"inputs": {}, "override": {"score": "abc", "reason": "无"}},
            }
        )

    assert caught.value.messages == [
        "A11：inputs应为对象",
        "A12：调整得分缺少score",
        "A13：调整得分不是有效的数字：'abc'",
    ]
