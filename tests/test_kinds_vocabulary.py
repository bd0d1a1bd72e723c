"""Indicator kinds, rule kinds and score verbs have one owner: the engine (rubrics/scoring.py)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reports.score_sentences import closing_sentence
from rubrics import scoring, services
from rubrics.forms import NodeForm
from rubrics.models import Indicator, IndicatorSystem
from rubrics.templatetags.rubric_labels import rule_label
from tests.factories import SMALL_TREE, EvaluationFactory, team


def test_the_models_indicator_kinds_are_the_engines():
    assert Indicator._meta.get_field("kind").choices == list(scoring.INDICATOR_KIND_LABELS.items())
    assert list(scoring.INDICATOR_KIND_LABELS) == list(scoring.INDICATOR_KINDS)
    assert dict(NodeForm().fields["kind"].choices) == scoring.INDICATOR_KIND_LABELS


def test_the_editor_offers_exactly_the_engines_rule_kinds():
    assert NodeForm().fields["rule_kind"].choices == [(kind, spec.label) for kind, spec in scoring.RULE_KINDS.items()]


def _score_full(leaf):
    return scoring._Outcome(scoring._finish(leaf.weight, leaf), "复核通过，得满分。")


@pytest.fixture
def registered_kind(monkeypatch):
    """A rule kind added to the engine's registry for the length of one test."""
    spec = scoring.RuleKind("双人复核", (), lambda fields: scoring.JudgmentRule(), _score_full, {"score": "得分"})
    monkeypatch.setitem(scoring.RULE_KINDS, "double_check", spec)
    return spec


@pytest.mark.django_db
def test_a_rule_kind_registered_in_the_engine_appears_in_the_editor(client, registered_kind):
    assert ("double_check", "双人复核") in NodeForm().fields["rule_kind"].choices
    assert rule_label({"kind": "double_check"}) == "双人复核"

    evaluation = EvaluationFactory()
    system = services.save_system(evaluation.firm, slug="t", name="模板", tree=SMALL_TREE)
    client.force_login(team(evaluation)["outsider"])  # any staff of the firm edits its templates
    page = client.get(reverse("system_detail", args=[system.pk]), {"edit": "A11"}).content.decode()
    assert '<option value="double_check">双人复核</option>' in page

    response = client.post(reverse("system_node_save", args=[system.pk]), {
        "editing": "A11", "code": "A11", "name": "绩效目标合理性", "weight": "40", "kind": "normal",
        "rule_kind": "double_check",
    })
    assert response.status_code == 302
    assert services.find_node(IndicatorSystem.objects.get(pk=system.pk).tree, "A11")["rule"] == {"kind": "double_check"}


def test_score_verbs_are_the_engines(monkeypatch):
    for kind, verb in scoring.SCORE_VERBS.items():
        assert closing_sentence("2", kind) == f"依据评分细则，本项指标{verb}2分。"
    monkeypatch.setitem(scoring.SCORE_VERBS, scoring.BONUS, "奖")
    assert closing_sentence("2", scoring.BONUS) == "依据评分细则，本项指标奖2分。"
    leaf = scoring.IndicatorSpec("F1", "嘉奖", Decimal("2"), kind=scoring.BONUS, rule={"kind": "judgment"})
    assert scoring.score_indicator(leaf, {"inputs": {"score": "1"}}).sentence == "评价人员综合判断，奖1.00分。"


@pytest.fixture
def kind_with_a_field(monkeypatch):
    """A rule kind with one field of its own, registered for the length of one test."""
    def parse(fields):
        fields.positive_integer("reviewers")
        return scoring.JudgmentRule()

    spec = scoring.RuleKind(
        "多人复核", (scoring.Param("reviewers", "复核人数", scoring.INTEGER, required=True),), parse, _score_full,
        {"score": "得分"},
    )
    monkeypatch.setitem(scoring.RULE_KINDS, "panel", spec)
    return spec


@pytest.mark.django_db
def test_a_registered_kinds_fields_become_the_editors_form_with_the_engines_messages(client, kind_with_a_field):
    form = NodeForm()
    assert form.fields["rule_panel_reviewers"].label == "复核人数"

    evaluation = EvaluationFactory()
    system = services.save_system(evaluation.firm, slug="t", name="模板", tree=SMALL_TREE)
    client.force_login(team(evaluation)["outsider"])
    data = {"editing": "A11", "code": "A11", "name": "绩效目标合理性", "weight": "40", "kind": "normal", "rule_kind": "panel"}
    missing = client.post(reverse("system_node_save", args=[system.pk]), data)
    assert missing.context["form"].errors["rule_panel_reviewers"] == ["A11：规则缺少复核人数（reviewers）"]
    saved = client.post(reverse("system_node_save", args=[system.pk]), {**data, "rule_panel_reviewers": "3"})
    assert saved.status_code == 302
    rule = services.find_node(IndicatorSystem.objects.get(pk=system.pk).tree, "A11")["rule"]
    assert rule == {"kind": "panel", "reviewers": 3}
