"""The 500s issue 13 names, and the stale pages like them: each answered with a message, nothing half-saved."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.models import EconomicLine
from surveys.models import Option
from surveys.services import QuestionEntry, add_question, delete_questionnaire, standard_options
from tests.bad_input.pages import post_forms
from tests.bad_input.storage import changed_tables, snapshot

pytestmark = pytest.mark.django_db


def page_form(client, url: str, action_name: str):
    """The form of the page at ``url`` that posts to ``action_name``, as the browser holds it."""
    forms = post_forms(client.get(url).content.decode(), url)
    return next(form for form in forms if action_name in form.action or form.action.endswith(url))


def test_survey_counts_posted_from_a_stale_page_with_an_error_asks_to_reload(client, world):
    client.force_login(world.staff)
    url = reverse("survey_counts", args=[world.evaluation.pk, world.questionnaire.pk])
    form = page_form(client, url, url)
    data = form.data()
    data["counts-0-count"] = ["-5"]  # a validation error on the stale page
    add_question(world.questionnaire, QuestionEntry("新加的题目", standard_options()))
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "表单已过期，请刷新页面后重新录入" in page
    assert changed_tables(before, snapshot()) == []
    assert "新加的题目" in page  # the page shows the questionnaire as it is now


def test_survey_counts_with_a_forged_form_count_is_a_stale_page_not_a_500(client, world):
    client.force_login(world.staff)
    url = reverse("survey_counts", args=[world.evaluation.pk, world.questionnaire.pk])
    data = page_form(client, url, url).data()
    before = snapshot()
    for total in ("100000", "0", "abc"):
        response = client.post(url, {**data, "counts-TOTAL_FORMS": [total]})
        assert response.status_code == 200
        assert "表单已过期，请刷新页面后重新录入" in response.content.decode()
    assert changed_tables(before, snapshot()) == []


def test_survey_counts_naming_another_questionnaires_option_saves_nothing(client, world):
    client.force_login(world.staff)
    url = reverse("survey_counts", args=[world.evaluation.pk, world.questionnaire.pk])
    data = page_form(client, url, url).data()
    foreign = Option.objects.exclude(question__questionnaire=world.questionnaire).first()
    other = foreign.pk if foreign else 99999
    data["counts-0-option"] = [str(other)]
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == 200
    assert "请刷新页面" in response.content.decode()
    assert changed_tables(before, snapshot()) == []


def test_annex_2_downloads_when_a_group_name_holds_a_slash(client, world):
    client.force_login(world.staff)
    world.questionnaire.group = "企业/群众"
    world.questionnaire.save()
    response = client.get(reverse("survey_annex_xlsx", args=[world.evaluation.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    assert workbook.sheetnames == ["企业群众"]


def a11_revision(world) -> int:
    """The revision the judgment page was loaded with (a save based on an older one is a conflict)."""
    from rubrics.models import Judgment

    return Judgment.objects.get(indicator__evaluation=world.evaluation, indicator__code="A11").revision


@pytest.mark.parametrize("next_code", ["a/b", "//evil.example", "https://evil.example/", "B11/../../", "", "A11"])
def test_a_judgment_saved_with_a_forged_next_code_goes_to_an_indicator_of_this_evaluation(client, world, next_code):
    client.force_login(world.staff)
    url = reverse("judgment_edit", args=[world.evaluation.pk, "A11"])
    response = client.post(url, {"applicable": "on", "yes": "1", "process": "符合。", "next_code": next_code,
                                 "revision": a11_revision(world)})
    assert response.status_code == 302
    assert response["Location"] == url


def test_a_judgment_saved_with_a_real_next_code_goes_there(client, world):
    client.force_login(world.staff)
    url = reverse("judgment_edit", args=[world.evaluation.pk, "A11"])
    response = client.post(url, {"applicable": "on", "yes": "1", "next_code": "B11", "revision": a11_revision(world)})
    assert response["Location"] == reverse("judgment_edit", args=[world.evaluation.pk, "B11"])


def test_a_template_page_asked_for_an_unknown_indicator_answers_404(client, world):
    client.force_login(world.lead)
    for code in ("nope", "a/b", "%2F%2Fevil"):
        assert client.get(reverse("system_detail", args=[world.system.pk]) + f"?edit={code}").status_code == 404


def test_a_template_node_saved_from_a_stale_page_is_refused_with_a_message(client, world):
    client.force_login(world.lead)
    before = snapshot()
    response = client.post(reverse("system_node_save", args=[world.system.pk]), {
        "editing": "a/b", "code": "A11", "name": "改名", "weight": "40", "kind": "normal", "rule_kind": "yes_no",
        "rule_params": "{}"}, follow=True)
    assert "要修改的指标已不在模板中" in response.content.decode()
    assert changed_tables(before, snapshot()) == []


def test_a_budget_saved_from_a_page_whose_line_was_deleted_meanwhile_says_so(client, world):
    client.force_login(world.staff)
    url = reverse("budget_edit", args=[world.evaluation.pk])
    data = page_form(client, url, url).data()
    EconomicLine.objects.filter(evaluation=world.evaluation).delete()
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == 200
    assert changed_tables(before, snapshot()) == []
    assert "有数据未通过校验" in response.content.decode()


def test_a_questionnaire_deleted_meanwhile_answers_404_to_its_stale_pages(client, world):
    client.force_login(world.staff)
    counts = reverse("survey_counts", args=[world.evaluation.pk, world.questionnaire.pk])
    data = page_form(client, counts, counts).data()
    delete_questionnaire(world.questionnaire)
    assert client.post(counts, data).status_code == 404


def test_the_autosaved_draft_refuses_what_does_not_fit_and_keeps_markup_as_text(client, world):
    from rubrics.models import ProcessDraft

    client.force_login(world.staff)
    draft_url = reverse("judgment_draft", args=[world.evaluation.pk, "A11"])
    before = snapshot()
    response = client.post(draft_url, {"process": "过" * 20_001})
    assert response.status_code == 400
    assert response.content.decode() == "评分过程内容过长（20,001字），最多20,000字，草稿未保存。"
    nul = client.post(draft_url, {"process": "名称\x00截断"})  # PostgreSQL cannot store it: refused, not a 500
    assert (nul.status_code, nul.content.decode()) == (400, "评分过程含有不可见的空字符，请删除后再提交，草稿未保存。")
    assert changed_tables(before, snapshot()) == []
    payload = '<script>alert(1)</script>{{ 1234500|add:74 }}'
    assert client.post(draft_url, {"process": payload}).status_code == 200
    assert ProcessDraft.objects.get(indicator__code="A11", user=world.staff).text == payload
    page = client.get(reverse("judgment_edit", args=[world.evaluation.pk, "A11"])).content.decode()
    assert "<script>alert(1)</script>" not in page and "1234574" not in page
    response = client.post(reverse("judgment_draft_discard", args=[world.evaluation.pk, "A11"]), {"next": "//evil.example"})
    assert response.status_code == 302 and response["Location"] == reverse("judgment_edit", args=[world.evaluation.pk, "A11"])
    assert not ProcessDraft.objects.exists()
