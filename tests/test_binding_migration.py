"""rubrics 0002: stored bindings lose their ``input`` (the rule kind decides it), both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from rubrics.models import Indicator, IndicatorSystem
from tests.factories import EvaluationFactory

BEFORE = [("rubrics", "0001_initial")]

RATE = {"kind": "rate_deviation", "threshold": "95", "direction": "at_least", "step": "1", "unit": "points"}
BANDS = {"kind": "bands", "bands": [{"min": "90", "score": "2"}]}


def migrate(target=None):
    """Migrate to ``target``; by default to the latest state of every app (where the other tests expect it)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target or executor.loader.graph.leaf_nodes())


def leaf(code, rule, binding):
    return {"code": code, "name": code, "weight": "1", "rule": rule, "binding": binding}


OLD_TREE = [{"code": "A", "name": "一级", "weight": "4", "children": [{"code": "A1", "name": "二级", "weight": "4", "children": [
    leaf("A11", RATE, {"input": "rate", "ratio": "budget_execution_rate"}),
    leaf("A12", BANDS, {"input": "rate", "ratio": "carryover_rate"}),  # written by the old editor: never fed
    leaf("A13", BANDS, {"input": "value", "survey": "群众"}),
    leaf("A14", {"kind": "yes_no"}, {"input": "rate", "ratio": "budget_execution_rate"}),  # fed nothing
]}]}]


@pytest.mark.django_db(transaction=True)
def test_bindings_keep_only_their_source_and_get_their_input_back_when_reversed():
    evaluation = EvaluationFactory()
    system = IndicatorSystem.objects.create(firm=evaluation.firm, slug="old", name="旧模板", tree=OLD_TREE)
    for position, node in enumerate(OLD_TREE[0]["children"][0]["children"], start=1):
        Indicator.objects.create(evaluation=evaluation, level=3, position=position, code=node["code"], name=node["name"],
                                 weight=1, rule=node["rule"], binding=node["binding"])
    Indicator.objects.create(evaluation=evaluation, level=3, position=9, code="A19", name="无", weight=1, rule={})
    try:
        migrate(BEFORE)
        migrate()
        expected = {
            "A11": {"ratio": "budget_execution_rate"},
            "A12": {"ratio": "carryover_rate"},
            "A13": {"survey": "群众"},
            "A14": None,
            "A19": None,
        }
        assert {row.code: row.binding for row in Indicator.objects.filter(evaluation=evaluation)} == expected
        leaves = IndicatorSystem.objects.get(pk=system.pk).tree[0]["children"][0]["children"]
        assert {node["code"]: node["binding"] for node in leaves} == {k: v for k, v in expected.items() if k != "A19"}

        migrate(BEFORE)
        stored = Indicator.objects.filter(evaluation=evaluation).values_list("code", "binding")  # columns of 0001
        assert dict(stored) == {
            "A11": {"input": "rate", "ratio": "budget_execution_rate"},
            "A12": {"input": "value", "ratio": "carryover_rate"},
            "A13": {"input": "value", "survey": "群众"},
            "A14": None,
            "A19": None,
        }
    finally:
        migrate()
