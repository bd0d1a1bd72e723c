"""The fiscal ratios have one owner (evaluations/fiscal.py): every ratio it computes can be bound and quoted."""

from decimal import Decimal

import pytest

from evalsite.lib.numbers import round_half_up
from evaluations import fiscal
from evaluations.queries import figures_for
from reports.placeholder_values import placeholder_values
from reports.placeholders import CATALOG
from reports.queries import report_data
from rubrics import services
from rubrics.forms import NodeForm
from rubrics.queries import evaluation_result
from rubrics.templatetags.rubric_labels import rule_label
from tests.factories import YANJIN_BUDGET, EvaluationFactory

pytestmark = pytest.mark.django_db

RATE_RULE = {"rule_rate_deviation_threshold": "95", "rule_rate_deviation_direction": "at_least",
             "rule_rate_deviation_step": "1", "rule_rate_deviation_unit": "points"}


def bound_leaf_through_the_editor(code: str, key: str, weight: str) -> dict:
    """A leaf bound to ``key`` as the template editor's form writes it."""
    form = NodeForm(
        {"code": code, "name": f"{code}指标", "weight": weight, "kind": "normal",
         "rule_kind": "rate_deviation", **RATE_RULE, "binding_ratio": key}
    )
    assert form.is_valid(), form.errors
    return services.node_fields(form.node_data())  # what the editor service stores


def test_every_ratio_fiscal_computes_is_bindable_in_the_editor():
    evaluation = EvaluationFactory(budget=YANJIN_BUDGET)
    computed = fiscal.ratios(figures_for(evaluation))
    editor_choices = dict(NodeForm().fields["binding_ratio"].choices)
    assert [ratio.key for ratio in computed] == [key for key in editor_choices if key]

    weights = ["6"] * (len(computed) - 1) + [str(100 - 6 * (len(computed) - 1))]
    leaves = [bound_leaf_through_the_editor(f"A1{i}", ratio.key, weight)
              for i, (ratio, weight) in enumerate(zip(computed, weights, strict=True), start=1)]
    tree = [{"code": "A", "name": "一级", "weight": "100", "children": [
        {"code": "A1", "name": "二级", "weight": "100", "children": leaves}]}]
    system = services.save_system(evaluation.firm, slug="ratios", name="比率", tree=tree)
    services.copy_system_into(evaluation, system.tree, source_name=system.name)
    services.import_judgments(evaluation, {leaf["code"]: {"inputs": {}} for leaf in leaves})  # saved as read

    scored = evaluation_result(evaluation)
    for index, ratio in enumerate(computed, start=1):
        bound = scored.bound[f"A1{index}"].own
        assert (bound.title, bound.value) == (ratio.label, None if ratio.value is None else round_half_up(ratio.value))
        node = scored.result.node(f"A1{index}")
        if ratio.value is not None:  # the drafted sentence names the ratio with fiscal's label
            assert node.sentence.startswith(f"{ratio.label}{ratio.display}")


def test_every_ratio_fiscal_computes_has_a_placeholder_with_its_value():
    evaluation = EvaluationFactory(budget=YANJIN_BUDGET)
    computed = fiscal.ratios(figures_for(evaluation))
    values = placeholder_values(report_data(evaluation))
    catalog = {placeholder.name for placeholder in CATALOG}
    assert {ratio.name: values[ratio.name] for ratio in computed} == {ratio.name: ratio.display for ratio in computed}
    assert {ratio.name for ratio in computed} <= catalog
    assert values["三公经费控制率"] == "—" and values["基本支出预算调整率"] == "42.54%"
    assert values["人员经费占基本支出比例"] == f"{round_half_up(Decimal('161.75') / Decimal('180.10') * 100)}%"


def test_the_rule_label_filter_reads_the_engine_registry():
    assert rule_label({"kind": "bands"}) == "分档计分"
    assert rule_label(None) == "评价人员综合判断"
