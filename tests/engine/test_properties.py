"""Properties that hold for any rule and any inputs (hypothesis)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from rubrics.scoring import IndicatorSpec, JudgmentEntry, indicators_from_dicts, score, score_indicator

TWO_PLACES = Decimal("0.01")


def decimals(low: str, high: str, places: int = 2) -> st.SearchStrategy[str]:
    return st.decimals(Decimal(low), Decimal(high), places=places, allow_nan=False, allow_infinity=False).map(str)


weights = decimals("0", "30")
amounts = st.one_of(decimals("0", "10"), st.integers(1, 12).map(lambda n: f"1/{n}"))


@st.composite
def checklist_cases(draw):
    items = draw(st.integers(1, 6))
    rule = {"kind": "checklist", "items": items}
    if draw(st.booleans()):
        parts = draw(st.lists(st.integers(1, 9), min_size=items, max_size=items))
        rule["shares"] = [str(Fraction(part, sum(parts))) for part in parts]
    answers = st.one_of(st.booleans(), st.none()) if draw(st.booleans()) else st.booleans()  # None: not yet judged
    return rule, {"met": draw(st.lists(answers, min_size=items, max_size=items))}


@st.composite
def deduct_cases(draw):
    rule = {"kind": "deduct", "per_failure": draw(amounts), "unit": draw(st.sampled_from(["points", "share"]))}
    return rule, {"failures": draw(st.integers(0, 20))}


@st.composite
def ratio_cases(draw):
    rule = {"kind": "ratio", "direction": draw(st.sampled_from(["positive", "negative"]))}
    return rule, {"actual": draw(decimals("-1000000", "1000000")), "target": draw(decimals("-1000000", "1000000"))}


@st.composite
def rate_deviation_cases(draw):
    rule = {
        "kind": "rate_deviation",
        "threshold": draw(decimals("0", "120")),
        "direction": draw(st.sampled_from(["at_least", "at_most"])),
        "step": draw(amounts),
        "unit": draw(st.sampled_from(["points", "share"])),
        "per": draw(decimals("0.5", "10")),
        "abs": draw(st.booleans()),
        "steps": draw(st.sampled_from(["exact", "ceil", "floor"])),
    }
    if draw(st.booleans()):
        rule["zero_above"] = draw(decimals("50", "150"))
    return rule, {"rate": draw(decimals("-300", "300"))}


@st.composite
def bands_cases(draw):
    mins = sorted(draw(st.sets(st.integers(0, 100), min_size=1, max_size=5)), reverse=True)
    scores = draw(st.lists(decimals("0", "40"), min_size=len(mins), max_size=len(mins)))
    rule = {
        "kind": "bands",
        "bands": [{"min": str(low), "score": band} for low, band in zip(mins, scores, strict=True)],
        "unit": draw(st.sampled_from(["points", "share"])),
        "else": draw(decimals("0", "40")),
    }
    return rule, {"value": draw(decimals("-50", "150"))}


@st.composite
def tier_cases(draw):
    tier = draw(st.sampled_from(["达成", "部分达成", "未达成"]))
    return {"kind": "tier"}, {"tier": tier, "share": draw(decimals("-10", "110"))}


@st.composite
def simple_cases(draw):
    if draw(st.booleans()):
        return {"kind": "yes_no"}, {"yes": draw(st.booleans())}
    return {"kind": "judgment"}, {"score": draw(decimals("-10", "40"))}


single_rule_case = st.one_of(
    checklist_cases(),
    deduct_cases(),
    ratio_cases(),
    rate_deviation_cases(),
    bands_cases(),
    tier_cases(),
    simple_cases(),
)


@st.composite
def composite_cases(draw):
    """Two to three parts of any other kind, with shares summing to 1."""
    cases = draw(st.lists(single_rule_case, min_size=2, max_size=3))
    weights = draw(st.lists(st.integers(1, 9), min_size=len(cases), max_size=len(cases)))
    parts = [
        {"name": f"分项{index}", "share": str(Fraction(part, sum(weights))), "rule": rule}
        for index, ((rule, _inputs), part) in enumerate(zip(cases, weights, strict=True), start=1)
    ]
    return {"kind": "composite", "parts": parts}, {"parts": [inputs for _rule, inputs in cases]}


any_rule_case = st.one_of(single_rule_case, composite_cases())


@settings(max_examples=400, deadline=None)
@given(case=any_rule_case, weight=weights)
def test_no_normal_leaf_score_ever_leaves_zero_to_weight(case, weight):
    rule, inputs = case
    indicator = IndicatorSpec(code="X11", name="指标", weight=Decimal(weight), rule=rule)

    result = score_indicator(indicator, JudgmentEntry(inputs=inputs))

    if result.score is None:
        assert result.error or result.pending  # bad inputs, or a point not yet judged
    else:
        assert Decimal(0) <= result.score <= Decimal(weight)
        assert result.score == result.score.quantize(TWO_PLACES)
        assert result.score.as_tuple().exponent == -2


@st.composite
def scored_trees(draw):
    """A random valid three-level tree with judgment leaves, some missing, some not applicable."""
    first_count = draw(st.integers(1, 4))
    cents = draw(
        st.lists(st.integers(1, 10_000), min_size=first_count, max_size=first_count).filter(
            lambda values: sum(values) <= 10_000
        )
    )
    cents[-1] += 10_000 - sum(cents)  # first level sums to exactly 100.00
    items, judgments = [], {}
    for first_index, first_cents in enumerate(cents):
        first_code = chr(ord("A") + first_index)
        second_cents = split(draw, first_cents, draw(st.integers(1, 3)))
        children = []
        for second_index, second_weight in enumerate(second_cents, start=1):
            second_code = f"{first_code}{second_index}"
            leaves = []
            for leaf_index, leaf_weight in enumerate(split(draw, second_weight, draw(st.integers(1, 4))), start=1):
                code = f"{second_code}{leaf_index}"
                weight = Decimal(leaf_weight) / 100
                leaves.append(
                    {
                        "code": code,
                        "name": code,
                        "weight": str(weight),
                        "rule": {"kind": "judgment"},
                        "applicable": draw(st.booleans()) or draw(st.booleans()),
                    }
                )
                if draw(st.integers(0, 4)):
                    share = draw(st.integers(0, 1000))
                    judgments[code] = {"inputs": {"score": str(weight * share / 1000)}}
            children.append(
                {
                    "code": second_code,
                    "name": second_code,
                    "weight": str(Decimal(second_weight) / 100),
                    "children": leaves,
                }
            )
        items.append(
            {"code": first_code, "name": first_code, "weight": str(Decimal(first_cents) / 100), "children": children}
        )
    return items, judgments


def split(draw, total: int, parts: int) -> list[int]:
    """Split an amount in cents into ``parts`` non-negative integers."""
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *cuts, total]
    return [high - low for low, high in itertools.pairwise(bounds)]


@settings(max_examples=200, deadline=None)
@given(case=scored_trees())
def test_a_parent_always_equals_the_sum_of_its_children(case):
    items, judgments = case
    result = score(indicators_from_dicts(items), judgments)

    for node in result.walk():
        if node.children and node.applicable:
            assert node.score == sum((child.contribution for child in node.children), Decimal(0))
            assert node.applicable_weight == sum(
                (child.applicable_weight for child in node.children if child.applicable), Decimal(0)
            )
    rows = result.summary
    first_level = [row for row in rows if row.code]
    closing = [row for row in rows if not row.code]
    assert closing[0].name == "合计"
    assert closing[0].score == sum((row.score for row in first_level), Decimal(0))
    assert closing[0].score == result.base_score + result.bonus - result.deduction
    assert closing[-1].score == result.total  # every table ends on the total


@settings(max_examples=200, deadline=None)
@given(case=scored_trees())
def test_the_total_is_the_applicable_share_rescaled_to_100(case):
    items, judgments = case
    result = score(indicators_from_dicts(items), judgments)

    if result.applicable_weight:
        exact = Fraction(result.base_score) * 100 / Fraction(result.applicable_weight)
        assert abs(Fraction(result.total) - exact) <= Fraction(1, 200)
        assert Decimal(0) <= result.total <= Decimal(100)
    assert result.unscored_count == sum(1 for node in result.walk() if node.is_leaf and node.status == "未评分")
