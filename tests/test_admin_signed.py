"""The Django admin changes nothing of a signed evaluation: not the evaluation, not anything under it."""

import pytest
from django.contrib import admin
from django.urls import reverse

from evalsite.accounts.models import User
from evaluations.admin import SignedReadOnly, SignedReadOnlyInline
from evaluations.enums import EvaluationStatus
from evaluations.models import BudgetFigures, EconomicLine, Evaluation, Project
from surveys.models import Question, Questionnaire
from surveys.services import copy_builtin
from tests.factories import EvaluationFactory, economic_line, project, team

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    client.force_login(User.objects.create_superuser("ops", "ops@example.cn", "Ops-password-2026"))
    return client


def world(status):
    evaluation = EvaluationFactory()
    team(evaluation)
    questionnaire = copy_builtin(evaluation, "hall-staff")
    objects = {
        "evaluation": evaluation,
        "budgetfigures": BudgetFigures.objects.get(evaluation=evaluation),
        "economicline": economic_line(evaluation),
        "project": project(evaluation),
        "questionnaire": questionnaire,
        "question": questionnaire.questions.first(),
    }
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    return objects


def admin_url(obj, action):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{action}", args=[obj.pk])


def change_data(client, obj):
    """The admin's own change form for ``obj``, as the browser would post it back unchanged."""
    page = client.get(admin_url(obj, "change"))
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None:
                    data[inline_form.add_prefix(name)] = str(value)
    return data


@pytest.mark.parametrize("name", ["evaluation", "budgetfigures", "economicline", "project", "questionnaire", "question"])
def test_admin_refuses_to_change_or_delete_a_signed_evaluation_and_everything_under_it(superuser, name):
    objects = world(EvaluationStatus.SIGNED)
    obj = objects[name]
    page = superuser.get(admin_url(obj, "change"))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # view only
    assert superuser.post(admin_url(obj, "change"), {}).status_code == 403
    assert superuser.get(admin_url(obj, "delete")).status_code == 403
    assert superuser.post(admin_url(obj, "delete"), {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("name", ["budgetfigures", "economicline", "project", "question"])
def test_the_same_admin_pages_change_an_evaluation_in_progress(superuser, name):
    """The refusal above is the state's doing: before sign-off the admin saves."""
    obj = world(EvaluationStatus.SCORING)[name]
    response = superuser.post(admin_url(obj, "change"), change_data(superuser, obj))
    assert response.status_code == 302, response.content.decode()[:2000]


def test_nothing_new_is_attached_to_a_signed_evaluation_through_the_admin(superuser):
    objects = world(EvaluationStatus.SIGNED)
    evaluation = objects["evaluation"]
    response = superuser.post(
        reverse("admin:evaluations_economicline_add"),
        {"evaluation": evaluation.pk, "category": "wages", "name": "奖金", "amount": "5.00", "position": "9"},
    )
    assert response.status_code == 200 and "报告已签发，不能再修改。" in response.content.decode()
    response = superuser.post(
        reverse("admin:surveys_question_add"),
        {"questionnaire": objects["questionnaire"].pk, "title": "新题目", "position": "9", "counted": "on"},
    )
    assert response.status_code == 200 and "报告已签发，不能再修改。" in response.content.decode()
    moved = world(EvaluationStatus.SCORING)["project"]
    data = change_data(superuser, moved)
    data["evaluation"] = str(evaluation.pk)
    assert superuser.post(admin_url(moved, "change"), data).status_code == 200
    assert not EconomicLine.objects.filter(name="奖金").exists()
    assert not Question.objects.filter(title="新题目").exists()
    assert Project.objects.get(pk=moved.pk).evaluation_id != evaluation.pk


def test_the_state_is_never_edited_in_the_admin(superuser):
    evaluation = world(EvaluationStatus.SCORING)["evaluation"]
    data = change_data(superuser, evaluation)
    data["status"] = EvaluationStatus.SIGNED
    superuser.post(admin_url(evaluation, "change"), data)
    assert Evaluation.objects.get(pk=evaluation.pk).status == EvaluationStatus.SCORING


def reaches_an_evaluation(model, seen=()) -> bool:
    if model is Evaluation:
        return True
    return any(
        (field.many_to_one or field.one_to_one) and field.related_model not in seen and reaches_an_evaluation(field.related_model, (*seen, model))
        for field in model._meta.get_fields()
        if getattr(field, "related_model", None) is not None and field.concrete
    )


def test_every_admin_of_something_under_an_evaluation_is_guarded():
    guarded = []
    for model, model_admin in admin.site._registry.items():
        if reaches_an_evaluation(model):
            assert isinstance(model_admin, SignedReadOnly), model.__name__
            guarded.append(model.__name__)
            for inline in model_admin.inlines:
                if reaches_an_evaluation(inline.model):
                    assert issubclass(inline, SignedReadOnlyInline), inline.__name__
    assert {"Evaluation", "BudgetFigures", "EconomicLine", "Project", "Questionnaire", "Question"} <= set(guarded)
    assert Questionnaire in admin.site._registry
