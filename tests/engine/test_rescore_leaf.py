"""Scoring one changed leaf into an earlier result gives exactly the result of scoring the whole tree again."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rubrics.scoring import ScoringSettings, indicators_from_dicts, rescore_leaf, score

from .seed_systems import SEED_000_INDICATORS, SEED_000_JUDGMENTS, SEED_002_INDICATORS, SEED_002_JUDGMENTS

SYSTEMS = {
    "seed 002": (SEED_002_INDICATORS, SEED_002_JUDGMENTS),
    "seed 000": (SEED_000_INDICATORS, SEED_000_JUDGMENTS),
}
def leaves(tree):
    for node in tree:
        if node.is_leaf:
            yield node
        else:
            yield from leaves(node.children)


def changes(judgment):
    """Other judgments of the same leaf: none at all, an override, and a score of 0 where it takes one."""
    yield None
    yield {**judgment, "override": {"score": "0", "reason": "复核后改判"}}
    if "inputs" in judgment and "failures" in judgment["inputs"]:
        yield {**judgment, "inputs": {"failures": 99}}


def settings_of(name: str) -> ScoringSettings:
    if name == "capped":  # the 自评表 execution cap: the total is capped at a low execution rate
        return ScoringSettings(execution_cap=True, execution_rate=Decimal("61"))
    return ScoringSettings()


@pytest.mark.parametrize("settings_name", ["plain", "capped"])
@pytest.mark.parametrize("system", SYSTEMS)
def test_rescoring_any_leaf_equals_scoring_the_tree(system, settings_name):
    items, judgments = SYSTEMS[system]
    tree = indicators_from_dicts(items)
    settings = settings_of(settings_name)
    before = score(tree, judgments, settings)
    checked = 0
    for leaf in leaves(tree):
        for judgment in changes(judgments.get(leaf.code, {"inputs": {}})):
            changed = {code: entry for code, entry in judgments.items() if code != leaf.code}
            if judgment is not None:
                changed[leaf.code] = judgment
            expected = score(tree, changed, settings)
            if not expected.node(leaf.code).applicable:
                assert rescore_leaf(before, leaf, judgment, settings) is None
                continue
            assert rescore_leaf(before, leaf, judgment, settings) == expected, leaf.code
            checked += 1
    assert checked > 40
    assert before.total != score(tree, {}, settings).total  # the changes matter


def test_a_parent_or_unknown_code_is_not_rescored():
    tree = indicators_from_dicts(SEED_002_INDICATORS)
    result = score(tree, SEED_002_JUDGMENTS)
    assert rescore_leaf(result, tree[0], None, ScoringSettings()) is None
    other = indicators_from_dicts(SEED_000_INDICATORS)
    unknown = next(leaf for leaf in leaves(other) if leaf.code not in {node.code for node in result.walk()})
    assert rescore_leaf(result, unknown, None, ScoringSettings()) is None
