"""Every stored text has a limit, written once, that forms, importers and full_clean all check."""

from __future__ import annotations

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from evalsite.fields import BoundedTextField
from evalsite.lib.text_limits import LONG_TEXT, lines_problem, too_long
from rubrics import limits as rubric_limits
from rubrics.forms import JudgmentForm, NodeForm
from rubrics.models import Indicator, Judgment
from surveys import limits as survey_limits
from surveys.models import Option, Question, Questionnaire

PROJECT_APPS = ("accounts", "evaluations", "rubrics", "surveys", "reports")


def project_text_fields():
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, models.CharField | models.TextField):
                    yield model, field


def test_every_stored_text_has_a_limit_and_long_texts_are_checked_by_full_clean():
    unbounded = [f"{model._meta.label}.{field.name}" for model, field in project_text_fields() if not field.max_length]
    assert unbounded == []
    plain_text = [
        f"{model._meta.label}.{field.name}" for model, field in project_text_fields()
        if isinstance(field, models.TextField) and not isinstance(field, BoundedTextField)
    ]
    assert plain_text == []


def test_the_importers_limits_are_the_models_own():
    """The Django-free tables the importers read are the ones the model fields were declared with."""
    for name, limit in rubric_limits.INDICATOR.items():
        assert Indicator._meta.get_field(name).max_length == limit, name
    for name, limit in rubric_limits.JUDGMENT.items():
        assert Judgment._meta.get_field(name).max_length == limit, name
    assert (Questionnaire._meta.get_field("group").max_length, Questionnaire._meta.get_field("title").max_length) == (
        survey_limits.GROUP, survey_limits.TITLE)
    assert Question._meta.get_field("title").max_length == survey_limits.QUESTION
    assert Option._meta.get_field("label").max_length == survey_limits.OPTION


@pytest.mark.django_db
def test_a_scoring_process_of_a_million_characters_is_refused_by_the_form_and_by_full_clean():
    from rubrics import scoring

    form = JudgmentForm({"applicable": "on", "yes": "1", "process": "过" * 1_000_000},
                        rule=scoring.rule_from_dict({"kind": "yes_no"}, "A11"), weight=10)
    assert not form.is_valid()
    assert form.errors["process"] == ["确保该变量包含不超过 20000 字符 (目前字符数 1000000)。"]
    judgment = Judgment(process="过" * (LONG_TEXT + 1))
    with pytest.raises(ValidationError) as caught:
        judgment.full_clean(exclude=["indicator"])
    assert list(caught.value.message_dict) == ["process"]
    assert JudgmentForm({"applicable": "on", "yes": "1", "process": "过" * LONG_TEXT},
                        rule=scoring.rule_from_dict({"kind": "yes_no"}, "A11"), weight=10).is_valid()


def test_a_template_node_takes_the_indicators_limits():
    form = NodeForm({"code": "A/1", "name": "名" * 201, "kind": "normal", "rule_kind": "yes_no", "criteria": "标" * 20_001})
    assert not form.is_valid()
    assert set(form.errors) >= {"code", "name", "criteria"}
    assert form.errors["code"] == ["编码“A/1”只能由字母、数字、汉字和“.”“_”“-”组成。"]
    assert isinstance(NodeForm.base_fields["explanation"], forms.CharField)
    assert NodeForm.base_fields["explanation"].max_length == rubric_limits.INDICATOR["explanation"]


def test_the_messages_name_the_size():
    assert too_long("字" * 20_001, LONG_TEXT) == "内容过长（20,001字），最多20,000字"
    assert too_long("字" * 20_000, LONG_TEXT) is None
    assert lines_problem(["一"] * 201) == "共201项，最多200项"
    assert lines_problem(["一", "二" * 501]) == "第2项内容过长（501字），最多500字"
    assert lines_problem(["一", 2]) == "第2项不是文字"
