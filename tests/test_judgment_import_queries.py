"""Bulk imports of judgments read the figures, surveys and settings once, however many rows they hold."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rubrics import services
from rubrics.queries import evaluation_result
from surveys.services import load_demo_surveys
from tests.factories import YANJIN_BUDGET, EvaluationFactory

pytestmark = pytest.mark.django_db

#: Tables of what a judgment is scored against (not of the judgments themselves).
CONTEXT_TABLES = ("evaluations_budgetfigures", "evaluations_economicline", "evaluations_project",
                  "surveys_questionnaire", "surveys_question", "surveys_option", "rubrics_rubric")


def system(count: int) -> dict:
    leaves = [{"code": f"A1{i}", "name": f"指标{i}", "weight": "1", "rule": {"kind": "yes_no"}} for i in range(1, count + 1)]
    leaves[-1]["weight"] = str(100 - count + 1)
    leaves[0].update(rule={"kind": "rate_deviation", "threshold": "95", "direction": "at_least", "step": "1",
                           "unit": "points"}, binding={"ratio": "budget_execution_rate"})
    return {"name": "体系", "indicators": [{"code": "A", "name": "一级", "weight": "100", "children": [
        {"code": "A1", "name": "二级", "weight": "100", "children": leaves}]}]}


def import_queries(count: int) -> list[str]:
    """The SQL of importing a ``count``-leaf system with a score for every leaf (the --with-scores path)."""
    evaluation = EvaluationFactory(budget=YANJIN_BUDGET)
    load_demo_surveys(evaluation)
    judgments = {f"A1{i}": {"inputs": {"yes": True}, "process": "符合。"} for i in range(2, count + 1)}
    judgments["A11"] = {"inputs": {}, "process": "取自预算数据。"}
    with CaptureQueriesContext(connection) as captured:
        services.import_into_evaluation(evaluation, system(count), judgments)
    result = evaluation_result(evaluation).result
    assert (result.total, result.unscored) == (Decimal("100.00"), ())
    return [query["sql"] for query in captured.captured_queries]


def context_reads(queries: list[str]) -> int:
    return sum(1 for sql in queries if sql.lstrip().upper().startswith("SELECT") and any(t in sql for t in CONTEXT_TABLES))


def test_importing_judgments_reads_figures_surveys_and_settings_once():
    one, many = import_queries(2), import_queries(12)
    assert context_reads(many) == context_reads(one)
    assert context_reads(one) == 5  # economic lines, projects, questionnaires, questions, options (budget, rubric cached)
